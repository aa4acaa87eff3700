import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { DiscoveryService } from '@backstage/backend-plugin-api';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { parse as parseYaml } from 'yaml';
import { exampleDeploymentSpec } from '../deploymentValidate.examples';
import { exampleTrainJobSpec } from '../trainJobValidate.examples';

export const API = 'http://llm-ops.test/api/llm-ops/v1';

/** A request the fake API received. */
export interface Received {
  method: string;
  path: string;
  /** The query string, such as `?name=support-assistant-prod`, if any. */
  query?: string;
  body: unknown;
  authorization: string | null;
  idempotencyKey: string | null;
}

/** The API at `API`, through msw; each test sets its handlers. */
export function setupApi() {
  const server = setupServer();
  registerMswTestHooks(server);
  const received: Received[] = [];
  beforeEach(() => {
    received.length = 0;
  });
  const record = async (request: Request) => {
    const text = await request.text();
    const url = new URL(request.url);
    received.push({
      method: request.method,
      path: url.pathname.replace('/api/llm-ops/v1', ''),
      ...(url.search ? { query: url.search } : {}),
      body: text ? JSON.parse(text) : undefined,
      authorization: request.headers.get('authorization'),
      idempotencyKey: request.headers.get('idempotency-key'),
    });
  };
  /** Answers `method path` with the envelope and status. */
  const answer = (
    method: 'get' | 'post' | 'put',
    path: string,
    status: number,
    envelope: { status: string; message: string; data: unknown },
  ) =>
    server.use(
      http[method](`${API}${path}`, async ({ request }) => {
        await record(request);
        return HttpResponse.json(envelope, { status });
      }),
    );
  /**
   * Answers `GET /deployments` as the API does: the deployments whose fields
   * match the query's filters (such as `?name=`), in a page.
   */
  const answerDeploymentList = (
    deployments: Array<{ id: string; name: string; [key: string]: unknown }>,
  ) =>
    server.use(
      http.get(`${API}/deployments`, async ({ request }) => {
        await record(request);
        const filters = [...new URL(request.url).searchParams.entries()];
        const items = deployments.filter(d =>
          filters.every(([key, value]) => String(d[key]) === value),
        );
        return HttpResponse.json({
          status: 'success',
          message: `${items.length} deployment(s)`,
          data: { items },
        });
      }),
    );
  return { server, received, answer, answerDeploymentList };
}

const discovery: DiscoveryService = {
  getBaseUrl: async pluginId => `http://llm-ops.test/api/${pluginId}`,
  getExternalBaseUrl: async pluginId => `http://llm-ops.test/api/${pluginId}`,
};

/** The actions' dependencies: mock auth, and discovery pointing at `API`. */
export function actionDeps() {
  return { auth: mockServices.auth(), discovery };
}

/** The token the mock auth issues for the user, on behalf of the task's initiator. */
export const userToken = () =>
  `Bearer ${mockCredentials.service.token({
    onBehalfOf: mockCredentials.user(),
    targetPluginId: 'llm-ops',
  })}`;

/** Backstage's mock action context, with a mock workspace directory. */
export function actionContext<I extends object>(
  input: I,
  overrides: Partial<ActionContext<I, any>> = {},
): ActionContext<I, any> {
  const workspace = createMockDirectory();
  const ctx = createMockActionContext<JsonObject, any>({
    input: input as JsonObject,
    workspacePath: workspace.path,
  });
  // The mock takes only some fields (not isDryRun or checkpoint) from its
  // options, so the rest are laid over it here.
  return { ...ctx, ...overrides } as unknown as ActionContext<I, any>;
}

// The examples' specs are valid by construction, and tested as such.
export const validTrainJobSpec = exampleTrainJobSpec;
export const validDeploymentSpec = exampleDeploymentSpec;

/**
 * A checkpoint store like the scaffolder's: a retried task gets the stored
 * value of a checkpoint that succeeded, instead of running it again.
 */
export function checkpointStore() {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    checkpoint: async (opts: { key: string; fn: () => Promise<any> | any }) => {
      if (values.has(opts.key)) return values.get(opts.key);
      const value = await opts.fn();
      values.set(opts.key, value);
      return value;
    },
  };
}

const PARAMETER = /^\$\{\{\s*parameters\.(\w+)\s*\}\}$/;

/** A step input with each `${{ parameters.<name> }}` taken from `parameters`. */
function withParameters(value: unknown, parameters: JsonObject): unknown {
  if (Array.isArray(value))
    return value.map(v => withParameters(v, parameters));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withParameters(v, parameters)]),
    );
  }
  const name =
    typeof value === 'string' ? PARAMETER.exec(value)?.[1] : undefined;
  if (name === undefined) return value;
  if (!(name in parameters)) {
    throw new Error(`The test gives no value for parameters.${name}`);
  }
  return parameters[name];
}

/**
 * The inputs of the action's steps in its examples, each with its example's
 * description: what the examples tests run through the handler. The input
 * is typed as the handler takes it; the scaffolder checks it against the
 * action's schema, and so do the handler's own parsers.
 */
export function exampleInputs<I extends object>(
  action: TemplateAction<I, any, any>,
  parameters: JsonObject = {},
): Array<{ description: string; input: I }> {
  return (action.examples ?? []).flatMap(example =>
    (
      (parseYaml(example.example).steps ?? []) as Array<{
        action: string;
        input: JsonObject;
      }>
    )
      .filter(step => step.action === action.id)
      .map(step => ({
        description: example.description,
        input: withParameters(step.input, parameters) as I,
      })),
  );
}

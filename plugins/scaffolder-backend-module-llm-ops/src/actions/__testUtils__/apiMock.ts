import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { DiscoveryService } from '@backstage/backend-plugin-api';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
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
export function actionContext<I extends JsonObject>(
  input: I,
  overrides: Partial<ActionContext<I, any>> = {},
): ActionContext<I, any> {
  const workspace = createMockDirectory();
  const ctx = createMockActionContext<I, any>({
    input,
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

/*
 * An environment is a boundary, not a label: where a deployment lands is
 * the environment's cluster and namespaces from config, one place is one
 * record's, and a dev-only user cannot reach a prod object.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isPermission,
} from '@backstage/plugin-permission-common';
import { deploymentCreatePermission } from '@llmops/plugin-llm-ops-common';
import request from 'supertest';
import { llmOpsPlugin } from '../plugin';
import {
  createDeploymentConditionalDecision,
  deploymentConditions,
  deploymentRules,
} from '../service/deploymentPermissions';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { createTestTools } from '../__testUtils__/testAdapters';
import {
  baseModel,
  deploymentSpec,
  fineTuned,
} from '../__testUtils__/fixtures';

jest.setTimeout(60_000);

const DEV_ONLY = 'user:default/dev-only';

/** `dev-only` may deploy in dev alone (IS_IN_ENVIRONMENT); everyone else anything. */
function permissionsWithPolicy(
  load: (ref: string) => Promise<{ environment: string } | undefined>,
) {
  return policyPermissions({
    rules: deploymentRules,
    load,
    decide: (permission, who) =>
      who === DEV_ONLY && isPermission(permission, deploymentCreatePermission)
        ? createDeploymentConditionalDecision(
            permission as typeof deploymentCreatePermission,
            deploymentConditions.isInEnvironment({ environments: ['dev'] }),
          )
        : { result: AuthorizeResult.ALLOW },
  });
}

async function start(environments?: object) {
  const tools = createTestTools();
  const started: { server?: any } = {};
  const backend = await startTestBackend({
    features: [
      llmOpsPlugin,
      tools.module,
      catalogServiceMock.factory({ entities: [baseModel, fineTuned] }),
      permissionsWithPolicy(async ref => {
        const [type, value] = ref.split(/:(.*)/s, 2);
        if (type === 'environment') return { environment: value };
        const found = await request(started.server)
          .get(`/api/llm-ops/v1/deployments/${value}`)
          .set('authorization', mockCredentials.user.header());
        return found.body.data && { environment: found.body.data.environment };
      }),
      mockServices.rootConfig.factory({
        data: {
          llmOps: {
            ...(environments ? { environments } : {}),
            queue: { baseDelayMs: 1, maxDelayMs: 5 },
            serving: { deploymentMode: 'Serverless' },
          },
        },
      }),
    ],
  });
  started.server = backend.server;
  return { server: backend.server, tools };
}

const ENVIRONMENTS = {
  dev: { cluster: 'test-cluster', namespaces: ['llm-dev'] },
  prod: { cluster: 'test-cluster', namespaces: ['llm-prod'] },
};
const body = (over: object = {}) => ({
  name: 'support',
  environment: 'dev',
  spec: deploymentSpec({ old: 0, new: 100 }, 'rolling'),
  ...over,
});

describe('environments as boundaries (security review)', () => {
  it("refuses a namespace outside the environment's, so a dev-only user cannot write into prod's namespace", async () => {
    const { server, tools } = await start(ENVIRONMENTS);
    const res = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .set('authorization', mockCredentials.user.header(DEV_ONLY))
      .send(body({ namespace: 'llm-prod' }));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      "namespace: 'llm-prod' is not one of environment dev's namespaces (llm-dev)",
    );
    // and prod itself is not theirs
    const prod = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .set('authorization', mockCredentials.user.header(DEV_ONLY))
      .send(body({ environment: 'prod' }));
    expect(prod.status).toBe(403);
    expect(tools.serving.applied.size).toBe(0);
  });

  it("places a deployment in its environment's cluster and first namespace, and labels what it applies", async () => {
    const { server, tools } = await start(ENVIRONMENTS);
    const res = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .send(body({ environment: 'prod' }));
    expect(res.status).toBe(201);
    expect(res.body.data.namespace).toBe('llm-prod');
    const [manifests] = tools.serving.applied.get(res.body.data.id)!;
    expect((manifests[0] as any).metadata.namespace).toBe('llm-prod');
    expect(tools.serving.labels.get(res.body.data.id)).toEqual({
      'llmops.dev/environment': 'prod',
      'llmops.dev/revision': '1',
    });
  });

  it('refuses an environment that is not configured, or one on another cluster than the serving tool', async () => {
    const { server } = await start({
      ...ENVIRONMENTS,
      stg: { cluster: 'stg-cluster', namespaces: ['llm-stg'] },
    });
    const unknown = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .send(body({ environment: 'qa' }));
    expect(unknown.status).toBe(400);
    const elsewhere = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .send(body({ environment: 'stg' }));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.message).toMatch(
      /^environment: stg runs on cluster stg-cluster, but kserve is configured for test-cluster/,
    );
  });

  it('without llmOps.environments, deploys only to the serving tool namespace', async () => {
    const { server } = await start();
    const res = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .send(body({ namespace: 'kube-system' }));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(
      /^namespace: 'kube-system' is not allowed/,
    );
  });

  it('refuses a config where two environments share a namespace', async () => {
    await expect(
      start({
        dev: { cluster: 'test-cluster', namespaces: ['shared'] },
        prod: { cluster: 'test-cluster', namespaces: ['shared'] },
      }),
    ).rejects.toThrow(/share namespace shared of cluster test-cluster/);
  });

  it('gives one place to one record: a second deployment of the same name there is a 409, also when both race', async () => {
    const { server, tools } = await start(ENVIRONMENTS);
    const first = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .send(body());
    expect(first.status).toBe(201);
    const second = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .send(body());
    expect(second.status).toBe(409);
    expect(second.body.message).toContain(first.body.data.id);

    const racing = await Promise.all(
      [1, 2, 3].map(() =>
        request(server)
          .post('/api/llm-ops/v1/deployments')
          .send(body({ name: 'raced' })),
      ),
    );
    expect(racing.map(r => r.status).sort()).toEqual([201, 409, 409]);
    expect(tools.serving.applied.size).toBe(2);
  });
});

/*
 * Who may change what: owners through IS_OWNER, a permission of its own
 * for each change, and no service principal unless config names it
 * (Backstage's permission framework allows every service).
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
import {
  deploymentCreatePermission,
  deploymentRetryPermission,
  deploymentUpdatePermission,
  revalidatePermission,
  trainingJobCancelPermission,
} from '@llmops/plugin-llm-ops-common';
import request from 'supertest';
import { llmOpsPlugin } from '../plugin';
import type { ApiContext } from '../service/context';
import { revalidateAll } from '../service/Revalidation';
import {
  createTrainingJobConditionalDecision,
  trainingJobConditions,
  trainingJobRules,
} from '../service/trainingJobPermissions';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { createTestTools } from '../__testUtils__/testAdapters';
import {
  baseModel,
  deploymentSpec,
  fineTuned,
  trainJobSpec,
} from '../__testUtils__/fixtures';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const INTERN = 'user:default/intern';

/**
 * "Only owners cancel their jobs", "interns change no deployment and do not
 * re-validate": as a policy would write them, applied as the permission
 * backend applies a conditional decision (by the plugin's IS_OWNER rule,
 * to the job the request names).
 */
function ownershipPolicy(
  job: (id: string) => Promise<{ owner: string } | undefined>,
) {
  return policyPermissions({
    rules: trainingJobRules,
    load: ref => job(ref.split(':')[1]),
    decide: (permission, who) => {
      if (isPermission(permission, trainingJobCancelPermission)) {
        return createTrainingJobConditionalDecision(
          permission,
          trainingJobConditions.isOwner({ claims: [who ?? ''] }),
        );
      }
      const internDenied =
        isPermission(permission, deploymentUpdatePermission) ||
        isPermission(permission, deploymentRetryPermission) ||
        isPermission(permission, revalidatePermission);
      return {
        result:
          who === INTERN && internDenied
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      };
    },
  });
}

async function start(llmOps: object = {}) {
  const tools = createTestTools();
  const started: { server?: any } = {};
  const backend = await startTestBackend({
    features: [
      llmOpsPlugin,
      tools.module,
      catalogServiceMock.factory({ entities: [baseModel, fineTuned] }),
      ownershipPolicy(async id => {
        const res = await request(started.server)
          .get(`/api/llm-ops/v1/training-jobs/${id}`)
          .set('authorization', mockCredentials.user.header());
        return res.body.data;
      }),
      mockServices.rootConfig.factory({
        data: {
          llmOps: {
            gpuAvailable: true,
            queue: { baseDelayMs: 1, maxDelayMs: 5 },
            serving: { deploymentMode: 'Serverless' },
            ...llmOps,
          },
        },
      }),
    ],
  });
  started.server = backend.server;
  return { server: backend.server, tools };
}

const as = (user: string) => mockCredentials.user.header(user);
const SERVICE = mockCredentials.service.header();

describe('ownership and service principals (security review)', () => {
  it('lets only the owner cancel a job, through IS_OWNER', async () => {
    const { server, tools } = await start();
    const job = await request(server)
      .post('/api/llm-ops/v1/training-jobs')
      .set('authorization', as(ALICE))
      .send({ spec: trainJobSpec() });
    expect(job.status).toBe(201);
    const id = job.body.data.id;
    const bob = await request(server)
      .post(`/api/llm-ops/v1/training-jobs/${id}/cancel`)
      .set('authorization', as(BOB));
    expect(bob.status).toBe(403);
    expect(bob.body.message).toBe(
      `Not allowed: llmops.trainingJob.cancel on training job ${id}`,
    );
    expect(tools.orchestrator.workflows.get(id)?.stopped).toBe(false);
    const alice = await request(server)
      .post(`/api/llm-ops/v1/training-jobs/${id}/cancel`)
      .set('authorization', as(ALICE));
    expect(alice.status).toBe(200);
    expect(alice.body.data.status).toMatch(/^cancell/);
  });

  it('asks llmops.deployment.update, not create, for PUT /deployments/{id}', async () => {
    const { server, tools } = await start();
    const created = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .set('authorization', as(INTERN))
      .send({
        name: 'support',
        environment: 'dev',
        spec: deploymentSpec({ old: 0, new: 100 }, 'rolling'),
      });
    // create is still theirs (the policy allows deploymentCreatePermission)
    expect(created.status).toBe(201);
    expect(
      isPermission(deploymentCreatePermission, deploymentUpdatePermission),
    ).toBe(false);
    const changed = await request(server)
      .put(`/api/llm-ops/v1/deployments/${created.body.data.id}`)
      .set('authorization', as(INTERN))
      .send({ spec: deploymentSpec({ old: 0, new: 100 }, 'recreate') });
    expect(changed.status).toBe(403);
    expect(changed.body.message).toMatch(/llmops\.deployment\.update/);
    expect(tools.serving.applied.get(created.body.data.id)).toHaveLength(1);
  });

  it('retries a deployment the queue gave up on, with llmops.deployment.retry', async () => {
    const { server, tools } = await start({ queue: { maxAttempts: 1 } });
    tools.serving.mode = 'down';
    const created = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .set('authorization', as(INTERN))
      .send({
        name: 'support',
        environment: 'dev',
        spec: deploymentSpec({ old: 0, new: 100 }, 'rolling'),
      });
    const id = created.body.data.id;
    const failed = await request(server)
      .get(`/api/llm-ops/v1/deployments/${id}`)
      .set('authorization', as(INTERN));
    expect(failed.body.data.status).toBe('failed');
    tools.serving.mode = 'up';

    const intern = await request(server)
      .post(`/api/llm-ops/v1/deployments/${id}/retry`)
      .set('authorization', as(INTERN));
    expect(intern.status).toBe(403);
    expect(intern.body.message).toMatch(/llmops\.deployment\.retry/);
    expect(tools.serving.applied.get(id)).toBeUndefined();

    const retried = await request(server)
      .post(`/api/llm-ops/v1/deployments/${id}/retry`)
      .set('authorization', as(ALICE));
    expect(retried.status).toBe(200);
    expect(retried.body.data.status).not.toBe('failed');
    expect(tools.serving.applied.get(id)).toHaveLength(1);

    const again = await request(server)
      .post(`/api/llm-ops/v1/deployments/${id}/retry`)
      .set('authorization', as(ALICE));
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(
      `Deployment ${id} has no failed delivery to retry`,
    );
  });

  it('refuses a service principal on every mutating route unless llmOps.serviceSubjects names it', async () => {
    const { server, tools } = await start();
    const routes: Array<[string, string, object?]> = [
      ['post', '/api/llm-ops/v1/training-jobs', { spec: trainJobSpec() }],
      [
        'post',
        '/api/llm-ops/v1/deployments',
        {
          name: 'svc',
          environment: 'dev',
          spec: deploymentSpec({ old: 0, new: 100 }, 'rolling'),
        },
      ],
      [
        'put',
        '/api/llm-ops/v1/models/support-assistant/aliases/champion',
        { version: '2' },
      ],
      ['post', '/api/llm-ops/v1/revalidate'],
    ];
    for (const [method, path, body] of routes) {
      const res = await (request(server) as any)
        [method](path)
        .set('authorization', SERVICE)
        .send(body);
      expect({ path, status: res.status, message: res.body.message }).toEqual({
        path,
        status: 403,
        message:
          'Service external:test-service may not change LLM Ops state: only users may, and the services named in llmOps.serviceSubjects',
      });
    }
    expect(tools.orchestrator.workflows.size).toBe(0);
    expect(tools.serving.applied.size).toBe(0);
    // reads stay open to services
    const read = await request(server)
      .get('/api/llm-ops/v1/training-jobs')
      .set('authorization', SERVICE);
    expect(read.status).toBe(200);

    const trusted = await start({ serviceSubjects: ['external:test-service'] });
    const job = await request(trusted.server)
      .post('/api/llm-ops/v1/training-jobs')
      .set('authorization', SERVICE)
      .send({ spec: trainJobSpec() });
    expect(job.status).toBe(201);
  });

  it('asks llmops.revalidate for POST /revalidate, and runs one re-validation at a time', async () => {
    const { server } = await start();
    const intern = await request(server)
      .post('/api/llm-ops/v1/revalidate')
      .set('authorization', as(INTERN));
    expect(intern.status).toBe(403);

    // concurrent callers (the route, the scheduled task) share one pass
    let scans = 0;
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const ctx = {
      db: {
        trainingJobs: {
          listAll: async () => {
            scans += 1;
            await gate;
            return [];
          },
        },
        deployments: { listAll: async () => [] },
      },
      catalog: {},
      specs: { modelFamilies: [], gpuTypes: {} },
    } as unknown as ApiContext;
    const auth = { getOwnServiceCredentials: async () => ({}) } as any;
    const runs = [revalidateAll(ctx, auth), revalidateAll(ctx, auth)];
    release();
    const [a, b] = await Promise.all(runs);
    expect(scans).toBe(1);
    expect(a).toBe(b);
    // once it ended, the next call is a new pass
    await revalidateAll(ctx, auth);
    expect(scans).toBe(2);
  });
});

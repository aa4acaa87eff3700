import { Knex } from 'knex';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { llmOpsPlugin } from './plugin';
import { createTestTools } from './__testUtils__/testAdapters';
import {
  baseModel,
  deploymentSpec,
  fineTuned,
  trainJobSpec,
} from './__testUtils__/fixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function config(extra: object = {}) {
  return mockServices.rootConfig.factory({
    data: {
      llmOps: {
        gpuAvailable: true,
        circuitBreaker: {
          failureThreshold: 2,
          cooldownMs: 60_000,
          callTimeoutMs: 300,
        },
        queue: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 5 },
        // KServe with Knative, where canary and blue-green splits are enforced
        serving: { deploymentMode: 'Serverless' },
        ...extra,
      },
    },
  });
}

async function start(
  knex: Knex,
  tools = createTestTools(),
  entities = [baseModel, fineTuned],
) {
  const backend = await startTestBackend({
    features: [
      llmOpsPlugin,
      tools.module,
      config(),
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  return { server: backend.server, stop: () => backend.stop(), tools };
}

describe.each(databases.eachSupportedId())(
  'the /llm-ops/v1 API on %p',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    beforeEach(async () => {
      knex = await databases.init(databaseId);
    });

    it('validates a spec without submitting it, listing every error with its rule', async () => {
      const { server } = await start(knex);
      const bad = trainJobSpec({ model_family: 'gpt', method: 'sparse' });
      const res = await request(server)
        .post('/api/llm-ops/v1/training-jobs/validate')
        .send({ spec: bad });
      expect(res.status).toBe(200);
      expect(res.body.data.valid).toBe(false);
      const rules = res.body.data.errors.map((e: { rule: string }) => e.rule);
      expect(rules).toEqual(
        expect.arrayContaining(['model_family.not_allowed', 'schema']),
      );

      const submit = await request(server)
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec: bad });
      expect(submit.status).toBe(400);
      expect(submit.body.status).toBe('error');
      expect(submit.body.data.errors.length).toBeGreaterThanOrEqual(2);
      const list = await request(server).get('/api/llm-ops/v1/training-jobs');
      expect(list.body.data.items).toEqual([]);
    });

    it('submits a job to the orchestrator and the tracker, and shows its history and links', async () => {
      const { server, tools } = await start(knex);
      const res = await request(server)
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec: trainJobSpec() });
      expect(res.status).toBe(201);
      expect(res.body.data.status).toBe('submitted');
      const id = res.body.data.id;
      expect(tools.orchestrator.workflows.get(id)?.submissions).toBe(1);
      expect(tools.tracker.runs.get(id)?.tags['llmops.job_type']).toBe('SFT');

      const detail = await request(server).get(
        `/api/llm-ops/v1/training-jobs/${id}`,
      );
      expect(
        detail.body.data.history.map((h: { status: string }) => h.status),
      ).toEqual(['queued', 'submitted']);
      expect(detail.body.data.links).toEqual(
        expect.arrayContaining([
          expect.stringContaining('argo.test'),
          expect.stringContaining('mlflow.test'),
        ]),
      );
      expect(detail.body.data.workflowStatus.phase).toBe('Running');

      const filtered = await request(server).get(
        '/api/llm-ops/v1/training-jobs?job_type=PRETRAIN',
      );
      expect(filtered.body.data.items).toEqual([]);

      // text filters match a case-insensitive substring; LIKE's wildcards are literal
      const count = async (query: string) =>
        (await request(server).get(`/api/llm-ops/v1/training-jobs?${query}`))
          .body.data.items.length;
      expect(await count('model_family=LLA')).toBe(1);
      expect(
        await count(
          `owner=${encodeURIComponent(res.body.data.owner.slice(5, 12))}`,
        ),
      ).toBe(1);
      expect(await count('model_family=%25')).toBe(0);
      expect(await count('model_family=l_ama')).toBe(0);
    });

    it('creates one job for two identical requests with the same Idempotency-Key', async () => {
      const { server, tools } = await start(knex);
      const send = (body: object) =>
        request(server)
          .post('/api/llm-ops/v1/training-jobs')
          .set('Idempotency-Key', 'key-1')
          .send(body);
      const [first, second] = await Promise.all([
        send({ spec: trainJobSpec() }),
        send({ spec: trainJobSpec() }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 201]);
      expect(first.body.data.id).toBe(second.body.data.id);
      expect(tools.orchestrator.workflows.size).toBe(1);

      const changed = await send({ spec: trainJobSpec({ method: 'qlora' }) });
      expect(changed.status).toBe(409);
      const list = await request(server).get('/api/llm-ops/v1/training-jobs');
      expect(list.body.data.items).toHaveLength(1);
    });

    it('keeps an accepted job across a restart while its tool is down, then delivers it exactly once', async () => {
      const down = createTestTools();
      down.orchestrator.mode = 'down';
      const first = await start(knex, down);
      const res = await request(first.server)
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec: trainJobSpec() });
      expect(res.status).toBe(202);
      expect(res.body.data.status).toBe('queued');
      const id = res.body.data.id;
      await first.stop();

      const up = createTestTools();
      const second = await start(knex, up);
      // The delivery task runs at start-up; poll until the job is delivered.
      let status = '';
      for (let i = 0; i < 100 && status !== 'submitted'; i++) {
        await new Promise(r => setTimeout(r, 100));
        status = (
          await request(second.server).get(
            `/api/llm-ops/v1/training-jobs/${id}`,
          )
        ).body.data.status;
      }
      expect(status).toBe('submitted');
      expect(up.orchestrator.workflows.get(id)?.submissions).toBe(1);
      expect(down.orchestrator.workflows.size).toBe(0);
    });

    it('times out a hanging tool, opens its circuit and shows it in health', async () => {
      const tools = createTestTools();
      tools.orchestrator.mode = 'hang';
      const { server } = await start(knex, tools);
      for (let i = 0; i < 2; i++) {
        const res = await request(server)
          .post('/api/llm-ops/v1/training-jobs')
          .send({ spec: trainJobSpec() });
        expect(res.status).toBe(202);
      }
      const health = await request(server).get('/api/llm-ops/v1/integrations');
      const argo = health.body.data.integrations.find(
        (i: { tool: string }) => i.tool === 'argo',
      );
      expect(argo.circuit).toBe('open');
      expect(argo.lastError).toMatch(/timed out/);
      const callsBefore = tools.orchestrator.calls;
      const third = await request(server)
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec: trainJobSpec() });
      expect(third.status).toBe(202);
      // The open circuit fails fast: the tool is not called again.
      expect(tools.orchestrator.calls).toBe(callsBefore);
    });

    it('creates a canary deployment, promotes it and rolls it back', async () => {
      const { server, tools } = await start(knex);
      const created = await request(server)
        .post('/api/llm-ops/v1/deployments')
        .send({ name: 'support', environment: 'dev', spec: deploymentSpec() });
      expect(created.status).toBe(201);
      const id = created.body.data.id;
      const [manifests] = tools.serving.applied.get(id)!;
      expect(manifests[0]).toMatchObject({
        kind: 'InferenceService',
        spec: { predictor: { canaryTrafficPercent: 10 } },
      });
      // A Deployment entity's page finds its record by name, and reads the live split.
      const byName = await request(server).get(
        '/api/llm-ops/v1/deployments?name=support',
      );
      expect(
        byName.body.data.items.map((d: { id: string; name: string }) => [
          d.id,
          d.name,
        ]),
      ).toEqual([[id, 'support']]);
      expect(
        (await request(server).get('/api/llm-ops/v1/deployments?name=other'))
          .body.data.items,
      ).toEqual([]);
      const status = await request(server).get(
        `/api/llm-ops/v1/deployments/${id}/status`,
      );
      expect(status.body.data).toMatchObject({
        stale: false,
        ready: true,
        trafficSplit: { old: 90, new: 10 },
      });

      const promoted = await request(server).post(
        `/api/llm-ops/v1/deployments/${id}/promote`,
      );
      expect(promoted.status).toBe(200);
      expect(tools.serving.traffic.get('support')).toEqual({
        old: 0,
        new: 100,
      });
      const after = await request(server).get(
        `/api/llm-ops/v1/deployments/${id}/status`,
      );
      expect(after.body.data.trafficSplit).toEqual({ old: 0, new: 100 });
      expect(
        (
          await request(server).post(
            `/api/llm-ops/v1/deployments/${id}/promote`,
          )
        ).status,
      ).toBe(409);
      await request(server)
        .post(`/api/llm-ops/v1/deployments/${id}/rollback`)
        .expect(200);
      expect(tools.serving.traffic.get('support')).toEqual({
        old: 100,
        new: 0,
      });

      // every revision is in the history: who asked, which revision, which model
      const detail = await request(server).get(
        `/api/llm-ops/v1/deployments/${id}`,
      );
      const revisions = detail.body.data.history.filter(
        (h: { revision?: number }) => h.revision !== undefined,
      );
      expect(
        revisions.map((h: Record<string, unknown>) => [
          h.revision,
          h.reason,
          typeof h.actor,
          h.model_ref,
        ]),
      ).toEqual([
        [1, 'accepted', 'string', 'model:default/llama-3-8b-sft'],
        [2, 'promote to 0/100', 'string', 'model:default/llama-3-8b-sft'],
        [3, 'rollback to 100/0', 'string', 'model:default/llama-3-8b-sft'],
      ]);
      expect(revisions[1].actor).toBe(detail.body.data.owner);
    });

    it('deploys the registry version a model_version names: an alias pinned to its version, an unknown one refused with the versions there are', async () => {
      const tools = createTestTools();
      tools.tracker.models.get('support')!.aliases.champion = '2';
      const { server } = await start(knex, tools);
      const storageUri = (id: string) =>
        (tools.serving.applied.get(id)![0][0] as any).spec.predictor.model
          .storageUri;

      const unknown = await request(server)
        .post('/api/llm-ops/v1/deployments')
        .send({
          name: 'support',
          environment: 'dev',
          spec: { ...deploymentSpec(), model_version: '9' },
        });
      expect(unknown.status).toBe(400);
      expect(unknown.body.data.errors).toEqual([
        {
          path: 'model_version',
          rule: 'model_version.unknown',
          message:
            "support has no version 9 in MLflow's registry; its versions are 1, 2, 3",
        },
      ]);
      expect(tools.serving.applied.size).toBe(0);

      const created = await request(server)
        .post('/api/llm-ops/v1/deployments')
        .send({
          name: 'support',
          environment: 'dev',
          spec: { ...deploymentSpec(), model_version: '@champion' },
        });
      expect(created.status).toBe(201);
      const id = created.body.data.id;
      expect(storageUri(id)).toBe('s3://models.test/support/2/artifacts/model');
      const detail = (
        await request(server).get(`/api/llm-ops/v1/deployments/${id}`)
      ).body.data;
      // pinned: moving champion later does not change what this revision serves
      expect(detail.spec.model_version).toBe('2');
      expect(
        detail.history.find((h: { revision?: number }) => h.revision === 1),
      ).toMatchObject({
        model_ref: 'model:default/llama-3-8b-sft',
        model_version: '2',
      });

      // the live check of the form says the same before anything is applied
      const check = await request(server)
        .post('/api/llm-ops/v1/deployments/validate')
        .send({ spec: { ...deploymentSpec(), model_version: '@prod' } });
      expect(check.body.data.errors).toEqual([
        expect.objectContaining({
          path: 'model_version',
          rule: 'model_version.unknown',
          message:
            "support has no alias prod in MLflow's registry; its aliases are @champion (version 2)",
        }),
      ]);
    });

    it('refuses a model_version for a Model that is not an MLflow registered model', async () => {
      const hfFineTuned = {
        ...fineTuned,
        spec: { ...fineTuned.spec, source: 'hf://acme/support-sft' },
      };
      const { server } = await start(knex, createTestTools(), [
        baseModel,
        hfFineTuned,
      ]);
      const check = await request(server)
        .post('/api/llm-ops/v1/deployments/validate')
        .send({ spec: { ...deploymentSpec(), model_version: '3' } });
      expect(check.body.data.errors).toEqual([
        expect.objectContaining({
          path: 'model_version',
          rule: 'model_version.not_registered',
        }),
      ]);
      // without it, the Model's source is served
      const plain = await request(server)
        .post('/api/llm-ops/v1/deployments/validate')
        .send({ spec: deploymentSpec() });
      expect(plain.body.data.errors).toEqual([]);
    });

    it('accepts a model_version alias while MLflow is down, and serves the version it points at once MLflow is back', async () => {
      const down = createTestTools();
      down.tracker.mode = 'down';
      const first = await start(knex, down);
      const created = await request(first.server)
        .post('/api/llm-ops/v1/deployments')
        .send({
          name: 'support',
          environment: 'dev',
          spec: { ...deploymentSpec(), model_version: '@champion' },
        });
      expect(created.status).toBe(202);
      expect(created.body.data.status).toBe('queued');
      const id = created.body.data.id;
      expect(down.serving.applied.get(id)).toBeUndefined();
      await first.stop();

      // MLflow is back, and champion moved meanwhile: the delivery resolves it then
      const up = createTestTools();
      up.tracker.models.get('support')!.aliases.champion = '3';
      await start(knex, up);
      for (let i = 0; i < 100 && !up.serving.applied.get(id); i++) {
        await new Promise(r => setTimeout(r, 100));
      }
      expect(
        (up.serving.applied.get(id)![0][0] as any).spec.predictor.model
          .storageUri,
      ).toBe('s3://models.test/support/3/artifacts/model');
    });

    it('marks stored items non-compliant when the rules or catalog change, and refuses to run them', async () => {
      const tools = createTestTools();
      const first = await start(knex, tools);
      const job = await request(first.server)
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec: trainJobSpec() });
      const deployment = await request(first.server)
        .post('/api/llm-ops/v1/deployments')
        .send({ name: 'support', environment: 'dev', spec: deploymentSpec() });
      await first.stop();

      // The base model and the fine-tuned model leave the catalog.
      const second = await start(knex, createTestTools(), []);
      const res = await request(second.server).post(
        '/api/llm-ops/v1/revalidate',
      );
      expect(res.body.data).toMatchObject({ checked: 2, nonCompliant: 2 });
      const stored = await request(second.server).get(
        `/api/llm-ops/v1/training-jobs/${job.body.data.id}`,
      );
      expect(stored.body.data.status).toBe('non_compliant');
      expect(stored.body.data.nonCompliantRules).toEqual([
        'base_model_ref.unresolved',
      ]);
      const promote = await request(second.server).post(
        `/api/llm-ops/v1/deployments/${deployment.body.data.id}/promote`,
      );
      expect(promote.status).toBe(409);
      expect(promote.body.data.rules).toEqual(['model_ref.unresolved']);
    });

    it('answers reads from the last known data, marked stale, when the tool is down', async () => {
      const { server, tools } = await start(knex);
      await request(server)
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec: trainJobSpec() });
      const fresh = await request(server).get('/api/llm-ops/v1/experiments');
      expect(fresh.body.data).toMatchObject({
        stale: false,
        items: [{ name: expect.any(String) }],
      });
      tools.tracker.mode = 'down';
      const stale = await request(server).get('/api/llm-ops/v1/experiments');
      expect(stale.status).toBe(200);
      expect(stale.body.data.stale).toBe(true);
      expect(stale.body.data.items).toEqual(fresh.body.data.items);
      expect(Date.parse(stale.body.data.fetchedAt)).not.toBeNaN();
    });

    it('cancels a running job by stopping its workflow, and a queued one before it is ever delivered', async () => {
      const { server, tools } = await start(knex);
      const running = await request(server)
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec: trainJobSpec() });
      const cancelled = await request(server).post(
        `/api/llm-ops/v1/training-jobs/${running.body.data.id}/cancel`,
      );
      expect(cancelled.status).toBe(200);
      // cancelled once Argo confirms the stop (lifecycle.test.ts)
      expect(cancelled.body.data.status).toBe('cancelling');
      expect(
        tools.orchestrator.workflows.get(running.body.data.id)?.stopped,
      ).toBe(true);
      expect(
        (
          await request(server).post(
            `/api/llm-ops/v1/training-jobs/${running.body.data.id}/cancel`,
          )
        ).status,
      ).toBe(409);

      tools.orchestrator.mode = 'down';
      const queued = await request(server)
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec: trainJobSpec() });
      expect(queued.status).toBe(202);
      await request(server)
        .post(`/api/llm-ops/v1/training-jobs/${queued.body.data.id}/cancel`)
        .expect(200);
      tools.orchestrator.mode = 'up';
      await request(server)
        .post(`/api/llm-ops/v1/training-jobs/${queued.body.data.id}/retry`)
        .expect(409);
      const detail = await request(server).get(
        `/api/llm-ops/v1/training-jobs/${queued.body.data.id}`,
      );
      expect(detail.body.data.status).toBe('cancelled');
      expect(tools.orchestrator.workflows.has(queued.body.data.id)).toBe(false);
    });

    it('rejects malformed input with a 4xx naming the field', async () => {
      const { server } = await start(knex);
      const cases = [
        request(server).post('/api/llm-ops/v1/training-jobs').send({ nope: 1 }),
        request(server).get('/api/llm-ops/v1/training-jobs?limit=0'),
        request(server).get('/api/llm-ops/v1/training-jobs?cursor=garbage'),
        request(server)
          .post('/api/llm-ops/v1/deployments')
          .send({ name: 'X', environment: 'moon', spec: {} }),
        request(server).get('/api/llm-ops/v1/training-jobs/does-not-exist'),
      ];
      const results = await Promise.all(cases);
      expect(results.map(r => r.status)).toEqual([400, 400, 400, 400, 404]);
      for (const r of results) expect(r.body.status).toBe('error');
      expect(results[0].body.message).toMatch(/spec/);
      expect(results[1].body.message).toMatch(/limit/);
    });
  },
);

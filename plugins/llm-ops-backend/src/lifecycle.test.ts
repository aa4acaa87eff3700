/*
 * The lifecycle tracker through the API, on SQLite and PostgreSQL, with
 * in-memory tools whose state the test moves (the real controllers' runs
 * are in peers.test.ts): transitions with the tool's times and reasons,
 * the MLflow run ended, outputs, a restart, two instances at once.
 */
import { Knex } from 'knex';
import {
  createServiceFactory,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  MLFLOW_TAGS,
  trainJobWorkflowName,
} from '@llmops/plugin-llm-ops-common';
import request from 'supertest';
import { llmOpsPlugin } from './plugin';
import type { SubjectTransition } from './service/Lifecycle';
import { createTestTools } from './__testUtils__/testAdapters';
import {
  baseModel,
  deploymentSpec,
  fineTuned,
  trainJobSpec,
} from './__testUtils__/fixtures';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type History = Array<{ status: string; reason?: string; at: string }>;

async function start(knex: Knex, tools = createTestTools()) {
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options: { skipTaskRunOnStartup: boolean }): ServiceFactory;
  };
  const events = mockServices.events.mock();
  const sent: NotificationSendOptions[] = [];
  const notifications = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      send: async (options: NotificationSendOptions) => {
        sent.push(options);
      },
    }),
  });
  const backend = await startTestBackend({
    features: [
      llmOpsPlugin,
      tools.module,
      scheduler.factory({ skipTaskRunOnStartup: true }),
      events.factory,
      notifications,
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({ entities: [baseModel, fineTuned] }),
      mockServices.rootConfig.factory({
        data: {
          llmOps: {
            gpuAvailable: true,
            queue: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 50 },
            circuitBreaker: { failureThreshold: 1000, callTimeoutMs: 500 },
            serving: { deploymentMode: 'Serverless' },
          },
        },
      }),
    ],
  });
  const api = () => request(backend.server);
  return {
    api,
    tools,
    stop: () => backend.stop(),
    sent,
    track: () => scheduler.triggerTask('llm-ops-lifecycle'),
    deliver: () => scheduler.triggerTask('llm-ops-delivery'),
    job: async (id: string) =>
      (await api().get(`/api/llm-ops/v1/training-jobs/${id}`)).body.data,
    deployment: async (id: string) =>
      (await api().get(`/api/llm-ops/v1/deployments/${id}`)).body.data,
    /** The payloads published on a topic. */
    published: (topic: string): SubjectTransition[] =>
      events.publish.mock.calls
        .map(([e]) => e)
        .filter(e => e.topic === topic)
        .map(e => e.eventPayload as SubjectTransition),
  };
}

const at = (minutes: number) =>
  new Date(Date.UTC(2026, 11, 1, 10, minutes)).toISOString();
const pod = (name: string, phase: string, extra: object = {}) => ({
  name,
  type: 'Pod',
  templateName: 'train-node',
  phase,
  ...extra,
});

describe.each(databases.eachSupportedId())(
  'the lifecycle tracker on %p',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    beforeEach(async () => {
      knex = await databases.init(databaseId);
    });

    it("follows a job submitted → running → succeeded with Argo's times, ends its MLflow run FINISHED, records its output and GPU-hours", async () => {
      const portal = await start(knex);
      const { tools } = portal;
      const spec = trainJobSpec({
        resources: { gpus: 4, gpu_type: 'nvidia-a100-80gb', nodes: 2 },
      });
      const submitted = await portal
        .api()
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec });
      expect(submitted.status).toBe(201);
      const { id } = submitted.body.data;

      tools.orchestrator.states.set(id, {
        phase: 'Running',
        startedAt: at(0),
        nodes: [
          pod('train(0)', 'Pending', {
            message: '0/5 nodes are available: 5 Insufficient nvidia.com/gpu.',
          }),
        ],
      });
      await portal.track();
      let job = await portal.job(id);
      expect(job.status).toBe('submitted');
      expect(job.tracking.reason).toMatch(/0\/5 nodes are available/);

      tools.orchestrator.states.set(id, {
        phase: 'Running',
        startedAt: at(0),
        nodes: [
          pod('train(0)', 'Running', { startedAt: at(2) }),
          pod('train(1)', 'Running', { startedAt: at(2) }),
        ],
      });
      await portal.track();
      expect((await portal.job(id)).status).toBe('running');

      const runId = job.run.id;
      tools.tracker.models.set('support', {
        name: 'support',
        aliases: {},
        versions: [
          {
            version: '7',
            runId: 'their-own-run',
            tags: { [MLFLOW_TAGS.jobId]: id },
          },
        ],
      });
      tools.orchestrator.states.set(id, {
        phase: 'Succeeded',
        startedAt: at(0),
        finishedAt: at(32),
        nodes: [
          pod('train(0)', 'Succeeded', {
            startedAt: at(2),
            finishedAt: at(32),
          }),
          pod('train(1)', 'Succeeded', {
            startedAt: at(2),
            finishedAt: at(32),
          }),
          {
            name: 'rendezvous',
            type: 'Pod',
            templateName: 'rendezvous',
            phase: 'Succeeded',
            startedAt: at(1),
            finishedAt: at(32),
          },
        ],
      });
      await portal.track();
      await portal.track(); // a second round changes nothing
      job = await portal.job(id);
      expect(job.status).toBe('succeeded');
      expect((job.history as History).map(h => [h.status, h.at])).toEqual([
        ['queued', expect.any(String)],
        ['submitted', expect.any(String)],
        ['running', at(2)],
        ['succeeded', at(32)],
      ]);
      // 2 training pods × 4 GPUs × 30 minutes; the rendezvous pod has no GPU
      expect(job.tracking).toMatchObject({
        phase: 'Succeeded',
        durationSeconds: 32 * 60,
        gpuHours: 4,
        runStatus: 'FINISHED',
        outputModelVersions: [
          { name: 'support', version: '7', runId: 'their-own-run' },
        ],
      });
      expect(tools.tracker.endedRuns.get(runId)).toBe('FINISHED');
      // its owner is told, with a link to its page
      expect(portal.sent).toEqual([
        {
          recipients: {
            type: 'entity',
            entityRef: [
              'user:default/mock',
              'model:default/llama-3-8b-support-sft',
            ],
          },
          payload: expect.objectContaining({
            title: 'Training job llama-3-8b-support-sft succeeded',
            link: `/llm-ops/training-jobs/${id}`,
            severity: 'normal',
          }),
        },
      ]);
      expect(
        portal
          .published('llm-ops.training-job.status-changed')
          .map(e => `${e.from}→${e.to}`),
      ).toEqual(['submitted→running', 'running→succeeded']);
      await portal.stop();
    });

    it("fails a job with the step, message and exit code of its failed pod, and ends the run FAILED; the training code's own end stands", async () => {
      const portal = await start(knex);
      const { tools } = portal;
      const submit = async () =>
        (
          await portal
            .api()
            .post('/api/llm-ops/v1/training-jobs')
            .send({ spec: trainJobSpec() })
        ).body.data;
      const failing = await submit();
      const ended = await submit();
      tools.orchestrator.states.set(failing.id, {
        phase: 'Failed',
        message: 'child failed',
        startedAt: at(0),
        finishedAt: at(5),
        nodes: [
          pod('train(0)', 'Failed', {
            startedAt: at(1),
            finishedAt: at(5),
            message: 'Error (exit code 3)',
            exitCode: 3,
          }),
        ],
      });
      tools.tracker.endedRuns.set(ended.run.id, 'FINISHED'); // the training code ended it
      tools.orchestrator.states.set(ended.id, {
        phase: 'Failed',
        startedAt: at(0),
        finishedAt: at(5),
        nodes: [],
      });
      await portal.track();

      const job = await portal.job(failing.id);
      expect(job.status).toBe('failed');
      expect((job.history as History).at(-1)?.reason).toBe(
        'step train(0) (train-node) failed: Error (exit code 3)',
      );
      expect(job.tracking.failedStep).toEqual({
        name: 'train(0)',
        template: 'train-node',
        message: 'Error (exit code 3)',
        exitCode: 3,
      });
      expect(tools.tracker.endedRuns.get(failing.run.id)).toBe('FAILED');
      expect((await portal.job(ended.id)).tracking.runStatus).toBe('FINISHED');
      await portal.stop();
    });

    it('cancels a job only once the orchestrator has stopped its workflow, and ends its run KILLED', async () => {
      const portal = await start(knex);
      const { id, run } = (
        await portal
          .api()
          .post('/api/llm-ops/v1/training-jobs')
          .send({ spec: trainJobSpec() })
      ).body.data;
      const asked = await portal
        .api()
        .post(`/api/llm-ops/v1/training-jobs/${id}/cancel`);
      expect(asked.body.data.status).toBe('cancelling');
      expect(
        (await portal.api().post(`/api/llm-ops/v1/training-jobs/${id}/cancel`))
          .status,
      ).toBe(409);
      await portal.track();
      const job = await portal.job(id);
      expect(job.status).toBe('cancelled');
      expect((job.history as History).map(h => h.status)).toEqual([
        'queued',
        'submitted',
        'cancelling',
        'cancelled',
      ]);
      expect(portal.tools.tracker.endedRuns.get(run.id)).toBe('KILLED');
      await portal.stop();
    });

    it('stops a workflow whose submission was in flight when the job was cancelled, by its deterministic name', async () => {
      const portal = await start(knex);
      const { tools } = portal;
      tools.orchestrator.mode = 'hang';
      // then(): supertest sends a request only once it is awaited
      const submitting = portal
        .api()
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec: trainJobSpec() })
        .then(res => res);
      // the submission is claimed and its call to Argo hangs
      let id: string | undefined;
      for (let i = 0; i < 100 && !id; i++) {
        await new Promise(r => setTimeout(r, 50));
        const rows = await knex('outbox')
          .where({ operation: 'submit-workflow' })
          .whereNotNull('locked_until');
        id = rows[0]?.subject_id;
      }
      expect(id).toBeDefined();
      const asked = await portal
        .api()
        .post(`/api/llm-ops/v1/training-jobs/${id}/cancel`);
      expect(asked.body.data.status).toBe('cancelling');
      tools.orchestrator.mode = 'up';
      // the hung call times out; the queue's retry creates the workflow, and the stop reaches it
      await submitting;
      for (let i = 0; i < 20 && !tools.orchestrator.workflows.has(id!); i++) {
        await portal.deliver();
        await new Promise(r => setTimeout(r, 20));
      }
      expect(tools.orchestrator.workflows.has(id!)).toBe(true);
      // the first round may find it running (a stop that came first found nothing): it asks again
      await portal.track();
      await portal.track();
      const job = await portal.job(id!);
      expect(tools.orchestrator.workflows.get(id!)?.stopped).toBe(true);
      expect(job.status).toBe('cancelled');
      expect(job.workflow?.id ?? trainJobWorkflowName(id!)).toBe(
        trainJobWorkflowName(id!),
      );
      await portal.stop();
    });

    it('catches up after a restart: a job that finished while the backend was down ends succeeded once, with one entry per transition', async () => {
      const tools = createTestTools();
      const first = await start(knex, tools);
      const { id } = (
        await first
          .api()
          .post('/api/llm-ops/v1/training-jobs')
          .send({ spec: trainJobSpec() })
      ).body.data;
      await first.stop();
      // while the portal is down, the workflow runs and ends
      tools.orchestrator.states.set(id, {
        phase: 'Succeeded',
        startedAt: at(0),
        finishedAt: at(10),
        nodes: [
          pod('train(0)', 'Succeeded', {
            startedAt: at(1),
            finishedAt: at(10),
          }),
        ],
      });
      const second = await start(knex, tools);
      await second.track();
      await second.track();
      const job = await second.job(id);
      expect((job.history as History).map(h => [h.status, h.at])).toEqual([
        ['queued', expect.any(String)],
        ['submitted', expect.any(String)],
        ['running', at(1)],
        ['succeeded', at(10)],
      ]);
      await second.stop();
    });

    it('with two backend instances tracking at once, records each transition of 20 jobs exactly once', async () => {
      const tools = createTestTools();
      const [a, b] = [await start(knex, tools), await start(knex, tools)];
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const portal = i % 2 ? a : b;
        ids.push(
          (
            await portal
              .api()
              .post('/api/llm-ops/v1/training-jobs')
              .send({ spec: trainJobSpec() })
          ).body.data.id,
        );
      }
      for (const id of ids) {
        tools.orchestrator.states.set(id, {
          phase: 'Running',
          startedAt: at(0),
          nodes: [pod('train(0)', 'Running', { startedAt: at(1) })],
        });
      }
      await Promise.all([a.track(), b.track(), a.track(), b.track()]);
      for (const id of ids) {
        tools.orchestrator.states.set(id, {
          phase: 'Succeeded',
          startedAt: at(0),
          finishedAt: at(9),
          nodes: [
            pod('train(0)', 'Succeeded', {
              startedAt: at(1),
              finishedAt: at(9),
            }),
          ],
        });
      }
      await Promise.all([a.track(), b.track(), a.track(), b.track()]);
      for (const id of ids) {
        const job = await a.job(id);
        expect((job.history as History).map(h => h.status)).toEqual([
          'queued',
          'submitted',
          'running',
          'succeeded',
        ]);
      }
      const announced = [
        ...a.published('llm-ops.training-job.status-changed'),
        ...b.published('llm-ops.training-job.status-changed'),
      ];
      expect(announced).toHaveLength(40);
      await Promise.all([a.stop(), b.stop()]);
    });

    it("follows a deployment applying → ready → degraded from its resource's conditions, with the split the tool reports", async () => {
      const portal = await start(knex);
      const { tools } = portal;
      const created = await portal
        .api()
        .post('/api/llm-ops/v1/deployments')
        .send({
          name: 'support-assistant',
          environment: 'dev',
          spec: deploymentSpec({ old: 90, new: 10 }),
        });
      const { id, status, resource } = created.body.data;
      expect(status).toBe('applying');

      tools.serving.states.set(resource.id, {
        ready: false,
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
          },
        ],
      });
      await portal.track();
      expect((await portal.deployment(id)).status).toBe('progressing');

      tools.serving.states.set(resource.id, {
        ready: true,
        url: 'http://support-assistant.test',
        trafficSplit: { old: 80, new: 20 },
        conditions: [{ type: 'Ready', status: 'True' }],
      });
      await portal.track();
      let deployment = await portal.deployment(id);
      expect(deployment.status).toBe('ready');
      expect(deployment.tracking).toMatchObject({
        ready: true,
        observedSplit: { old: 80, new: 20 },
      });

      tools.serving.states.set(resource.id, {
        ready: false,
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'PredictorNotReady',
            message: 'pod not ready',
          },
        ],
      });
      await portal.track();
      deployment = await portal.deployment(id);
      expect(deployment.status).toBe('degraded');
      expect((deployment.history as History).at(-1)?.reason).toBe(
        'Ready: PredictorNotReady: pod not ready',
      );
      expect(
        portal.published('llm-ops.deployment.status-changed').map(e => e.to),
      ).toEqual(['progressing', 'ready', 'degraded']);
      await portal.stop();
    });
  },
);

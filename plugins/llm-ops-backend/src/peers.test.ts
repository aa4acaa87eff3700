/*
 * End to end through /api/llm-ops/v1 against the real tools: a real MLflow
 * server (read back with MLflow's own Python client) and a test cluster
 * where Argo Workflows and KServe's own controllers run what the portal
 * submits, on kwok nodes labelled like real GPU machines.
 */
import type {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TrainJobSpec, trainJobToMlflow } from '@llmops/plugin-llm-ops-common';
import {
  Cluster,
  condition,
  defaultDecision,
  describePeer,
  ExecutorDecision,
  GPU_NODES,
  MlflowPeer,
  python,
  startCluster,
  startMlflow,
} from '@internal/llmops-test-utils';
import request from 'supertest';
import { llmOpsPlugin } from './plugin';
import {
  baseModel,
  deploymentSpec,
  fineTuned,
  trainJobSpec,
} from './__testUtils__/fixtures';

jest.setTimeout(600_000);

/** Every run that carries an `llmops.job_id` tag, read by MLflow's client. */
const RUNS = `
import json, sys
from mlflow import MlflowClient
c = MlflowClient(json.loads(sys.argv[1])["uri"])
ids = [e.experiment_id for e in c.search_experiments()]
runs = c.search_runs(ids, "tags.\`llmops.job_id\` != ''", max_results=1000) if ids else []
print(json.dumps([{"job": r.data.tags.get("llmops.job_id"), "params": r.data.params,
  "tags": {k: v for k, v in r.data.tags.items() if not k.startswith("mlflow.")}} for r in runs]))
`;

/** The registered version the fine-tuned fixture serves (mlflow://models/support/3), and where MLflow keeps it. */
const REGISTER = `
import json, sys
from mlflow import MlflowClient
arg = json.loads(sys.argv[1])
c = MlflowClient(arg["uri"])
exp = c.create_experiment("support-sft", artifact_location="s3://acme-ml-artifacts/support-sft")
c.create_registered_model("support")
for i in range(3):
    run = c.create_run(exp)
    c.create_model_version("support", run.info.artifact_uri + "/model", run.info.run_id)
print(json.dumps(c.get_model_version_download_uri("support", "3")))
`;

/** One run's status and end time, read by MLflow's client. */
const RUN_STATUS = `
import json, sys
from mlflow import MlflowClient
arg = json.loads(sys.argv[1])
r = MlflowClient(arg["uri"]).get_run(arg["run_id"])
print(json.dumps({"status": r.info.status, "end_time": r.info.end_time}))
`;

/**
 * How the executor stand-in plays the training code, by the job's artifact
 * name (the pod's OUTPUT_ARTIFACT_NAME): `fails-*` exits 3, `held-*` runs
 * until the test ends it, any other exits 0.
 */
const playTraining: ExecutorDecision = (pod, template) => {
  const main = pod.spec.containers.find((c: any) => c.name === 'main');
  const artifact: string =
    main?.env?.find((e: any) => e.name === 'OUTPUT_ARTIFACT_NAME')?.value ?? '';
  if (!template?.daemon && artifact.startsWith('fails-'))
    return { exitCode: 3 };
  if (artifact.startsWith('held-')) return undefined;
  return defaultDecision(pod, template);
};

/** A database two portals share: PostgreSQL when the suite has one, else SQLite. */
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

type RunView = {
  job: string;
  params: Record<string, string>;
  tags: Record<string, string>;
};

describePeer(
  'the API end to end against MLflow, Argo Workflows and KServe',
  () => {
    let cluster: Cluster;
    let mlflow: MlflowPeer;
    let versionUri: string;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    let stopBackend: () => Promise<void>;
    // The mock scheduler runs the delivery task when the test triggers it.
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(options: { skipTaskRunOnStartup: boolean }): ServiceFactory;
    };
    const api = () => request(server);
    const runs = () => python<RunView[]>(RUNS, { uri: mlflow.uri });
    const runStatus = (runId: string) =>
      python<{ status: string; end_time: number | null }>(RUN_STATUS, {
        uri: mlflow.uri,
        run_id: runId,
      });
    /** Lifecycle rounds until the record reaches a status (the tracker reads the controllers' state). */
    const trackUntil = async (path: string, status: string) => {
      let data: any;
      for (let round = 0; round < 60; round++) {
        await scheduler.triggerTask('llm-ops-lifecycle');
        data = (await api().get(path)).body.data;
        if (data.status === status) break;
        await new Promise(r => setTimeout(r, 1000));
      }
      return data;
    };

    /** The portal's config: the test cluster's Argo (Kubernetes mode) and KServe, and MLflow. */
    const portalConfig = () => ({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'test',
                url: cluster.url,
                caData: cluster.caData,
                authProvider: 'serviceAccount',
                serviceAccountToken: cluster.token,
              },
            ],
          },
        ],
      },
      llmOps: {
        integrations: {
          // a fresh MLflow's first calls are slow on a loaded machine
          mlflow: {
            baseUrl: mlflow.uri,
            timeoutMs: 20_000,
            retries: 0,
          },
          argo: {
            mode: 'kubernetes',
            cluster: 'test',
            namespace: 'ml-training',
          },
          kserve: { cluster: 'test', namespace: 'llm-serving' },
        },
        training: { command: ['llmops-train'] },
        circuitBreaker: {
          failureThreshold: 1000,
          callTimeoutMs: 20_000,
        },
        queue: { baseDelayMs: 1, maxDelayMs: 10, maxAttempts: 100 },
        lifecycle: { watchSeconds: 15 },
      },
    });

    /** One more portal on the given database, with its own scheduler: a restart, a second instance. */
    const startPortal = async (knex: Knex) => {
      const own = mockServices.scheduler() as typeof scheduler;
      const backend = await startTestBackend({
        features: [
          llmOpsPlugin,
          own.factory({ skipTaskRunOnStartup: true }),
          catalogServiceMock.factory({ entities: [baseModel, fineTuned] }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({ data: portalConfig() }),
        ],
      });
      return {
        api: () => request(backend.server),
        track: () => own.triggerTask('llm-ops-lifecycle'),
        stop: () => backend.stop(),
      };
    };

    beforeAll(async () => {
      [cluster, mlflow] = await Promise.all([
        startCluster({
          argo: { workflowNamespaces: ['ml-training'], decide: playTraining },
          kserve: true,
        }),
        startMlflow(),
      ]);
      await cluster.namespace('llm-serving');
      versionUri = await python<string>(REGISTER, { uri: mlflow.uri });
      const backend = await startTestBackend({
        features: [
          llmOpsPlugin,
          scheduler.factory({ skipTaskRunOnStartup: true }),
          catalogServiceMock.factory({ entities: [baseModel, fineTuned] }),
          mockServices.rootConfig.factory({ data: portalConfig() }),
        ],
      });
      server = backend.server;
      stopBackend = () => backend.stop();
    }, 600_000);

    afterAll(async () => {
      await stopBackend?.();
      await Promise.all([cluster?.stop(), mlflow?.stop()]);
    });

    it('submits a TrainJobSpec: a Workflow that Argo runs to Succeeded on A100 nodes, and an MLflow run with its params and tags', async () => {
      const spec = trainJobSpec();
      const res = await api()
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec });
      // delivered at once (a 202 would be queued; its lastError says why)
      expect({
        status: res.status,
        lastError: res.body.data.lastError,
      }).toEqual({ status: 201, lastError: undefined });
      const { id, workflow } = res.body.data;
      expect(workflow).toMatchObject({
        tool: 'argo',
        namespace: 'ml-training',
      });

      const path = `/apis/argoproj.io/v1alpha1/namespaces/ml-training/workflows/${workflow.id}`;
      const stored = await cluster.get(path);
      expect(stored.metadata.annotations['llmops.dev/job-id']).toBe(id);
      const done = await cluster.waitFor(
        path,
        w => ['Succeeded', 'Failed', 'Error'].includes(w.status?.phase),
        180_000,
      );
      expect(done.status.phase).toBe('Succeeded');
      const pods = (
        await cluster.get('/api/v1/namespaces/ml-training/pods')
      ).items.filter(
        (p: any) =>
          p.metadata.labels?.['workflows.argoproj.io/workflow'] === workflow.id,
      );
      expect([GPU_NODES.a100a.name, GPU_NODES.a100b.name]).toContain(
        pods[0].spec.nodeName,
      );
      // The job's page reads the workflow's state from Argo.
      const detail = await api().get(`/api/llm-ops/v1/training-jobs/${id}`);
      expect(detail.body.data.workflowStatus.phase).toBe('Succeeded');
      // The tracker follows it to its end, with Argo's times, and ends the MLflow run.
      const job = await trackUntil(
        `/api/llm-ops/v1/training-jobs/${id}`,
        'succeeded',
      );
      expect(job.status).toBe('succeeded');
      expect(job.history.map((h: { status: string }) => h.status)).toEqual([
        'queued',
        'submitted',
        'running',
        'succeeded',
      ]);
      expect(job.history.at(-1).at).toBe(
        new Date(done.status.finishedAt).toISOString(),
      );
      expect(job.tracking).toMatchObject({
        phase: 'Succeeded',
        runStatus: 'FINISHED',
      });
      expect(job.tracking.gpuHours).toBeGreaterThan(0);
      expect((await runStatus(job.run.id)).status).toBe('FINISHED');

      // MLflow's own client reads the run the adapter wrote.
      const expected = trainJobToMlflow(spec as TrainJobSpec, {
        gpuAvailable: true,
      });
      const [run] = (await runs()).filter(r => r.job === id);
      expect(run.params).toEqual(expected.params);
      expect(run.tags).toMatchObject({ ...expected.tags, 'llmops.job_id': id });
    });

    it("follows a job through Argo's Kubernetes watch alone, without a resync round", async () => {
      const res = await api()
        .post('/api/llm-ops/v1/training-jobs')
        .send({
          spec: trainJobSpec({
            output: { artifact_name: 'watched', save_format: 'hf' },
          }),
        });
      const { id } = res.body.data;
      let job: any;
      // windows of watchSeconds each, going on from the last one's resource version
      for (let window = 0; window < 15; window++) {
        await scheduler.triggerTask('llm-ops-lifecycle-watch');
        job = (await api().get(`/api/llm-ops/v1/training-jobs/${id}`)).body
          .data;
        if (job.status === 'succeeded') break;
      }
      expect(job.history.map((h: { status: string }) => h.status)).toEqual([
        'queued',
        'submitted',
        'running',
        'succeeded',
      ]);
      expect((await runStatus(job.run.id)).status).toBe('FINISHED');
    });

    it("shows why a job for a GPU the cluster lacks waits: the scheduler's message", async () => {
      const spec = trainJobSpec({
        resources: { gpus: 8, gpu_type: 'nvidia-h200-141gb', nodes: 1 },
      });
      const res = await api()
        .post('/api/llm-ops/v1/training-jobs')
        .send({ spec });
      expect(res.status).toBe(201);
      const { id, workflow } = res.body.data;
      await cluster.waitFor(
        `/apis/argoproj.io/v1alpha1/namespaces/ml-training/workflows/${workflow.id}`,
        w =>
          Object.values<any>(w.status?.nodes ?? {}).some(n =>
            /nodes are available/.test(n.message ?? ''),
          ),
        120_000,
      );
      const detail = await api().get(`/api/llm-ops/v1/training-jobs/${id}`);
      const pod = detail.body.data.workflowStatus.nodes.find(
        (n: { type: string }) => n.type === 'Pod',
      );
      expect(pod.phase).toBe('Pending');
      expect(pod.message).toMatch(/0\/5 nodes are available/);
      // The tracker keeps it submitted, saying why, and cancels it once Argo has stopped it.
      await scheduler.triggerTask('llm-ops-lifecycle');
      const waiting = (await api().get(`/api/llm-ops/v1/training-jobs/${id}`))
        .body.data;
      expect(waiting.status).toBe('submitted');
      expect(waiting.tracking.reason).toMatch(/0\/5 nodes are available/);
      const cancel = await api().post(
        `/api/llm-ops/v1/training-jobs/${id}/cancel`,
      );
      expect(cancel.body.data.status).toBe('cancelling');
      const cancelled = await trackUntil(
        `/api/llm-ops/v1/training-jobs/${id}`,
        'cancelled',
      );
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.tracking.phase).toBe('Failed');
      expect((await runStatus(cancelled.run.id)).status).toBe('KILLED');
    });

    it("ends a job whose training step fails as failed, naming the step and its exit code; MLflow's client sees the run FAILED", async () => {
      const res = await api()
        .post('/api/llm-ops/v1/training-jobs')
        .send({
          spec: trainJobSpec({
            output: { artifact_name: 'fails-support-sft', save_format: 'hf' },
          }),
        });
      expect(res.status).toBe(201);
      const job = await trackUntil(
        `/api/llm-ops/v1/training-jobs/${res.body.data.id}`,
        'failed',
      );
      expect(job.status).toBe('failed');
      expect(job.tracking.phase).toBe('Failed');
      // The training pod's step, as Argo's UI names it, with its template.
      expect(job.tracking.failedStep).toMatchObject({
        name: 'nodes(0:0)',
        template: 'train-node',
        exitCode: 3,
      });
      const last = job.history.at(-1);
      expect(last.status).toBe('failed');
      expect(last.reason).toMatch(
        /^step nodes\(0:0\) \(train-node\) failed: .*exit code 3\)$/,
      );
      expect(last.reason.match(/exit code/g)).toHaveLength(1);
      expect(job.history.map((h: { status: string }) => h.status)).toEqual([
        'queued',
        'submitted',
        'running',
        'failed',
      ]);
      expect((await runStatus(job.run.id)).status).toBe('FAILED');
    });

    it('catches up after a restart: stopped while the job runs, started after its workflow ended, it records succeeded once', async () => {
      const [[databaseId]] = databases.eachSupportedId();
      const knex = await databases.init(databaseId);
      const first = await startPortal(knex);
      const res = await first
        .api()
        .post('/api/llm-ops/v1/training-jobs')
        .send({
          spec: trainJobSpec({
            output: { artifact_name: 'held-restart-sft', save_format: 'hf' },
          }),
        });
      expect(res.status).toBe(201);
      const { id, workflow } = res.body.data;
      const path = `/api/llm-ops/v1/training-jobs/${id}`;
      let seen: any;
      for (let i = 0; i < 60 && seen?.status !== 'running'; i++) {
        await first.track();
        seen = (await first.api().get(path)).body.data;
        if (seen.status !== 'running')
          await new Promise(r => setTimeout(r, 1000));
      }
      expect(seen.status).toBe('running');
      await first.stop();

      // While no portal runs, the training code ends and Argo ends the workflow.
      const [pod] = (
        await cluster.get('/api/v1/namespaces/ml-training/pods')
      ).items.filter(
        (p: any) =>
          p.metadata.labels?.['workflows.argoproj.io/workflow'] ===
            workflow.id && p.status?.phase === 'Running',
      );
      await cluster.argo!.executor.finish('ml-training', pod.metadata.name, {
        exitCode: 0,
      });
      await cluster.waitFor(
        `/apis/argoproj.io/v1alpha1/namespaces/ml-training/workflows/${workflow.id}`,
        w => w.status?.phase === 'Succeeded',
        120_000,
      );

      const second = await startPortal(knex);
      try {
        for (let i = 0; i < 30 && seen.status !== 'succeeded'; i++) {
          await second.track();
          seen = (await second.api().get(path)).body.data;
        }
        // and a round more changes nothing
        await second.track();
        const job = (await second.api().get(path)).body.data;
        expect(job.history.map((h: { status: string }) => h.status)).toEqual([
          'queued',
          'submitted',
          'running',
          'succeeded',
        ]);
        expect(job.tracking.runStatus).toBe('FINISHED');
        expect((await runStatus(job.run.id)).status).toBe('FINISHED');
      } finally {
        await second.stop();
      }
    });

    it('with two portals on one database, tracks 20 concurrent jobs on the real controllers to their ends, each transition once', async () => {
      const [[databaseId]] = databases.eachSupportedId();
      const knex = await databases.init(databaseId);
      const portals = [await startPortal(knex), await startPortal(knex)];
      try {
        const ids: string[] = [];
        await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const res = await portals[i % 2]
              .api()
              .post('/api/llm-ops/v1/training-jobs')
              .send({
                spec: trainJobSpec({
                  resources: { gpus: 0, nodes: 1 },
                  use_gpu: false,
                  output: { artifact_name: `pair-${i}`, save_format: 'hf' },
                }),
              });
            expect(res.status).toBe(201);
            ids.push(res.body.data.id);
          }),
        );
        const statuses = async () =>
          Promise.all(
            ids.map(
              async id =>
                (
                  await portals[0]
                    .api()
                    .get(`/api/llm-ops/v1/training-jobs/${id}`)
                ).body.data,
            ),
          );
        let jobs = await statuses();
        for (
          let round = 0;
          round < 90 && jobs.some(j => j.status !== 'succeeded');
          round++
        ) {
          // both instances' rounds at once, as two replicas' schedulers would run them
          await Promise.all(portals.map(p => p.track()));
          jobs = await statuses();
          if (jobs.some(j => j.status !== 'succeeded'))
            await new Promise(r => setTimeout(r, 1000));
        }
        for (const job of jobs) {
          expect({
            id: job.id,
            history: job.history.map((h: { status: string }) => h.status),
          }).toEqual({
            id: job.id,
            history: ['queued', 'submitted', 'running', 'succeeded'],
          });
        }
      } finally {
        await Promise.all(portals.map(p => p.stop()));
      }
    });

    it("deploys a Model registered in MLflow from that version's files: KServe admits it, and the portal reports it Ready", async () => {
      const created = await api()
        .post('/api/llm-ops/v1/deployments')
        .send({
          name: 'support-assistant',
          environment: 'dev',
          spec: deploymentSpec({ old: 0, new: 100 }, 'rolling'),
        });
      expect(created.status).toBe(201);
      const { id, resource } = created.body.data;
      expect(resource).toMatchObject({
        tool: 'kserve',
        id: 'support-assistant',
        namespace: 'llm-serving',
      });

      const path =
        '/apis/serving.kserve.io/v1beta1/namespaces/llm-serving/inferenceservices/support-assistant';
      const stored = await cluster.get(path);
      // mlflow://models/support/3, resolved through MLflow when it was delivered
      expect(stored.spec.predictor.model.storageUri).toBe(versionUri);
      expect(versionUri).toMatch(
        /^s3:\/\/acme-ml-artifacts\/support-sft\/.+\/model$/,
      );
      expect(
        stored.metadata.annotations['serving.kserve.io/deploymentMode'],
      ).toBe('RawDeployment');

      await cluster.waitFor(path, b => condition(b, 'Ready'), 180_000);
      const status = await api().get(
        `/api/llm-ops/v1/deployments/${id}/status`,
      );
      expect(status.body.data).toMatchObject({
        ready: true,
        stale: false,
        trafficSplit: { old: 0, new: 100 },
      });
      expect(status.body.data.url).toMatch(/support-assistant/);
      const ready = await trackUntil(
        `/api/llm-ops/v1/deployments/${id}`,
        'ready',
      );
      expect(ready.status).toBe('ready');
      expect(ready.tracking).toMatchObject({
        ready: true,
        url: expect.stringMatching(/support-assistant/),
      });
      // Its pod stops being Ready: KServe says so, and the deployment is degraded with KServe's reason.
      const pods = (
        await cluster.get('/api/v1/namespaces/llm-serving/pods')
      ).items.filter((p: any) =>
        p.metadata.name.startsWith('support-assistant'),
      );
      await cluster.pods.setReady('llm-serving', pods[0].metadata.name, false);
      // Followed through KServe's InferenceService watch alone, without a round.
      let degraded: any;
      for (let window = 0; window < 10; window++) {
        await scheduler.triggerTask('llm-ops-lifecycle-watch');
        degraded = (await api().get(`/api/llm-ops/v1/deployments/${id}`)).body
          .data;
        if (degraded.status === 'degraded') break;
      }
      expect(degraded.status).toBe('degraded');
      expect(degraded.history.at(-1).reason).toMatch(/^Ready/);
      await cluster.pods.setReady('llm-serving', pods[0].metadata.name, true);
      await cluster.waitFor(path, b => condition(b, 'Ready'), 120_000);
      expect(
        (await trackUntil(`/api/llm-ops/v1/deployments/${id}`, 'ready')).status,
      ).toBe('ready');
      // A rolling deployment has no split to promote.
      const promoted = await api().post(
        `/api/llm-ops/v1/deployments/${id}/promote`,
      );
      expect(promoted.status).toBe(409);
      expect(promoted.body.message).toMatch(/no traffic split/);
    });

    it('refuses a canary where KServe runs in RawDeployment mode, which would not enforce it', async () => {
      const refused = await api()
        .post('/api/llm-ops/v1/deployments')
        .send({
          name: 'support-canary',
          environment: 'dev',
          spec: deploymentSpec({ old: 90, new: 10 }),
        });
      expect(refused.status).toBe(400);
      expect(
        refused.body.data.errors.map((e: { rule: string }) => e.rule),
      ).toContain('rollout.split_unsupported_in_raw_deployment');
      const validated = await api()
        .post('/api/llm-ops/v1/deployments/validate')
        .send({
          spec: deploymentSpec({ old: 90, new: 10 }),
          environment: 'dev',
          backend: 'kserve',
        });
      expect(validated.body.data.valid).toBe(false);
    });

    it('queues submissions while MLflow is down and delivers each exactly once when it is back', async () => {
      const submit = (i: number) =>
        api()
          .post('/api/llm-ops/v1/training-jobs')
          .set('Idempotency-Key', `fault-${i}`)
          .send({
            spec: trainJobSpec({
              output: { artifact_name: `fault-${i}`, save_format: 'hf' },
            }),
          });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await submit(i)).body.data.id);

      const { port, dir } = mlflow;
      await mlflow.stop();
      for (let i = 3; i < 6; i++) {
        const res = await submit(i);
        expect(res.status).toBe(202);
        expect(res.body.data.status).toBe('queued');
        ids.push(res.body.data.id);
      }
      mlflow = await startMlflow({ port, dir });

      // The scheduled delivery task drains the queue.
      const statusOf = async (id: string) =>
        (await api().get(`/api/llm-ops/v1/training-jobs/${id}`)).body.data
          .status;
      for (let round = 0; round < 50; round++) {
        await scheduler.triggerTask('llm-ops-delivery');
        const statuses = await Promise.all(ids.map(statusOf));
        if (statuses.every(s => s === 'submitted')) break;
        await new Promise(r => setTimeout(r, 200));
      }
      expect(await Promise.all(ids.map(statusOf))).toEqual(
        ids.map(() => 'submitted'),
      );
      const all = await runs();
      for (const id of ids) {
        expect(all.filter(r => r.job === id)).toHaveLength(1);
      }
      const workflows = await cluster.get(
        '/apis/argoproj.io/v1alpha1/namespaces/ml-training/workflows',
      );
      const jobIds = workflows.items.map(
        (w: { metadata: { annotations: Record<string, string> } }) =>
          w.metadata.annotations['llmops.dev/job-id'],
      );
      for (const id of ids)
        expect(jobIds.filter((j: string) => j === id)).toHaveLength(1);
    });
  },
);

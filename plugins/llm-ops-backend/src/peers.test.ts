/*
 * End to end through /api/llm-ops/v1 against the real tools: a real MLflow
 * server (read back with MLflow's own Python client) and a real Kubernetes
 * API serving the upstream Argo Workflow and KServe InferenceService CRDs.
 */
import type { SchedulerService, ServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TrainJobSpec, trainJobToMlflow } from '@llmops/plugin-llm-ops-common';
import {
  describePeer,
  KubeApiserver,
  MlflowPeer,
  python,
  startKubeApiserver,
  startMlflow,
} from '@internal/llmops-test-utils';
import request from 'supertest';
import { llmOpsPlugin } from './plugin';
import { baseModel, deploymentSpec, fineTuned, trainJobSpec } from './__testUtils__/fixtures';

jest.setTimeout(300_000);

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

type RunView = { job: string; params: Record<string, string>; tags: Record<string, string> };

describePeer('the API end to end against MLflow and the Kubernetes API', () => {
  let kube: KubeApiserver;
  let mlflow: MlflowPeer;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stopBackend: () => Promise<void>;
  // The mock scheduler runs the delivery task when the test triggers it.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options: { skipTaskRunOnStartup: boolean }): ServiceFactory;
  };
  const runs = () => python<RunView[]>(RUNS, { uri: mlflow.uri });

  beforeAll(async () => {
    [kube, mlflow] = await Promise.all([
      startKubeApiserver([
        'argo/argoproj.io_workflows.yaml',
        'kserve/serving.kserve.io_inferenceservices.yaml',
      ]),
      startMlflow(),
    ]);
    const backend = await startTestBackend({
      features: [
        llmOpsPlugin,
        scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({ entities: [baseModel, fineTuned] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    { name: 'test', url: kube.url, authProvider: 'serviceAccount', serviceAccountToken: kube.token },
                  ],
                },
              ],
            },
            llmOps: {
              integrations: {
                mlflow: { baseUrl: mlflow.uri, timeoutMs: 3000, retries: 0 },
                argo: { mode: 'kubernetes', cluster: 'test', namespace: 'ml-training' },
                kserve: { cluster: 'test', namespace: 'llm-serving' },
              },
              circuitBreaker: { failureThreshold: 1000, callTimeoutMs: 20_000 },
              queue: { baseDelayMs: 1, maxDelayMs: 10, maxAttempts: 100 },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  });

  afterAll(async () => {
    await stopBackend?.();
    await Promise.all([kube?.stop(), mlflow?.stop()]);
  });

  it('submits a TrainJobSpec: a Workflow in the Kubernetes API, an MLflow run with its params and tags', async () => {
    const spec = trainJobSpec();
    const res = await request(server).post('/api/llm-ops/v1/training-jobs').send({ spec });
    expect(res.status).toBe(201);
    const { id, toolState } = res.body.data;
    const ref = toolState['submit-workflow'];

    // The API server validated it against the upstream CRD and stored it.
    const stored = await kube.call('GET', `/apis/argoproj.io/v1alpha1/namespaces/${ref.namespace}/workflows/${ref.id}`);
    expect(stored.status).toBe(200);
    expect(stored.body.metadata.annotations['llmops.dev/job-id']).toBe(id);
    const containers = JSON.stringify(stored.body.spec.templates);
    expect(containers).toContain('registry/llm-train-sft');
    expect(containers).toContain('nvidia.com/gpu');

    // MLflow's own client reads the run the adapter wrote.
    const expected = trainJobToMlflow(spec as TrainJobSpec, { gpuAvailable: true });
    const [run] = (await runs()).filter(r => r.job === id);
    expect(run.params).toEqual(expected.params);
    expect(run.tags).toMatchObject({ ...expected.tags, 'llmops.job_id': id });
  });

  it('turns a 90/10 canary DeploymentSpec into an InferenceService at 10%, and promotes it to 100', async () => {
    const created = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .send({ name: 'support-assistant', environment: 'dev', spec: deploymentSpec({ old: 90, new: 10 }) });
    expect(created.status).toBe(201);
    const path = '/apis/serving.kserve.io/v1beta1/namespaces/llm-serving/inferenceservices/support-assistant';
    const before = await kube.call('GET', path);
    expect(before.status).toBe(200);
    expect(before.body.spec.predictor.canaryTrafficPercent).toBe(10);

    const promoted = await request(server).post(`/api/llm-ops/v1/deployments/${created.body.data.id}/promote`);
    expect(promoted.status).toBe(200);
    expect(promoted.body.data.status).toBe('deployed');
    const after = await kube.call('GET', path);
    expect(after.body.spec.predictor.canaryTrafficPercent).toBe(100);
  });

  it('queues submissions while MLflow is down and delivers each exactly once when it is back', async () => {
    const submit = (i: number) =>
      request(server)
        .post('/api/llm-ops/v1/training-jobs')
        .set('Idempotency-Key', `fault-${i}`)
        .send({ spec: trainJobSpec({ output: { artifact_name: `fault-${i}`, save_format: 'hf' } }) });
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
      (await request(server).get(`/api/llm-ops/v1/training-jobs/${id}`)).body.data.status;
    for (let round = 0; round < 50; round++) {
      await scheduler.triggerTask('llm-ops-delivery');
      const statuses = await Promise.all(ids.map(statusOf));
      if (statuses.every(s => s === 'submitted')) break;
      await new Promise(r => setTimeout(r, 200));
    }
    expect(await Promise.all(ids.map(statusOf))).toEqual(ids.map(() => 'submitted'));
    const all = await runs();
    for (const id of ids) {
      expect(all.filter(r => r.job === id)).toHaveLength(1);
    }
    const workflows = await kube.call('GET', '/apis/argoproj.io/v1alpha1/namespaces/ml-training/workflows');
    const jobIds = workflows.body.items.map(
      (w: { metadata: { annotations: Record<string, string> } }) => w.metadata.annotations['llmops.dev/job-id'],
    );
    for (const id of ids) expect(jobIds.filter((j: string) => j === id)).toHaveLength(1);
  });
});

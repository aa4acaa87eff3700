import { parse } from 'yaml';
import {
  deploymentToInferenceService,
  deploymentToRayService,
} from '@llmops/plugin-llm-ops-common';
import {
  KubernetesServingAdapter,
  ToolHttpClient,
} from '@llmops/plugin-llm-ops-node';
import {
  Cluster,
  condition,
  describePeer,
  startCluster,
} from '@internal/llmops-test-utils';
import {
  processEntity,
  RecordingConnection,
  recordingLogger,
} from '../__testUtils__/recordingConnection';
import { KubernetesServingLister } from './KubernetesServingLister';
import { ServingDeploymentEntityProvider } from './ServingDeploymentEntityProvider';

jest.setTimeout(300_000);

const spec = (
  modelRef: string,
  strategy = 'rolling',
  split = '{ old: 0, new: 100 }',
) =>
  parse(`
kind: DeploymentSpec
model_ref: ${modelRef}
model_family: llama
job_type: SFT
resources: { gpus: 1, gpu_memory_gb: 80 }
runtime: { max_concurrent_requests: 64, max_input_tokens: 6144, max_output_tokens: 1024 }
rollout: { strategy: ${strategy}, traffic_split: ${split} }
`);
const model = { source: 'mlflow://models/support-assistant/4' };
/** Where MLflow keeps that version (the backend looks it up at delivery). */
const storageUri = 's3://acme-ml-artifacts/support-assistant-sft/0a1b/artifacts/model';
const NS = 'llm-prod';

describePeer(
  'ServingDeploymentEntityProvider against KServe and KubeRay on a test cluster',
  () => {
    let cluster: Cluster;
    const logger = recordingLogger();
    const connection = new RecordingConnection();
    let provider: ServingDeploymentEntityProvider;
    const http = (tool: string) =>
      new ToolHttpClient({
        tool,
        baseUrl: cluster.url,
        auth: { type: 'bearer', token: cluster.token },
        tls: { ca: Buffer.from(cluster.caData, 'base64').toString('utf8') },
        retries: 0,
        timeoutMs: 3000,
      });
    const kserve = () =>
      new KubernetesServingAdapter('kserve', http('kserve'), NS);
    const signal = new AbortController().signal;
    const isvcPath = (name: string) =>
      `/apis/serving.kserve.io/v1beta1/namespaces/${NS}/inferenceservices/${name}`;

    beforeAll(async () => {
      cluster = await startCluster({ kserve: true, kuberay: true });
      await cluster.namespace(NS);
      await kserve().applyDeployment(
        {
          deploymentId: 'd-1',
          manifests: [
            deploymentToInferenceService(
              spec('model:default/support-assistant'),
              {
                model,
                storageUri,
                namespace: NS,
                name: 'support-assistant',
              },
            ),
          ],
        },
        signal,
      );
      // KServe's controller reconciles it; kwok makes its pod Ready
      await cluster.waitFor(
        isvcPath('support-assistant'),
        b => condition(b, 'Ready'),
        180_000,
      );
      await new KubernetesServingAdapter(
        'rayserve',
        http('rayserve'),
        NS,
      ).applyDeployment(
        {
          deploymentId: 'd-2',
          manifests: [
            deploymentToRayService(
              spec('model:default/docs-rag'),
              { model, storageUri, namespace: NS, name: 'docs-rag' },
            ),
          ],
        },
        signal,
      );
      // KubeRay's first reconciles settle its status (it never gets Ready here)
      await cluster.waitFor(
        `/apis/ray.io/v1/namespaces/${NS}/rayservices/docs-rag`,
        b => b.status?.conditions?.some((c: { type: string }) => c.type === 'Ready'),
        180_000,
      );
      await new Promise(r => setTimeout(r, 3000));
      provider = new ServingDeploymentEntityProvider({
        logger,
        cluster: 'prod-cluster',
        clusterUrl: cluster.url,
        lister: new KubernetesServingLister(http('kubernetes')),
        environment: 'prod',
        defaultOwner: 'group:default/nlp',
      });
      await provider.connect(connection);
    });

    afterAll(async () => {
      await cluster?.stop();
    });

    it('emits a Deployment per InferenceService and RayService, with status, traffic and the Kubernetes plugin annotations', async () => {
      expect(await provider.refresh()).toEqual({
        type: 'full',
        added: 2,
        removed: 0,
        failures: 0,
      });
      expect(connection.last().added).toEqual([
        'deployment:default/docs-rag.llm-prod.prod-cluster',
        'deployment:default/support-assistant.llm-prod.prod-cluster',
      ]);
      const isvc = connection.entities.get(
        'deployment:default/support-assistant.llm-prod.prod-cluster',
      )!;
      expect(isvc.metadata).toMatchObject({
        title: 'support-assistant (llm-prod, prod-cluster)',
        annotations: {
          'backstage.io/kubernetes-id': 'support-assistant',
          'backstage.io/kubernetes-namespace': NS,
          'backstage.io/kubernetes-label-selector':
            'serving.kserve.io/inferenceservice=support-assistant',
          'backstage.io/kubernetes-cluster': 'prod-cluster',
          'backstage.io/managed-by-location': `url:${cluster.url}`,
          'backstage.io/managed-by-origin-location': `url:${cluster.url}`,
        },
      });
      const live = await cluster.get(isvcPath('support-assistant'));
      expect(isvc.spec).toEqual({
        model: 'model:default/support-assistant',
        serveTarget: 'GENERATION',
        backend: 'kserve',
        cluster: 'prod-cluster',
        namespace: NS,
        environment: 'prod',
        owner: 'group:default/nlp',
        lifecycle: 'production',
        // what KServe's controller wrote
        endpoint: live.status.url,
        runtime: { maxConcurrentRequests: 64 },
        rollout: { strategy: 'rolling', trafficSplit: { old: 0, new: 100 } },
        status: {
          ready: true,
          conditions: expect.arrayContaining([
            expect.objectContaining({ type: 'PredictorReady', status: 'True' }),
            expect.objectContaining({ type: 'Ready', status: 'True' }),
          ]),
        },
      });
      expect(isvc.spec!.endpoint).toMatch(/^https?:\/\/support-assistant/);
      const ray = connection.entities.get(
        'deployment:default/docs-rag.llm-prod.prod-cluster',
      )!;
      expect(
        ray.metadata.annotations!['backstage.io/kubernetes-label-selector'],
      ).toBe('ray.io/originated-from-cr-name=docs-rag');
      expect(ray.spec).toMatchObject({
        model: 'model:default/docs-rag',
        backend: 'rayserve',
        rollout: { strategy: 'rolling', trafficSplit: { old: 0, new: 100 } },
        // Ray Serve's health comes from the Ray dashboard, which kwok pods lack
        status: { ready: false },
      });
      for (const entity of connection.entities.values()) {
        const { valid, relations } = await processEntity(entity);
        expect(valid).toBe(true);
        expect(relations).toContain(
          `deployment:default/${entity.metadata.name} serves ${
            entity.spec!.model
          }`,
        );
      }
    });

    it('adds only a new InferenceService, changes only the one whose readiness changed, removes only the one deleted', async () => {
      await kserve().applyDeployment(
        {
          deploymentId: 'd-3',
          manifests: [
            deploymentToInferenceService(spec('model:default/tone-aligned'), {
              model,
              storageUri,
              namespace: NS,
              name: 'tone-aligned',
            }),
          ],
        },
        signal,
      );
      await cluster.waitFor(isvcPath('tone-aligned'), b => !!b.status?.conditions, 120_000);
      await provider.refresh();
      expect(connection.last().added).toEqual([
        'deployment:default/tone-aligned.llm-prod.prod-cluster',
      ]);
      expect(connection.last().removed).toEqual([]);
      await cluster.waitFor(isvcPath('tone-aligned'), b => condition(b, 'Ready'), 180_000);
      await provider.refresh();

      // Its pod stops being ready: KServe says so, and only that entity changes.
      const pods = await cluster.get(
        `/api/v1/namespaces/${NS}/pods?labelSelector=serving.kserve.io%2Finferenceservice%3Dsupport-assistant`,
      );
      await cluster.pods.setReady(NS, pods.items[0].metadata.name, false);
      await cluster.waitFor(isvcPath('support-assistant'), b => condition(b, 'Ready', 'False'), 120_000);
      await provider.refresh();
      expect(connection.last()).toEqual({
        type: 'delta',
        added: ['deployment:default/support-assistant.llm-prod.prod-cluster'],
        removed: [],
      });
      expect(
        connection.entities.get(
          'deployment:default/support-assistant.llm-prod.prod-cluster',
        )!.spec!.status,
      ).toMatchObject({ ready: false });

      expect((await cluster.call('DELETE', isvcPath('tone-aligned'))).status).toBe(
        200,
      );
      // KServe's finalizer goes first: the object is gone once it has run
      for (let i = 0; i < 100; i++) {
        if ((await cluster.call('GET', isvcPath('tone-aligned'))).status === 404) break;
        await new Promise(r => setTimeout(r, 200));
      }
      await provider.refresh();
      expect(connection.last().removed).toEqual([
        'deployment:default/tone-aligned.llm-prod.prod-cluster',
      ]);
    });

    it('skips a resource that does not name its model, with a log line', async () => {
      const plain = await cluster.call(
        'POST',
        `/apis/serving.kserve.io/v1beta1/namespaces/${NS}/inferenceservices`,
        {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: { name: 'hand-made' },
          spec: {
            predictor: {
              model: {
                modelFormat: { name: 'huggingface' },
                storageUri: 'hf://x/y:main',
              },
            },
          },
        },
      );
      expect(plain.status).toBe(201);
      expect(await provider.refresh()).toMatchObject({ type: 'none' });
      expect(logger.warnings).toContain(
        'Skipping InferenceService llm-prod/hand-made in cluster prod-cluster: annotation llmops.dev/model-ref is missing, so the model it serves is unknown',
      );
    });

    it('removes nothing while the cluster is down', async () => {
      const before = [...connection.entities.keys()].sort();
      const mutations = connection.mutations.length;
      await cluster.stop();
      expect(await provider.refresh()).toEqual({
        type: 'none',
        added: 0,
        removed: 0,
        failures: 2,
      });
      expect(connection.mutations).toHaveLength(mutations);
      expect([...connection.entities.keys()].sort()).toEqual(before);
      expect(provider.getHealth()).toMatchObject({
        healthy: false,
        entityCount: 2,
        failures: [
          { partition: 'prod-cluster:kserve' },
          { partition: 'prod-cluster:rayserve' },
        ],
      });
    });
  },
);

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
  describePeer,
  KubeApiserver,
  startKubeApiserver,
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
  strategy = 'canary',
  split = '{ old: 90, new: 10 }',
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
const NS = 'llm-prod';

describePeer(
  'ServingDeploymentEntityProvider against a real Kubernetes API server',
  () => {
    let kube: KubeApiserver;
    const logger = recordingLogger();
    const connection = new RecordingConnection();
    let provider: ServingDeploymentEntityProvider;
    const http = (tool: string) =>
      new ToolHttpClient({
        tool,
        baseUrl: kube.url,
        auth: { type: 'bearer', token: kube.token },
        retries: 0,
        timeoutMs: 3000,
      });
    const kserve = () =>
      new KubernetesServingAdapter('kserve', http('kserve'), NS);
    const signal = new AbortController().signal;
    const isvcPath = (name: string) =>
      `/apis/serving.kserve.io/v1beta1/namespaces/${NS}/inferenceservices/${name}`;

    beforeAll(async () => {
      kube = await startKubeApiserver([
        'kserve/serving.kserve.io_inferenceservices.yaml',
        'kuberay/ray.io_rayservices.yaml',
      ]);
      await kserve().applyDeployment(
        {
          deploymentId: 'd-1',
          manifests: [
            deploymentToInferenceService(
              spec('model:default/support-assistant'),
              {
                model,
                namespace: NS,
                name: 'support-assistant',
              },
            ),
          ],
        },
        signal,
      );
      const current = (await kube.call('GET', isvcPath('support-assistant')))
        .body;
      const written = await kube.call(
        'PUT',
        `${isvcPath('support-assistant')}/status`,
        {
          ...current,
          status: {
            url: 'https://support-assistant.llm-prod.example.com',
            conditions: [
              {
                type: 'PredictorReady',
                status: 'True',
                lastTransitionTime: '2026-11-01T00:00:00Z',
              },
              {
                type: 'Ready',
                status: 'True',
                lastTransitionTime: '2026-11-01T00:00:00Z',
              },
            ],
          },
        },
      );
      if (written.status !== 200) {
        throw new Error(`writing the status: ${JSON.stringify(written.body)}`);
      }
      await new KubernetesServingAdapter(
        'rayserve',
        http('rayserve'),
        NS,
      ).applyDeployment(
        {
          deploymentId: 'd-2',
          manifests: [
            deploymentToRayService(
              spec(
                'model:default/docs-rag',
                'blue-green',
                '{ old: 0, new: 100 }',
              ),
              { model, namespace: NS, name: 'docs-rag' },
            ),
          ],
        },
        signal,
      );
      provider = new ServingDeploymentEntityProvider({
        logger,
        cluster: 'prod-cluster',
        clusterUrl: kube.url,
        lister: new KubernetesServingLister(http('kubernetes')),
        environment: 'prod',
        defaultOwner: 'group:default/nlp',
      });
      await provider.connect(connection);
    });

    afterAll(async () => {
      await kube?.stop();
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
          'backstage.io/managed-by-location': `url:${kube.url}`,
          'backstage.io/managed-by-origin-location': `url:${kube.url}`,
        },
      });
      expect(isvc.spec).toEqual({
        model: 'model:default/support-assistant',
        serveTarget: 'GENERATION',
        backend: 'kserve',
        cluster: 'prod-cluster',
        namespace: NS,
        environment: 'prod',
        owner: 'group:default/nlp',
        lifecycle: 'production',
        endpoint: 'https://support-assistant.llm-prod.example.com',
        runtime: { maxConcurrentRequests: 64 },
        rollout: { strategy: 'canary', trafficSplit: { old: 90, new: 10 } },
        status: {
          ready: true,
          conditions: [
            {
              type: 'PredictorReady',
              status: 'True',
              lastTransitionTime: '2026-11-01T00:00:00Z',
            },
            {
              type: 'Ready',
              status: 'True',
              lastTransitionTime: '2026-11-01T00:00:00Z',
            },
          ],
        },
      });
      const ray = connection.entities.get(
        'deployment:default/docs-rag.llm-prod.prod-cluster',
      )!;
      expect(
        ray.metadata.annotations!['backstage.io/kubernetes-label-selector'],
      ).toBe('ray.io/originated-from-cr-name=docs-rag');
      expect(ray.spec).toMatchObject({
        model: 'model:default/docs-rag',
        backend: 'rayserve',
        rollout: { strategy: 'blue-green', trafficSplit: { old: 0, new: 100 } },
        status: { ready: false, conditions: [] },
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

    it('adds only a new InferenceService, changes only the one whose traffic moved, removes only the one deleted', async () => {
      await kserve().applyDeployment(
        {
          deploymentId: 'd-3',
          manifests: [
            deploymentToInferenceService(spec('model:default/tone-aligned'), {
              model,
              namespace: NS,
              name: 'tone-aligned',
            }),
          ],
        },
        signal,
      );
      await provider.refresh();
      expect(connection.last()).toEqual({
        type: 'delta',
        added: ['deployment:default/tone-aligned.llm-prod.prod-cluster'],
        removed: [],
      });

      await kserve().setTraffic(
        { id: 'support-assistant', namespace: NS },
        { old: 50, new: 50 },
        signal,
      );
      await provider.refresh();
      expect(connection.last()).toEqual({
        type: 'delta',
        added: ['deployment:default/support-assistant.llm-prod.prod-cluster'],
        removed: [],
      });
      expect(
        connection.entities.get(
          'deployment:default/support-assistant.llm-prod.prod-cluster',
        )!.spec!.rollout,
      ).toEqual({ strategy: 'canary', trafficSplit: { old: 50, new: 50 } });

      expect((await kube.call('DELETE', isvcPath('tone-aligned'))).status).toBe(
        200,
      );
      await provider.refresh();
      expect(connection.last()).toEqual({
        type: 'delta',
        added: [],
        removed: ['deployment:default/tone-aligned.llm-prod.prod-cluster'],
      });
    });

    it('skips a resource that does not name its model, with a log line', async () => {
      const plain = await kube.call(
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
                storageUri: 'hf://x/y',
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
      await kube.stop();
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

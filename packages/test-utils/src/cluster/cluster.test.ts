import { describePeer } from '../peers';
import { Cluster, startCluster } from './cluster';
import { GPU_NODES, GPU_TOLERATION } from './gpuNodes';
import { condition, kubeClient } from './kube';
import { STAND_IN_EXIT_CODE_ANNOTATION } from './argo';

jest.setTimeout(180_000);

const A100_OR_H100 = [
  GPU_NODES.a100a.name,
  GPU_NODES.a100b.name,
  GPU_NODES.h100.name,
];

/** A pod spec asking for GPUs of at least `minMiB` (and below `maxMiB`) by GFD's memory label. */
function gpuPod(
  name: string,
  namespace: string,
  options: {
    gpus: number;
    minMiB: number;
    maxMiB?: number;
    tolerate?: boolean;
  },
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  {
                    key: 'nvidia.com/gpu.memory',
                    operator: 'Gt',
                    values: [String(options.minMiB - 1)],
                  },
                  ...(options.maxMiB
                    ? [
                        {
                          key: 'nvidia.com/gpu.memory',
                          operator: 'Lt',
                          values: [String(options.maxMiB)],
                        },
                      ]
                    : []),
                ],
              },
            ],
          },
        },
      },
      tolerations: options.tolerate === false ? [] : [GPU_TOLERATION],
      containers: [
        {
          name: 'main',
          image: 'vllm/vllm-openai:v0.10.1',
          resources: {
            limits: { 'nvidia.com/gpu': String(options.gpus) },
            requests: { cpu: '1', memory: '4Gi' },
          },
        },
      ],
    },
  };
}

describePeer(
  'the test cluster (kube-apiserver v1.34.4, kwok GPU nodes, Argo, KServe, KubeRay)',
  () => {
    let cluster: Cluster;
    const pod = (ns: string, name: string) =>
      `/api/v1/namespaces/${ns}/pods/${name}`;

    beforeAll(async () => {
      cluster = await startCluster({
        argo: { workflowNamespaces: ['training'] },
        kserve: true,
        kuberay: true,
      });
      await cluster.namespace('sched');
      await cluster.namespace('serving');
      await cluster.namespace('ray');
    }, 900_000);

    afterAll(async () => {
      await cluster?.stop();
    });

    describe('control plane', () => {
      it('serves v1.34.4 over HTTPS to the admin token and refuses anonymous requests', async () => {
        const version = await cluster.call('GET', '/version');
        expect(version.body.gitVersion).toBe('v1.34.4');
        const stranger = kubeClient(cluster.url, 'not-a-token', cluster.ca);
        expect((await stranger.call('GET', '/api/v1/pods')).status).toBe(401);
        const anonymous = kubeClient(cluster.url, '', cluster.ca);
        const refused = await anonymous.call('GET', '/api/v1/pods');
        expect(refused.status).toBe(403);
        expect(refused.body.message).toMatch(/system:anonymous/);
        // the plain-HTTP proxy passes the caller's token through
        const viaProxy = await fetch(`${cluster.httpUrl}/api/v1/nodes`, {
          headers: { authorization: `Bearer ${cluster.token}` },
        });
        expect(viaProxy.status).toBe(200);
        expect((await viaProxy.json()).items).toHaveLength(5);
        expect((await fetch(`${cluster.httpUrl}/api/v1/nodes`)).status).toBe(
          403,
        );
      });

      it('runs the nodes with the labels, resources and taint of GFD-labelled GPU machines', async () => {
        const h100 = await cluster.get(`/api/v1/nodes/${GPU_NODES.h100.name}`);
        expect(h100.metadata.labels).toMatchObject({
          'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
          'nvidia.com/gpu.memory': '81559',
          'nvidia.com/gpu.count': '8',
          'nvidia.com/gpu.family': 'hopper',
          'nvidia.com/gpu.machine': 'p5.48xlarge',
        });
        expect(h100.status.allocatable['nvidia.com/gpu']).toBe('8');
        expect(h100.spec.taints).toEqual([
          { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
        ]);
        expect(condition(h100, 'Ready')).toBe(true);
        const cpu = await cluster.get(`/api/v1/nodes/${GPU_NODES.cpu.name}`);
        expect(cpu.spec.taints ?? []).toEqual([]);
        expect(cpu.status.allocatable['nvidia.com/gpu']).toBeUndefined();
      });
    });

    describe('scheduling by the real kube-scheduler', () => {
      it('puts 80 GB GPU requests on the A100-80GB and H100 nodes, until their GPUs are taken', async () => {
        for (const i of [1, 2, 3, 4]) {
          await cluster.apply(
            gpuPod(`big-${i}`, 'sched', { gpus: 8, minMiB: 80 * 1000 }),
          );
        }
        const placed = [];
        for (const i of [1, 2, 3]) {
          const p = await cluster.waitFor(
            pod('sched', `big-${i}`),
            b => b.spec.nodeName,
          );
          placed.push(p.spec.nodeName);
        }
        // three 8-GPU pods fill the three 80 GB machines, one each
        expect(placed.sort()).toEqual([...A100_OR_H100].sort());
        const fourth = await cluster.waitFor(pod('sched', 'big-4'), b =>
          condition(b, 'PodScheduled', 'False'),
        );
        expect(fourth.spec.nodeName).toBeUndefined();
        const reason = fourth.status.conditions.find(
          (c: { type: string }) => c.type === 'PodScheduled',
        );
        expect(reason.reason).toBe('Unschedulable');
        expect(reason.message).toMatch(/Insufficient nvidia\.com\/gpu/);
        for (const i of [1, 2, 3, 4]) {
          await cluster.call(
            'DELETE',
            `${pod('sched', `big-${i}`)}?gracePeriodSeconds=0`,
          );
        }
      });

      it('puts a 24 GB GPU request on the L4 node', async () => {
        await cluster.apply(
          gpuPod('small', 'sched', {
            gpus: 1,
            minMiB: 22 * 1024,
            maxMiB: 40 * 1024,
          }),
        );
        const p = await cluster.waitFor(
          pod('sched', 'small'),
          b => b.spec.nodeName,
        );
        expect(p.spec.nodeName).toBe(GPU_NODES.l4.name);
        // the L4 node has one GPU: give it back for the KServe test
        await cluster.call(
          'DELETE',
          `${pod('sched', 'small')}?gracePeriodSeconds=0`,
        );
      });

      it('leaves a GPU pod without the toleration unscheduled, for the nvidia.com/gpu taint', async () => {
        await cluster.apply(
          gpuPod('untolerated', 'sched', {
            gpus: 1,
            minMiB: 1,
            tolerate: false,
          }),
        );
        const p = await cluster.waitFor(pod('sched', 'untolerated'), b =>
          condition(b, 'PodScheduled', 'False'),
        );
        const scheduled = p.status.conditions.find(
          (c: { type: string }) => c.type === 'PodScheduled',
        );
        // the four GPU nodes for their taint, the CPU node for the affinity (it has no GPU memory label)
        expect(scheduled.message).toMatch(/4 node\(s\) had untolerated taint/);
        expect(scheduled.message).toMatch(
          /1 node\(s\) didn't match Pod's node affinity/,
        );
      });

      it('runs a pod through kwok Pending → Running → Ready, and ends it or unreadies it on request', async () => {
        await cluster.apply({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'cpu-job', namespace: 'sched' },
          spec: { containers: [{ name: 'main', image: 'busybox' }] },
        });
        const seen = new Set<string>();
        const ready = await cluster.waitFor(pod('sched', 'cpu-job'), b => {
          seen.add(b.status?.phase);
          return condition(b, 'Ready');
        });
        expect(ready.spec.nodeName).toBe(GPU_NODES.cpu.name);
        expect(ready.status.phase).toBe('Running');
        expect(ready.status.podIP).toBeTruthy();
        await cluster.pods.setReady('sched', 'cpu-job', false);
        await cluster.waitFor(
          pod('sched', 'cpu-job'),
          b => condition(b, 'Ready', 'False') && b.status.phase === 'Running',
        );
        await cluster.pods.setReady('sched', 'cpu-job', true);
        await cluster.waitFor(pod('sched', 'cpu-job'), b =>
          condition(b, 'Ready'),
        );
        await cluster.pods.exit('sched', 'cpu-job', 3);
        const failed = await cluster.waitFor(
          pod('sched', 'cpu-job'),
          b => b.status.phase === 'Failed',
        );
        expect(
          failed.status.containerStatuses[0].state.terminated.exitCode,
        ).toBe(3);
      });
    });

    describe('Argo Workflows v3.7.3 (workflow-controller, argo server, the executor stand-in)', () => {
      const submit = async (workflow: object) => {
        const response = await fetch(
          `${cluster.argo!.serverUrl}/api/v1/workflows/training`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${cluster.token}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ namespace: 'training', workflow }),
          },
        );
        const body = await response.json();
        expect(response.status).toBe(200);
        return body;
      };
      const workflow = (
        name: string,
        podAnnotations: Record<string, string> = {},
      ) => ({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: { name },
        spec: {
          entrypoint: 'train',
          podMetadata: { annotations: podAnnotations },
          templates: [
            {
              name: 'train',
              tolerations: [GPU_TOLERATION],
              nodeSelector: {
                'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
              },
              container: {
                image: 'pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime',
                command: ['python', '-c', 'print("training")'],
                resources: { limits: { 'nvidia.com/gpu': '4' } },
              },
            },
          ],
        },
      });
      const get = (name: string) =>
        `/apis/argoproj.io/v1alpha1/namespaces/training/workflows/${name}`;

      it('answers on its REST API', async () => {
        const response = await fetch(
          `${cluster.argo!.serverUrl}/api/v1/version`,
          {
            headers: { authorization: `Bearer ${cluster.token}` },
          },
        );
        expect((await response.json()).version).toMatch(/^v3\.7\.3/);
      });

      it('runs a workflow submitted through argo server to Succeeded, on an A100 node', async () => {
        await submit(workflow('train-ok'));
        const done = await cluster.waitFor(
          get('train-ok'),
          b => ['Succeeded', 'Failed', 'Error'].includes(b.status?.phase),
          120_000,
        );
        expect(done.status.phase).toBe('Succeeded');
        const node: any = Object.values(done.status.nodes).find(
          (n: any) => n.type === 'Pod',
        );
        expect(node.outputs.exitCode).toBe('0');
        expect([GPU_NODES.a100a.name, GPU_NODES.a100b.name]).toContain(
          node.hostNodeName,
        );
      });

      it('fails a workflow whose main container exits 1', async () => {
        await submit(
          workflow('train-fail', { [STAND_IN_EXIT_CODE_ANNOTATION]: '1' }),
        );
        const done = await cluster.waitFor(
          get('train-fail'),
          b => ['Succeeded', 'Failed', 'Error'].includes(b.status?.phase),
          120_000,
        );
        expect(done.status.phase).toBe('Failed');
        const node: any = Object.values(done.status.nodes).find(
          (n: any) => n.type === 'Pod',
        );
        expect(node.phase).toBe('Failed');
        expect(node.outputs.exitCode).toBe('1');
        expect(node.message).toMatch(/exit code 1/);
        expect(cluster.argo!.executor.errors).toEqual([]);
      });
    });

    describe('KServe v0.15.2 (RawDeployment, webhooks on loopback)', () => {
      const isvc = (name: string, extra: object = {}) => ({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name, namespace: 'serving' },
        spec: {
          predictor: {
            tolerations: [GPU_TOLERATION],
            nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' },
            model: {
              modelFormat: { name: 'huggingface' },
              storageUri: 'hf://Qwen/Qwen2.5-0.5B-Instruct',
              resources: {
                requests: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' },
                limits: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' },
              },
            },
            ...extra,
          },
        },
      });
      const path = (name: string) =>
        `/apis/serving.kserve.io/v1beta1/namespaces/serving/inferenceservices/${name}`;

      it('admits an InferenceService, deploys it on the L4 node and reports Ready', async () => {
        await cluster.apply(isvc('qwen'));
        const ready = await cluster.waitFor(
          path('qwen'),
          b => condition(b, 'Ready'),
          120_000,
        );
        expect(condition(ready, 'PredictorReady')).toBe(true);
        expect(condition(ready, 'IngressReady')).toBe(true);
        expect(ready.status.url).toBeTruthy();
        const deployment = await cluster.get(
          '/apis/apps/v1/namespaces/serving/deployments/qwen-predictor',
        );
        expect(condition(deployment, 'Available')).toBe(true);
        const pods = await cluster.get(
          '/api/v1/namespaces/serving/pods?labelSelector=serving.kserve.io%2Finferenceservice%3Dqwen',
        );
        expect(pods.items).toHaveLength(1);
        const [p] = pods.items;
        expect(p.spec.nodeName).toBe(GPU_NODES.l4.name);
        // KServe's pod mutator webhook added the storage initializer for hf://
        expect(
          p.spec.initContainers.map((c: { name: string }) => c.name),
        ).toContain('storage-initializer');
        // the runtime's image (config/runtimes, kustomize images), tagged "-gpu" by KServe for a GPU request
        // (pkg/controller/v1beta1/inferenceservice/utils/utils.go)
        expect(p.spec.containers[0].image).toBe(
          'kserve/huggingfaceserver:latest-gpu',
        );
      });

      it('reports the InferenceService not Ready while its pod is not ready, and Ready again after', async () => {
        const pods = await cluster.get(
          '/api/v1/namespaces/serving/pods?labelSelector=serving.kserve.io%2Finferenceservice%3Dqwen',
        );
        const name = pods.items[0].metadata.name;
        await cluster.pods.setReady('serving', name, false);
        const degraded = await cluster.waitFor(
          path('qwen'),
          b => condition(b, 'Ready', 'False'),
          120_000,
        );
        expect(condition(degraded, 'PredictorReady', 'False')).toBe(true);
        await cluster.pods.setReady('serving', name, true);
        await cluster.waitFor(
          path('qwen'),
          b => condition(b, 'Ready'),
          120_000,
        );
      });

      it("rejects an invalid InferenceService in KServe's validating webhook", async () => {
        const rejected = await cluster.call(
          'POST',
          '/apis/serving.kserve.io/v1beta1/namespaces/serving/inferenceservices',
          isvc('bad', { minReplicas: 3, maxReplicas: 1 }),
        );
        // controller-runtime's admission.Denied answers 403
        expect(rejected.status).toBe(403);
        expect(rejected.body.message).toMatch(/admission webhook .*denied/);
      });
    });

    describe('KubeRay v1.5.0', () => {
      it('turns a RayService into a RayCluster whose pods are scheduled and run', async () => {
        await cluster.apply({
          apiVersion: 'ray.io/v1',
          kind: 'RayService',
          metadata: { name: 'llm', namespace: 'ray' },
          spec: {
            serveConfigV2:
              'applications:\n- name: llm\n  import_path: ray.serve.llm:build_openai_app\n',
            rayClusterConfig: {
              rayVersion: '2.46.0',
              headGroupSpec: {
                rayStartParams: {},
                template: {
                  spec: {
                    containers: [
                      {
                        name: 'ray-head',
                        image: 'rayproject/ray-llm:2.46.0-py311-cu124',
                        resources: { requests: { cpu: '2', memory: '8Gi' } },
                      },
                    ],
                  },
                },
              },
              workerGroupSpecs: [
                {
                  groupName: 'gpu',
                  replicas: 1,
                  minReplicas: 1,
                  maxReplicas: 1,
                  rayStartParams: {},
                  template: {
                    spec: {
                      tolerations: [GPU_TOLERATION],
                      containers: [
                        {
                          name: 'ray-worker',
                          image: 'rayproject/ray-llm:2.46.0-py311-cu124',
                          resources: {
                            limits: {
                              'nvidia.com/gpu': '1',
                              cpu: '2',
                              memory: '8Gi',
                            },
                          },
                        },
                      ],
                    },
                  },
                },
              ],
            },
          },
        });
        const service = await cluster.waitFor(
          '/apis/ray.io/v1/namespaces/ray/rayservices/llm',
          b =>
            b.status?.pendingServiceStatus?.rayClusterName ||
            b.status?.activeServiceStatus?.rayClusterName,
          120_000,
        );
        const clusterName =
          service.status.pendingServiceStatus?.rayClusterName ??
          service.status.activeServiceStatus.rayClusterName;
        const rayCluster = await cluster.waitFor(
          `/apis/ray.io/v1/namespaces/ray/rayclusters/${clusterName}`,
          b =>
            b.status?.readyWorkerReplicas === 1 || b.status?.state === 'ready',
          120_000,
        );
        expect(rayCluster.metadata.ownerReferences[0]).toMatchObject({
          kind: 'RayService',
          name: 'llm',
        });
        const pods = await cluster.get(
          `/api/v1/namespaces/ray/pods?labelSelector=ray.io%2Fcluster%3D${clusterName}`,
        );
        const byType = Object.fromEntries(
          pods.items.map((p: any) => [
            p.metadata.labels['ray.io/node-type'],
            p,
          ]),
        );
        expect(byType.head.status.phase).toBe('Running');
        expect(byType.worker.spec.nodeName).not.toBe(GPU_NODES.cpu.name);
        // no Ray dashboard answers on a kwok pod: the Serve applications never report healthy
        const latest = await cluster.get(
          '/apis/ray.io/v1/namespaces/ray/rayservices/llm',
        );
        expect(condition(latest, 'Ready')).toBe(false);
      });
    });
  },
);

import { parse } from 'yaml';
import {
  TrainJobSpec,
  trainJobToArgoWorkflow,
  trainJobWorkflowName,
} from '@llmops/plugin-llm-ops-common';
import {
  Cluster,
  describePeer,
  GPU_NODES,
  STAND_IN_EXIT_CODE_ANNOTATION,
  startCluster,
} from '@internal/llmops-test-utils';
import { ArgoAdapter } from './ArgoAdapter';
import { ToolHttpClient } from './ToolHttpClient';

jest.setTimeout(300_000);

/** An SFT job on 4 A100-80GB GPUs; `resources` changes its resources. */
const sft = (resources: object = {}): TrainJobSpec => {
  const spec = parse(`
kind: TrainJobSpec
job_type: SFT
model_family: llama
base_model_ref: model:default/llama-3-8b
dataset_ref: { name: support-chats, version: v3, type: sft_pair, storage_uri: 's3://datasets/support-chats/v3' }
hyperparams: { lr: 2.0e-5, batch_size: 8, num_epochs: 3, max_seq_len: 8192, precision: bf16 }
method: lora
resources: { gpus: 4, gpu_type: nvidia-a100-80gb, nodes: 1 }
output: { artifact_name: llama-3-8b-support-sft, save_format: safetensors }
`);
  return { ...spec, resources: { ...spec.resources, ...resources } };
};

const NAMESPACE = 'training';
/** The training images' entrypoint (`llmOps.training.command`): Argo's executor needs it. */
const platform = { training: { command: ['llmops-train'] } };
const ENDED = ['Succeeded', 'Failed', 'Error'];

/**
 * The portal's converter output and the real controllers: the workflow
 * controller runs what the adapter submits, the scheduler places its pods
 * on kwok nodes labelled as GFD labels GPU machines, and a stand-in plays
 * only the executor's part (see the test cluster's README).
 */
describePeer('ArgoAdapter against Argo Workflows v3.7.3 on a test cluster', () => {
  let cluster: Cluster;
  let token: string;
  const signal = new AbortController().signal;
  const workflows = `/apis/argoproj.io/v1alpha1/namespaces/${NAMESPACE}/workflows`;

  beforeAll(async () => {
    cluster = await startCluster({
      argo: { workflowNamespaces: [NAMESPACE] },
    });
    // The portal's own service account: workflows in its namespace, nothing else.
    token = await cluster.serviceAccountWithRole(NAMESPACE, 'llm-ops', [
      {
        apiGroups: ['argoproj.io'],
        resources: ['workflows'],
        verbs: ['create', 'get', 'list', 'watch', 'patch', 'update'],
      },
    ]);
  }, 600_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const adapters = () => ({
    // argo-server's REST API; in client auth mode it acts with the caller's token
    server: new ArgoAdapter(
      new ToolHttpClient({
        tool: 'argo',
        baseUrl: cluster.argo!.serverUrl,
        auth: { type: 'bearer', token },
        retries: 0,
      }),
      NAMESPACE,
    ),
    // Workflow objects through the Kubernetes API, over TLS with the cluster's CA
    kubernetes: new ArgoAdapter(
      new ToolHttpClient({
        tool: 'argo',
        baseUrl: cluster.url,
        auth: { type: 'bearer', token },
        tls: { ca: Buffer.from(cluster.caData, 'base64').toString('utf8') },
        retries: 0,
      }),
      NAMESPACE,
      'kubernetes',
    ),
  });

  const untilEnded = (argo: ArgoAdapter, id: string) =>
    cluster.waitFor(`${workflows}/${id}`, w => ENDED.includes(w.status?.phase), 180_000).then(
      () => argo.getWorkflow({ id, namespace: NAMESPACE }, signal),
    );

  it.each(['server', 'kubernetes'] as const)(
    'submits a TrainJobSpec once per job id in %s mode, and the controller runs it to Succeeded on A100 nodes',
    async mode => {
      const argo = adapters()[mode];
      await expect(argo.ping(signal)).resolves.toBeUndefined();
      const jobId = `job-ok-${mode}`;
      const workflow = trainJobToArgoWorkflow(sft(), { ...platform, namespace: NAMESPACE, jobId });
      const ref = await argo.submitWorkflow({ jobId, workflow }, signal);
      // the converter's name: what `llmops convert --job-id` prints
      expect(ref).toMatchObject({ id: trainJobWorkflowName(jobId), namespace: NAMESPACE });
      expect(ref.uiPath).toBe(`workflows/${NAMESPACE}/${ref.id}`);
      // a retried delivery finds the same workflow, and creates no second one
      expect(await argo.submitWorkflow({ jobId, workflow }, signal)).toEqual(ref);
      const mine = (await cluster.call('GET', workflows)).body.items.filter(
        (w: any) => w.metadata.annotations?.['llmops.dev/job-id'] === jobId,
      );
      expect(mine).toHaveLength(1);

      const status = await untilEnded(argo, ref.id);
      expect(status.phase).toBe('Succeeded');
      const pod = status.nodes!.find(n => n.type === 'Pod')!;
      expect(pod).toMatchObject({ phase: 'Succeeded', exitCode: 0 });
      const placed = (await cluster.call('GET', `/api/v1/namespaces/${NAMESPACE}/pods`)).body.items
        .filter((p: any) => p.metadata.labels?.['workflows.argoproj.io/workflow'] === ref.id)
        .map((p: any) => p.spec.nodeName);
      expect(placed.length).toBeGreaterThan(0);
      for (const node of placed) {
        expect([GPU_NODES.a100a.name, GPU_NODES.a100b.name]).toContain(node);
      }
    },
  );

  it('runs a two-node job to Succeeded, one training pod on each A100 machine, with its rendezvous store', async () => {
    const argo = adapters().kubernetes;
    const jobId = 'job-two-nodes';
    const workflow = trainJobToArgoWorkflow(sft({ gpus: 8, nodes: 2 }), {
      ...platform,
      namespace: NAMESPACE,
      jobId,
    });
    const ref = await argo.submitWorkflow({ jobId, workflow }, signal);
    const status = await untilEnded(argo, ref.id);
    expect(status.phase).toBe('Succeeded');
    const pods = (await cluster.call('GET', `/api/v1/namespaces/${NAMESPACE}/pods`)).body.items.filter(
      (p: any) => p.metadata.labels?.['workflows.argoproj.io/workflow'] === ref.id,
    );
    const gpuPods = pods.filter((p: any) =>
      p.spec.containers.some((c: any) => c.resources?.limits?.['nvidia.com/gpu'] === '8'),
    );
    expect(gpuPods.map((p: any) => p.spec.nodeName).sort()).toEqual(
      [GPU_NODES.a100a.name, GPU_NODES.a100b.name].sort(),
    );
  });

  it('reports a failing step with its exit code as the controller ends the workflow Failed', async () => {
    const argo = adapters().kubernetes;
    const jobId = 'job-fails';
    const workflow = trainJobToArgoWorkflow(sft(), { ...platform, namespace: NAMESPACE, jobId }) as any;
    workflow.spec.podMetadata = {
      ...workflow.spec.podMetadata,
      annotations: {
        ...workflow.spec.podMetadata?.annotations,
        [STAND_IN_EXIT_CODE_ANNOTATION]: '1',
      },
    };
    const ref = await argo.submitWorkflow({ jobId, workflow }, signal);
    const status = await untilEnded(argo, ref.id);
    expect(status.phase).toBe('Failed');
    expect(status.nodes!.find(n => n.type === 'Pod')).toMatchObject({
      phase: 'Failed',
      exitCode: 1,
      message: expect.stringMatching(/exit code 1/),
    });
  });

  it("keeps a job for a GPU the cluster lacks Pending, with the scheduler's reason", async () => {
    const argo = adapters().server;
    const jobId = 'job-no-h200';
    const workflow = trainJobToArgoWorkflow(sft({ gpu_type: 'nvidia-h200-141gb' }), {
      ...platform,
      namespace: NAMESPACE,
      jobId,
    });
    const ref = await argo.submitWorkflow({ jobId, workflow }, signal);
    await cluster.waitFor(
      `${workflows}/${ref.id}`,
      w =>
        Object.values<any>(w.status?.nodes ?? {}).some(
          n => n.type === 'Pod' && /nodes are available/.test(n.message ?? ''),
        ),
      120_000,
    );
    const status = await argo.getWorkflow(ref, signal);
    expect(status.phase).toBe('Running');
    const pod = status.nodes!.find(n => n.type === 'Pod')!;
    expect(pod.phase).toBe('Pending');
    expect(pod.message).toMatch(/0\/5 nodes are available/);
    await argo.stopWorkflow(ref, signal);
  });

  it.each(['server', 'kubernetes'] as const)(
    'stops a running workflow in %s mode, and the controller ends it',
    async mode => {
      const argo = adapters()[mode];
      const jobId = `job-stop-${mode}`;
      // never scheduled: it runs until stopped
      const workflow = trainJobToArgoWorkflow(sft({ gpu_type: 'nvidia-h200-141gb' }), {
        ...platform,
        namespace: NAMESPACE,
        jobId,
      });
      const ref = await argo.submitWorkflow({ jobId, workflow }, signal);
      await cluster.waitFor(`${workflows}/${ref.id}`, w => w.status?.phase === 'Running', 120_000);
      await argo.stopWorkflow(ref, signal);
      const status = await untilEnded(argo, ref.id);
      expect(status.phase).toBe('Failed');
      expect(status.message).toMatch(/Stopped with strategy 'Stop'/);
    },
  );

  it('reports a missing workflow as a 404 ToolError from argo', async () => {
    for (const argo of Object.values(adapters())) {
      const error = await argo
        .getWorkflow({ id: 'nope', namespace: NAMESPACE }, signal)
        .catch(e => e);
      expect(error.name).toBe('ToolError');
      expect(error.statusCode).toBe(404);
      expect(error.data).toEqual({ tool: 'argo', reason: 'not-found' });
    }
  });
});

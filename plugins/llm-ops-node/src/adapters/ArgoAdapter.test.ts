import { parse } from 'yaml';
// The converters are not exported from the package root yet.
import { trainJobToArgoWorkflow } from '@llmops/plugin-llm-ops-common/src/converters';
import { ARGO_JOB_ID_ANNOTATION, ArgoAdapter, argoWorkflowName } from './ArgoAdapter';
import { ToolHttpClient } from './ToolHttpClient';
import { KubeApiserver, startKubeApiserver } from './__testUtils__/kubeApiserver';
import { describePeer } from './__testUtils__/peers';

jest.setTimeout(180_000);

const sft = parse(`
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

describe('argoWorkflowName', () => {
  it('is deterministic, DNS-safe and at most 63 characters', () => {
    const long = `Job_${'x'.repeat(100)}`;
    for (const id of ['job-1', 'JOB 1', long, '---']) {
      const name = argoWorkflowName(id);
      expect(name).toBe(argoWorkflowName(id));
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(name.length).toBeLessThanOrEqual(63);
    }
    expect(argoWorkflowName('job-1')).not.toBe(argoWorkflowName('JOB 1'));
  });
});

describePeer('ArgoAdapter (kubernetes mode) against a real Kubernetes API server', () => {
  let kube: KubeApiserver;
  let argo: ArgoAdapter;
  const signal = new AbortController().signal;
  const list = async () =>
    (await kube.call('GET', '/apis/argoproj.io/v1alpha1/namespaces/training/workflows')).body.items;

  beforeAll(async () => {
    kube = await startKubeApiserver(['argo/argoproj.io_workflows.yaml']);
    const http = new ToolHttpClient({ tool: 'argo', baseUrl: kube.url, auth: { type: 'bearer', token: kube.token } });
    argo = new ArgoAdapter(http, 'default', 'kubernetes');
  });
  afterAll(async () => {
    await kube?.stop();
  });

  it('answers ping', async () => {
    await expect(argo.ping(signal)).resolves.toBeUndefined();
  });

  it('creates one Workflow per job id, valid against the CRD, with nothing pruned', async () => {
    const workflow = trainJobToArgoWorkflow(sft, { namespace: 'training' });
    const ref = await argo.submitWorkflow({ jobId: 'job-42', workflow }, signal);
    expect(ref).toEqual({ id: argoWorkflowName('job-42'), namespace: 'training' });
    const again = await argo.submitWorkflow({ jobId: 'job-42', workflow }, signal);
    expect(again).toEqual(ref);

    const items = await list();
    expect(items).toHaveLength(1);
    expect(items[0].metadata.name).toBe(ref.id);
    expect(items[0].metadata.annotations[ARGO_JOB_ID_ANNOTATION]).toBe('job-42');
    expect(items[0].metadata.labels).toEqual(workflow.metadata.labels);
    expect(items[0].spec).toEqual(workflow.spec);

    await argo.submitWorkflow({ jobId: 'job-43', workflow }, signal);
    expect(await list()).toHaveLength(2);
  });

  it('reads the phase and node phases the controller writes', async () => {
    const ref = { id: argoWorkflowName('job-42'), namespace: 'training' };
    expect(await argo.getWorkflow(ref, signal)).toEqual({ phase: 'Pending', nodes: [] });
    const path = `/apis/argoproj.io/v1alpha1/namespaces/training/workflows/${ref.id}`;
    const current = (await kube.call('GET', path)).body;
    const written = await kube.call('PUT', path, {
      ...current,
      status: {
        phase: 'Running',
        startedAt: '2026-01-01T00:00:00Z',
        nodes: {
          [ref.id]: { id: ref.id, name: ref.id, displayName: ref.id, type: 'Steps', phase: 'Running' },
          [`${ref.id}-1`]: { id: `${ref.id}-1`, name: `${ref.id}[0].train`, displayName: 'train', type: 'Pod', phase: 'Succeeded' },
        },
      },
    });
    expect(written.status).toBe(200);
    expect(await argo.getWorkflow(ref, signal)).toEqual({
      phase: 'Running',
      startedAt: '2026-01-01T00:00:00Z',
      nodes: [
        { name: ref.id, phase: 'Running' },
        { name: 'train', phase: 'Succeeded' },
      ],
    });
  });

  it('stops a workflow by setting spec.shutdown', async () => {
    const ref = { id: argoWorkflowName('job-43'), namespace: 'training' };
    await argo.stopWorkflow(ref, signal);
    const path = `/apis/argoproj.io/v1alpha1/namespaces/training/workflows/${ref.id}`;
    expect((await kube.call('GET', path)).body.spec.shutdown).toBe('Stop');
  });

  it('reports a missing workflow as a NotFoundError from argo', async () => {
    const error = await argo.getWorkflow({ id: 'nope', namespace: 'training' }, signal).catch(e => e);
    expect(error.name).toBe('NotFoundError');
    expect(error).toMatchObject({ tool: 'argo', reason: 'not-found' });
  });
});

import { readFixture, validTrainJob } from '../specs/__testUtils__/builders';
import type { TrainJobSpec } from '../specs';
import {
  argoWorkflowToTrainJob,
  trainJobToArgoWorkflow,
} from './trainJobToArgoWorkflow';
import type { ArgoWorkflow } from './types';
import { thrown } from './__testUtils__/thrown';

const sft = readFixture('train-sft.valid.yaml')[0] as TrainJobSpec;
const pretrain = readFixture('train-pretrain.valid.yaml')[0] as TrainJobSpec;

const template = (workflow: ArgoWorkflow, name: string) =>
  workflow.spec.templates.find(t => t.name === name);
const env = (workflow: ArgoWorkflow) =>
  Object.fromEntries(
    (template(workflow, 'train-node')?.container?.env ?? []).map(e => [
      e.name,
      e.value,
    ]),
  );

describe('trainJobToArgoWorkflow', () => {
  it('runs a single-node job on the selected image with its GPUs', () => {
    const workflow = trainJobToArgoWorkflow(sft, { namespace: 'training' });
    expect(workflow.metadata).toEqual({
      generateName: 'llama-3-8b-support-sft-',
      namespace: 'training',
      labels: {
        'app.kubernetes.io/managed-by': 'llmops',
        'llmops.dev/job-type': 'SFT',
      },
    });
    expect(workflow.spec.entrypoint).toBe('train');
    expect(template(workflow, 'train')?.dag?.tasks).toEqual([
      {
        name: 'nodes',
        template: 'train-node',
        withSequence: { count: '1' },
        arguments: { parameters: [{ name: 'node-rank', value: '{{item}}' }] },
      },
    ]);
    expect(template(workflow, 'rendezvous')).toBeUndefined();
    const node = template(workflow, 'train-node');
    expect(node?.nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'nvidia-a100-80gb',
    });
    expect(node?.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(node?.container).toEqual(
      expect.objectContaining({
        image: 'registry/llm-train-sft:pytorch2.1-cuda12.1-v1',
        args: [
          '--lr=0.00002',
          '--batch_size=8',
          '--num_epochs=3',
          '--max_seq_len=8192',
          '--precision=bf16',
          '--method=lora',
        ],
        resources: {
          requests: { 'nvidia.com/gpu': '4' },
          limits: { 'nvidia.com/gpu': '4' },
        },
      }),
    );
    expect(env(workflow)).toEqual({
      JOB_TYPE: 'SFT',
      MODEL_FAMILY: 'llama',
      BASE_MODEL_REF: 'model:default/llama-3-8b',
      DATASET_NAME: 'support-chats',
      DATASET_VERSION: 'v3',
      DATASET_TYPE: 'sft_pair',
      DATASET_URI: 's3://datasets/support-chats/v3',
      OUTPUT_ARTIFACT_NAME: 'llama-3-8b-support-sft',
      OUTPUT_SAVE_FORMAT: 'safetensors',
      USE_GPU: 'true',
      NNODES: '1',
      NODE_RANK: '{{inputs.parameters.node-rank}}',
      NPROC_PER_NODE: '4',
    });
  });

  it('fans a multi-node job out to one pod per node around a rendezvous store', () => {
    const workflow = trainJobToArgoWorkflow(pretrain);
    expect(template(workflow, 'train')?.dag?.tasks).toEqual([
      { name: 'rendezvous', template: 'rendezvous' },
      {
        name: 'nodes',
        template: 'train-node',
        depends: 'rendezvous',
        withSequence: { count: '4' },
        arguments: {
          parameters: [
            { name: 'node-rank', value: '{{item}}' },
            { name: 'rdzv-host', value: '{{tasks.rendezvous.ip}}' },
          ],
        },
      },
    ]);
    expect(template(workflow, 'rendezvous')).toEqual(
      expect.objectContaining({ daemon: true }),
    );
    expect(env(workflow)).toEqual(
      expect.objectContaining({
        NNODES: '4',
        NPROC_PER_NODE: '8',
        RDZV_ENDPOINT: '{{inputs.parameters.rdzv-host}}:29400',
        RDZV_ID: '{{workflow.uid}}',
      }),
    );
    expect(workflow.metadata.annotations).toEqual({
      'llmops.dev/defaulted-fields': 'method',
    });
    expect(template(workflow, 'train-node')?.container?.args).toContain(
      '--method=full',
    );
  });

  it('selects the cpu image and requests no GPUs when the platform has none', () => {
    const workflow = trainJobToArgoWorkflow(sft, { gpuAvailable: false });
    const node = template(workflow, 'train-node');
    expect(node?.container?.image).toBe(
      'registry/llm-train-sft:pytorch2.1-cpu-v1',
    );
    expect(node?.container?.resources).toBeUndefined();
    expect(node?.nodeSelector).toBeUndefined();
    expect(node?.tolerations).toBeUndefined();
    expect(env(workflow)).toEqual(
      expect.objectContaining({ USE_GPU: 'false', NPROC_PER_NODE: '1' }),
    );
    expect(workflow.metadata.annotations).toEqual({
      'llmops.dev/gpus': '4',
      'llmops.dev/gpu-type': 'nvidia-a100-80gb',
    });
  });

  it('selects the cpu image for use_gpu: false, and the configured image', () => {
    const images = {
      environments: { dev: { train: { SFT: { cpu: 'dev/sft:cpu' } } } },
    };
    const workflow = trainJobToArgoWorkflow(
      { ...sft, use_gpu: false },
      { images, environment: 'dev' },
    );
    expect(template(workflow, 'train-node')?.container?.image).toBe(
      'dev/sft:cpu',
    );
    expect(workflow.metadata.annotations).toEqual(
      expect.objectContaining({ 'llmops.dev/use-gpu': 'false' }),
    );
  });

  it.each([
    ['My Model v1.2', 'my-model-v1-2-'],
    ['--x--', 'x-'],
    ['a'.repeat(80), `${'a'.repeat(52)}-`],
  ])('generates a Kubernetes name from %j', (artifact_name, generateName) => {
    const spec = {
      ...validTrainJob(),
      output: { artifact_name, save_format: 'hf' as const },
    };
    expect(trainJobToArgoWorkflow(spec).metadata.generateName).toBe(
      generateName,
    );
  });

  it('names output.artifact_name when it cannot become a name', () => {
    const spec = {
      ...validTrainJob(),
      output: { artifact_name: '___', save_format: 'hf' as const },
    };
    const error = thrown(() => trainJobToArgoWorkflow(spec));
    expect(error.path).toBe('output.artifact_name');
    expect(error.message).toBe(
      'output.artifact_name "___" cannot become a Kubernetes name: it needs letters or digits',
    );
  });
});

describe('argoWorkflowToTrainJob', () => {
  it('reads the spec back', () => {
    expect(argoWorkflowToTrainJob(trainJobToArgoWorkflow(sft))).toStrictEqual(
      sft,
    );
    expect(
      argoWorkflowToTrainJob(
        trainJobToArgoWorkflow(sft, { gpuAvailable: false }),
      ),
    ).toStrictEqual(sft);
  });

  it.each([
    ['kind', { kind: 'CronWorkflow' }],
    ['spec.templates', { spec: { entrypoint: 'x', templates: [] } }],
  ])('names %s when the manifest is not one it made', (path, patch) => {
    const workflow = { ...trainJobToArgoWorkflow(sft), ...patch };
    expect(thrown(() => argoWorkflowToTrainJob(workflow)).path).toBe(path);
  });

  it('names the arg or env value that is malformed', () => {
    const workflow = trainJobToArgoWorkflow(sft);
    const node = template(workflow, 'train-node')!;
    node.container!.args = node.container!.args!.map(a =>
      a.startsWith('--lr=') ? '--lr=-1' : a,
    );
    const error = thrown(() => argoWorkflowToTrainJob(workflow));
    expect(error.path).toBe('spec.templates[1].container.args[--lr]');
    expect(error.message).toBe(
      'spec.templates[1].container.args[--lr] must be a positive number, got -1',
    );
    node.container!.env = node.container!.env!.filter(
      e => e.name !== 'DATASET_URI',
    );
    node.container!.args = [];
    expect(thrown(() => argoWorkflowToTrainJob(workflow)).message).toBe(
      'spec.templates[1].container.env[DATASET_URI] is missing: expected a storage URI, such as s3://bucket/path',
    );
  });
});

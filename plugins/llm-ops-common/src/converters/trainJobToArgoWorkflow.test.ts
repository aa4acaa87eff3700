import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { readFixture, validTrainJob } from '../specs/__testUtils__/builders';
import type { TrainJobSpec } from '../specs';
import {
  argoWorkflowToTrainJob,
  trainJobToArgoWorkflow,
} from './trainJobToArgoWorkflow';
import type { ArgoWorkflow } from './types';
import { sha256Hex, trainJobWorkflowName } from './workflowName';
import { thrown } from './__testUtils__/thrown';

const sft = readFixture('train-sft.valid.yaml')[0] as TrainJobSpec;
const pretrain = readFixture('train-pretrain.valid.yaml')[0] as TrainJobSpec;

const template = (workflow: ArgoWorkflow, name: string) =>
  workflow.spec.templates.find(t => t.name === name);
const env = (workflow: ArgoWorkflow) =>
  Object.fromEntries(
    (template(workflow, 'train-node')?.container?.env ?? []).map(e => [
      e.name,
      'value' in e ? e.value : e.valueFrom,
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
      annotations: {
        'llmops.dev/defaulted-fields':
          'resources.cpus,resources.memory_gb,max_runtime_hours',
        'llmops.dev/gpu-type': 'nvidia-a100-80gb',
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
    expect(node?.nodeSelector).toBeUndefined();
    expect(node?.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                {
                  key: 'nvidia.com/gpu.product',
                  operator: 'In',
                  values: ['NVIDIA-A100-SXM4-80GB', 'NVIDIA-A100-80GB-PCIe'],
                },
              ],
            },
          ],
        },
      },
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
          requests: { cpu: '12', memory: '48Gi', 'nvidia.com/gpu': '4' },
          limits: { cpu: '12', memory: '48Gi', 'nvidia.com/gpu': '4' },
        },
        volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }],
      }),
    );
    expect(workflow.spec.volumes).toEqual([
      { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '24Gi' } },
    ]);
    expect(workflow.spec.activeDeadlineSeconds).toBe(7 * 24 * 3600);
    expect(workflow.spec.serviceAccountName).toBeUndefined();
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
      'llmops.dev/defaulted-fields':
        'method,resources.cpus,resources.memory_gb,max_runtime_hours',
      'llmops.dev/gpu-type': 'nvidia-h100-80gb',
    });
    expect(template(workflow, 'train-node')?.container?.args).toContain(
      '--method=full',
    );
    expect(template(workflow, 'train-node')?.affinity).toEqual(
      expect.objectContaining({
        nodeAffinity: expect.objectContaining({
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  {
                    key: 'nvidia.com/gpu.product',
                    operator: 'In',
                    values: ['NVIDIA-H100-80GB-HBM3', 'NVIDIA-H100-PCIe'],
                  },
                ],
              },
            ],
          },
        }),
      }),
    );
    // the rendezvous store is not BestEffort either
    expect(template(workflow, 'rendezvous')?.container?.resources).toEqual({
      requests: { cpu: '1', memory: '2Gi' },
      limits: { cpu: '1', memory: '2Gi' },
    });
  });

  it('selects the cpu image and requests no GPUs when the platform has none', () => {
    const workflow = trainJobToArgoWorkflow(sft, { gpuAvailable: false });
    const node = template(workflow, 'train-node');
    expect(node?.container?.image).toBe(
      'registry/llm-train-sft:pytorch2.1-cpu-v1',
    );
    // one GPU's share of CPU and memory, and no GPUs
    expect(node?.container?.resources).toEqual({
      requests: { cpu: '3', memory: '12Gi' },
      limits: { cpu: '3', memory: '12Gi' },
    });
    expect(node?.affinity).toBeUndefined();
    expect(node?.tolerations).toBeUndefined();
    expect(env(workflow)).toEqual(
      expect.objectContaining({ USE_GPU: 'false', NPROC_PER_NODE: '1' }),
    );
    expect(workflow.metadata.annotations).toEqual({
      'llmops.dev/defaulted-fields':
        'resources.cpus,resources.memory_gb,max_runtime_hours',
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

  it('sizes pods, runs as the service account and stops at the deadline of the environment', () => {
    const workflow = trainJobToArgoWorkflow(pretrain, {
      environment: 'prod',
      training: {
        activeDeadlineSeconds: 3600,
        resourcesPerGpu: { cpu: 2, memoryGb: 8 },
        resourcesPerGpuByType: {
          'nvidia-h100-80gb': { cpu: 22.5, memoryGb: 240 },
        },
      },
      environments: {
        prod: {
          training: {
            serviceAccountName: 'llmops-training',
            activeDeadlineSeconds: 86400,
          },
        },
        dev: { training: { serviceAccountName: 'dev-training' } },
      },
    });
    expect(workflow.spec.serviceAccountName).toBe('llmops-training');
    expect(workflow.spec.activeDeadlineSeconds).toBe(86400);
    expect(template(workflow, 'train-node')?.container?.resources).toEqual({
      requests: { cpu: '180', memory: '1920Gi', 'nvidia.com/gpu': '8' },
      limits: { cpu: '180', memory: '1920Gi', 'nvidia.com/gpu': '8' },
    });
    expect(workflow.spec.volumes).toEqual([
      { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '960Gi' } },
    ]);
  });

  it("gives the training container the configured entrypoint, which Argo's emissary needs without registry access", () => {
    expect(
      template(trainJobToArgoWorkflow(sft), 'train-node')?.container?.command,
    ).toBeUndefined();
    const container = template(
      trainJobToArgoWorkflow(sft, {
        training: { command: ['llmops-train'] },
      }),
      'train-node',
    )?.container;
    expect(container?.command).toEqual(['llmops-train']);
    expect(container?.args).toContain('--method=lora');
  });

  it('sizes a pod without GPUs by the general share, not its GPU type', () => {
    const workflow = trainJobToArgoWorkflow(sft, {
      gpuAvailable: false,
      training: {
        resourcesPerGpu: { cpu: 2, memoryGb: 8 },
        resourcesPerGpuByType: {
          'nvidia-a100-80gb': { cpu: 11, memoryGb: 140 },
        },
      },
    });
    expect(template(workflow, 'train-node')?.container?.resources).toEqual({
      requests: { cpu: '2', memory: '8Gi' },
      limits: { cpu: '2', memory: '8Gi' },
    });
  });

  it("takes the spec's own CPUs, memory and run time over the config's", () => {
    const workflow = trainJobToArgoWorkflow(
      {
        ...sft,
        resources: { ...sft.resources, cpus: 7.5, memory_gb: 100 },
        max_runtime_hours: 30,
      },
      { training: { activeDeadlineSeconds: 60 } },
    );
    expect(template(workflow, 'train-node')?.container?.resources).toEqual({
      requests: { cpu: '7500m', memory: '100Gi', 'nvidia.com/gpu': '4' },
      limits: { cpu: '7500m', memory: '100Gi', 'nvidia.com/gpu': '4' },
    });
    expect(workflow.spec.activeDeadlineSeconds).toBe(30 * 3600);
    expect(workflow.metadata.annotations).not.toHaveProperty(
      'llmops.dev/defaulted-fields',
    );
  });

  it('selects the products of a configured GPU type', () => {
    const workflow = trainJobToArgoWorkflow(
      { ...sft, resources: { gpus: 8, gpu_type: 'nvidia-b200', nodes: 1 } },
      { gpuTypes: { 'nvidia-b200': { products: ['NVIDIA-B200'] } } },
    );
    expect(
      template(workflow, 'train-node')?.affinity?.nodeAffinity
        .requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
    ).toEqual([
      {
        matchExpressions: [
          {
            key: 'nvidia.com/gpu.product',
            operator: 'In',
            values: ['NVIDIA-B200'],
          },
        ],
      },
    ]);
  });

  it('refuses an unknown GPU type with its rule', () => {
    const error = thrown(() =>
      trainJobToArgoWorkflow({
        ...sft,
        resources: { gpus: 1, gpu_type: 'A100-80GB', nodes: 1 },
      }),
    );
    expect(error).toEqual(
      expect.objectContaining({
        path: 'resources.gpu_type',
        rule: 'resources.gpu_type_unknown',
      }),
    );
    expect(error.message).toMatch(
      /^resources.gpu_type "A100-80GB" is not a known GPU type; use one of nvidia-t4, /,
    );
  });

  it('names the Workflow after the job id, as the Argo adapter always has', () => {
    const jobId = '0d9c6f1e-3b1a-4c52-9f3e-2f6f1b2a7c41';
    const workflow = trainJobToArgoWorkflow(sft, {
      jobId,
      namespace: 'training',
    });
    expect(workflow.metadata).toEqual(
      expect.objectContaining({
        name: trainJobWorkflowName(jobId),
        namespace: 'training',
        annotations: expect.objectContaining({ 'llmops.dev/job-id': jobId }),
      }),
    );
    expect(workflow.metadata.generateName).toBeUndefined();
    // the training code tags the model version it registers with it
    expect(env(workflow).LLMOPS_JOB_ID).toBe(jobId);
    expect(env(trainJobToArgoWorkflow(sft)).LLMOPS_JOB_ID).toBeUndefined();
    expect(trainJobWorkflowName(jobId)).toBe(
      `llmops-${jobId}-${createHash('sha256')
        .update(jobId)
        .digest('hex')
        .slice(0, 8)}`,
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

describe('trainJobWorkflowName', () => {
  /** `argoWorkflowName` of @llmops/plugin-llm-ops-node's ArgoAdapter, as it is today. */
  function adapterName(jobId: string): string {
    const hash = createHash('sha256').update(jobId).digest('hex').slice(0, 8);
    const clean = jobId
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63 - 'llmops--'.length - hash.length)
      .replace(/-+$/, '');
    return clean ? `llmops-${clean}-${hash}` : `llmops-${hash}`;
  }

  it('gives the name the Argo adapter gives, for any job id', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uuid(), fc.string({ unit: 'grapheme', maxLength: 200 })),
        jobId => {
          const name = trainJobWorkflowName(jobId);
          expect(name).toBe(adapterName(jobId));
          expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
          expect(name.length).toBeLessThanOrEqual(63);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hashes as node:crypto does, across block boundaries and multi-byte text', () => {
    for (const text of [
      '',
      'abc',
      'a'.repeat(55),
      'a'.repeat(56),
      'a'.repeat(64),
      'ü€😀'.repeat(40),
    ]) {
      expect(sha256Hex(text)).toBe(
        createHash('sha256').update(text).digest('hex'),
      );
    }
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

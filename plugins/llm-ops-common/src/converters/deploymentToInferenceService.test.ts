import { readFixture } from '../specs/__testUtils__/builders';
import type { DeploymentSpec } from '../specs';
import {
  deploymentToInferenceService,
  inferenceServiceToDeployment,
} from './deploymentToInferenceService';
import type { DeploymentConversionOptions } from './types';
import { thrown } from './__testUtils__/thrown';

const canary = readFixture('deployment-canary.valid.yaml')[0] as DeploymentSpec;
const blueGreen = readFixture(
  'deployment-bluegreen.valid.yaml',
)[0] as DeploymentSpec;
const rolling = readFixture(
  'deployment-rolling.valid.yaml',
)[0] as DeploymentSpec;
/** The registered model version, and where MLflow keeps its artifacts. */
const model = { source: 'mlflow://models/llama-3-8b-sft/3' };
const storageUri = 's3://mlflow/3/0a1b2c/artifacts/model';
const serverless = { serving: { deploymentMode: 'Serverless' as const } };
const rollout = (
  strategy: DeploymentSpec['rollout']['strategy'],
  old: number,
  next: number,
): DeploymentSpec => ({
  ...canary,
  rollout: { strategy, traffic_split: { old, new: next } },
});

describe('deploymentToInferenceService', () => {
  it('deploys in RawDeployment mode by default, with a rolling update, sized and placed to run', () => {
    expect(
      deploymentToInferenceService(rolling, {
        model,
        storageUri,
        namespace: 'serving',
      }),
    ).toEqual({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: 'llama-3-8b-sft',
        namespace: 'serving',
        labels: {
          'app.kubernetes.io/managed-by': 'llmops',
          'llmops.dev/job-type': 'SFT',
          'llmops.dev/serve-target': 'GENERATION',
          'llmops.dev/rollout-strategy': 'rolling',
        },
        annotations: {
          'llmops.dev/model-ref': 'model:default/llama-3-8b-sft',
          'llmops.dev/model-family': 'llama',
          'serving.kserve.io/deploymentMode': 'RawDeployment',
          'llmops.dev/defaulted-fields':
            'serve_target,resources.cpus,resources.memory_gb',
        },
      },
      spec: {
        predictor: {
          deploymentStrategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
          },
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      {
                        key: 'nvidia.com/gpu.memory',
                        operator: 'Gt',
                        // 24 GB: an L4 (23034 MiB) qualifies, a T4 (15360) not
                        values: ['22609'],
                      },
                    ],
                  },
                ],
              },
              // and of those, an L4 before an 80 GB GPU
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  preference: {
                    matchExpressions: [
                      { key: 'nvidia.com/gpu.memory', operator: 'Lt', values: ['36864'] },
                    ],
                  },
                },
              ],
            },
          },
          tolerations: [
            { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
          ],
          model: {
            modelFormat: { name: 'huggingface' },
            storageUri,
            image: 'registry/llm-serve:vllm-0.5.0-cuda12.1',
            args: [
              '--max-num-seqs=64',
              '--max-input-tokens=6144',
              '--max-output-tokens=1024',
            ],
            resources: {
              requests: { cpu: '3', memory: '12Gi', 'nvidia.com/gpu': '1' },
              limits: { cpu: '3', memory: '12Gi', 'nvidia.com/gpu': '1' },
            },
          },
        },
      },
    });
  });

  it('replaces the pods at once for recreate, which needs no spare GPU', () => {
    const isvc = deploymentToInferenceService(rollout('recreate', 0, 100), {
      model,
      storageUri,
    });
    expect(isvc.spec.predictor.deploymentStrategy).toEqual({
      type: 'Recreate',
    });
  });

  it.each([
    ['canary', 90, 10],
    ['canary', 0, 100],
    ['blue-green', 100, 0],
  ] as const)(
    'refuses a %s %d/%d split in RawDeployment, where KServe would ignore it',
    (strategy, old, next) => {
      const error = thrown(() =>
        deploymentToInferenceService(rollout(strategy, old, next), {
          model,
          storageUri,
        }),
      );
      expect(error).toEqual(
        expect.objectContaining({
          path: 'rollout.strategy',
          rule: 'rollout.split_unsupported_in_raw_deployment',
        }),
      );
      expect(error.message).toContain('kserve/kserve#5335');
    },
  );

  it('splits a canary in Serverless mode, with Knative concurrency', () => {
    const isvc = deploymentToInferenceService(canary, {
      model,
      storageUri,
      ...serverless,
    });
    expect(isvc.metadata.annotations).toEqual(
      expect.objectContaining({
        'serving.kserve.io/deploymentMode': 'Serverless',
      }),
    );
    expect(isvc.spec.predictor).toEqual(
      expect.objectContaining({
        containerConcurrency: 64,
        canaryTrafficPercent: 10,
      }),
    );
    expect(isvc.spec.predictor.deploymentStrategy).toBeUndefined();
    expect(isvc.spec.predictor.affinity).toEqual(
      expect.objectContaining({
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  {
                    key: 'nvidia.com/gpu.memory',
                    operator: 'Gt',
                    // 80 GB: the A100-80GB (81920) and H100 (81559) qualify
                    values: ['75366'],
                  },
                ],
              },
            ],
          },
          // before an H200 (143771)
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              preference: {
                matchExpressions: [
                  { key: 'nvidia.com/gpu.memory', operator: 'Lt', values: ['122880'] },
                ],
              },
            },
          ],
        },
      }),
    );
  });

  it('leaves the split to Knative for a rolling update in Serverless mode', () => {
    const isvc = deploymentToInferenceService(rolling, {
      model,
      storageUri,
      ...serverless,
    });
    expect(isvc.spec.predictor.containerConcurrency).toBe(64);
    expect(isvc.spec.predictor).not.toHaveProperty('canaryTrafficPercent');
    expect(isvc.spec.predictor).not.toHaveProperty('deploymentStrategy');
  });

  it('refuses recreate in Serverless mode', () => {
    expect(
      thrown(() =>
        deploymentToInferenceService(rollout('recreate', 0, 100), {
          model,
          storageUri,
          ...serverless,
        }),
      ).rule,
    ).toBe('rollout.recreate_unsupported');
  });

  it('rolls blue-green out in Serverless mode as two tagged revisions with all-or-nothing traffic', () => {
    const isvc = deploymentToInferenceService(blueGreen, {
      model: { source: 's3://models/m' },
      ...serverless,
    });
    expect(isvc.metadata.name).toBe('mistral-7b-rag');
    expect(isvc.metadata.annotations).toEqual(
      expect.objectContaining({
        'serving.kserve.io/enable-tag-routing': 'true',
      }),
    );
    expect(isvc.spec.predictor.canaryTrafficPercent).toBe(0);
    expect(isvc.spec.predictor.model.image).toBe(
      'registry/llm-serve-rag:vllm-0.5.0-cuda12.1',
    );
    const switched = deploymentToInferenceService(
      {
        ...blueGreen,
        rollout: {
          strategy: 'blue-green',
          traffic_split: { old: 0, new: 100 },
        },
      },
      { model, storageUri, ...serverless },
    );
    expect(switched.spec.predictor.canaryTrafficPercent).toBe(100);
  });

  it('takes the deployment mode, service account and secret references of the environment', () => {
    const options: DeploymentConversionOptions = {
      model: { source: 'hf://meta-llama/Meta-Llama-3-8B' },
      environment: 'prod',
      serving: {
        deploymentMode: 'RawDeployment',
        serviceAccountName: 'global-serving',
      },
      environments: {
        prod: {
          serving: {
            deploymentMode: 'Serverless',
            serviceAccountName: 'llmops-serving',
            secrets: {
              hfToken: { name: 'hf-token', key: 'token' },
              storage: { name: 'hf-storage' },
            },
          },
        },
      },
    };
    const isvc = deploymentToInferenceService(canary, options);
    expect(isvc.metadata.annotations).toEqual(
      expect.objectContaining({
        'serving.kserve.io/deploymentMode': 'Serverless',
        'serving.kserve.io/storageSecretName': 'hf-storage',
      }),
    );
    expect(isvc.spec.predictor.serviceAccountName).toBe('llmops-serving');
    expect(isvc.spec.predictor.model.env).toEqual([
      {
        name: 'HF_TOKEN',
        valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } },
      },
    ]);
    const dev = deploymentToInferenceService(rolling, {
      ...options,
      environment: 'dev',
    });
    expect(dev.metadata.annotations).toEqual(
      expect.objectContaining({
        'serving.kserve.io/deploymentMode': 'RawDeployment',
      }),
    );
    expect(dev.spec.predictor.serviceAccountName).toBe('global-serving');
    expect(dev.spec.predictor.model.env).toBeUndefined();
  });

  it("sizes the replica from the spec, else by the family's per-GPU share", () => {
    const twoGpus = {
      ...rolling,
      resources: { gpus: 2, gpu_memory_gb: 24 },
    };
    const options = {
      model,
      storageUri,
      serving: {
        resourcesPerGpu: { cpu: 2, memoryGb: 10 },
        resourcesPerGpuByFamily: { llama: { cpu: 4.25, memoryGb: 24 } },
      },
    };
    const byFamily = deploymentToInferenceService(twoGpus, options);
    expect(byFamily.spec.predictor.model.resources).toEqual({
      requests: { cpu: '8500m', memory: '48Gi', 'nvidia.com/gpu': '2' },
      limits: { cpu: '8500m', memory: '48Gi', 'nvidia.com/gpu': '2' },
    });
    // tensor parallelism over two GPUs talks through /dev/shm
    expect(byFamily.spec.predictor.volumes).toEqual([
      { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '24Gi' } },
    ]);
    expect(byFamily.spec.predictor.model.volumeMounts).toEqual([
      { name: 'dshm', mountPath: '/dev/shm' },
    ]);
    const own = deploymentToInferenceService(
      {
        ...twoGpus,
        resources: { ...twoGpus.resources, cpus: 16, memory_gb: 96 },
      },
      options,
    );
    expect(own.spec.predictor.model.resources?.limits).toEqual({
      cpu: '16',
      memory: '96Gi',
      'nvidia.com/gpu': '2',
    });
    expect(own.metadata.annotations).toEqual(
      expect.objectContaining({
        'llmops.dev/defaulted-fields': 'serve_target',
      }),
    );
  });

  describe('the storage URI', () => {
    it('refuses an mlflow:// source without the resolved storage URI, which KServe cannot download', () => {
      const error = thrown(() =>
        deploymentToInferenceService(rolling, { model }),
      );
      expect(error.path).toBe('model_ref');
      expect(error.message).toBe(
        'model_ref model:default/llama-3-8b-sft is served from "mlflow://models/llama-3-8b-sft/3", which KServe cannot download: its storage initializer takes gs, s3, pvc, file, https, http, hdfs, webhdfs, oci, hf URIs. Pass the artifact location of the registered model version as storageUri (the portal resolves mlflow://models/<name>/<version> through MLflow; llmops convert takes --storage-uri)',
      );
    });

    it.each([
      ['hf://meta-llama/Meta-Llama-3-8B', 'hf://meta-llama/Meta-Llama-3-8B'],
      [
        'hf://meta-llama/Meta-Llama-3-8B@5f0b02c',
        'hf://meta-llama/Meta-Llama-3-8B:5f0b02c',
      ],
      ['s3://models/m', 's3://models/m'],
      ['pvc://models/llama', 'pvc://models/llama'],
      ['oci://registry/model:1', 'oci://registry/model:1'],
      ['/mnt/models/llama', '/mnt/models/llama'],
    ])('serves %s as %s', (source, expected) => {
      expect(
        deploymentToInferenceService(rolling, { model: { source } }).spec
          .predictor.model.storageUri,
      ).toBe(expected);
    });

    it.each([
      ['hf://meta-llama', 'model_ref'],
      ['hf://org/name/sub', 'model_ref'],
      ['ftp://models/m', 'model_ref'],
    ])('refuses the source %s', (source, path) => {
      expect(
        thrown(() =>
          deploymentToInferenceService(rolling, { model: { source } }),
        ).path,
      ).toBe(path);
    });

    it('names storageUri when the given URI is the problem', () => {
      const error = thrown(() =>
        deploymentToInferenceService(rolling, {
          model,
          storageUri: 'mlflow-artifacts:/1/run/artifacts/model',
        }),
      );
      expect(error.path).toBe('storageUri');
      expect(error.message).toMatch(
        /^storageUri "mlflow-artifacts:\/1\/run\/artifacts\/model" /,
      );
    });
  });

  it('serves on cpu without GPU requests when the platform has no GPUs', () => {
    const isvc = deploymentToInferenceService(rolling, {
      model,
      storageUri,
      gpuAvailable: false,
    });
    expect(isvc.spec.predictor.model.image).toBe(
      'registry/llm-serve:cpu-v0.5.0',
    );
    expect(isvc.spec.predictor.model.resources).toEqual({
      requests: { cpu: '3', memory: '12Gi' },
      limits: { cpu: '3', memory: '12Gi' },
    });
    expect(isvc.spec.predictor.affinity).toBeUndefined();
    expect(isvc.metadata.annotations).toEqual(
      expect.objectContaining({
        'llmops.dev/gpus': '1',
        'llmops.dev/gpu-memory-gb': '24',
      }),
    );
  });

  it('takes the name from the options', () => {
    expect(
      deploymentToInferenceService(rolling, {
        model,
        storageUri,
        name: 'support-bot',
      }).metadata.name,
    ).toBe('support-bot');
    expect(
      thrown(() =>
        deploymentToInferenceService(rolling, {
          model,
          storageUri,
          name: '9lives',
        }),
      ).path,
    ).toBe('name');
  });

  it('names model_ref when the model cannot be served or named', () => {
    expect(
      thrown(() =>
        deploymentToInferenceService(rolling, { model: { source: '' } }),
      ),
    ).toEqual(
      expect.objectContaining({
        path: 'model_ref',
        message:
          'model_ref model:default/llama-3-8b-sft has no source to serve from; set spec.source of the Model',
      }),
    );
    const numeric = { ...rolling, model_ref: 'model:default/7b' };
    expect(
      thrown(() => deploymentToInferenceService(numeric, { model, storageUri }))
        .message,
    ).toBe(
      'model_ref "7b" cannot become a Kubernetes name: it must start with a letter',
    );
  });
});

describe('inferenceServiceToDeployment', () => {
  it('reads a RawDeployment spec back, max_concurrent_requests from vLLM', () => {
    const isvc = deploymentToInferenceService(rolling, { model, storageUri });
    expect(inferenceServiceToDeployment(isvc)).toStrictEqual(rolling);
  });

  it('reads a Serverless spec back from the native fields', () => {
    const isvc = deploymentToInferenceService(canary, {
      model,
      storageUri,
      ...serverless,
    });
    expect(inferenceServiceToDeployment(isvc)).toStrictEqual(canary);
    isvc.spec.predictor.canaryTrafficPercent = 25;
    isvc.spec.predictor.containerConcurrency = 8;
    expect(inferenceServiceToDeployment(isvc)).toEqual(
      expect.objectContaining({
        runtime: expect.objectContaining({ max_concurrent_requests: 8 }),
        rollout: { strategy: 'canary', traffic_split: { old: 75, new: 25 } },
      }),
    );
  });

  it('names the manifest field that is malformed', () => {
    const isvc = deploymentToInferenceService(canary, {
      model,
      storageUri,
      ...serverless,
    });
    isvc.spec.predictor.canaryTrafficPercent = 120;
    expect(thrown(() => inferenceServiceToDeployment(isvc)).path).toBe(
      'spec.predictor.canaryTrafficPercent',
    );
    expect(
      thrown(() => inferenceServiceToDeployment({ kind: 'Service' })).path,
    ).toBe('kind');
    const noRef = deploymentToInferenceService(rolling, { model, storageUri });
    delete noRef.metadata.annotations?.['llmops.dev/model-ref'];
    expect(thrown(() => inferenceServiceToDeployment(noRef)).path).toBe(
      'metadata.annotations["llmops.dev/model-ref"]',
    );
    const sized = deploymentToInferenceService(
      { ...rolling, resources: { ...rolling.resources, cpus: 2 } },
      { model, storageUri },
    );
    sized.spec.predictor.model.resources!.limits!.cpu = 'two';
    expect(thrown(() => inferenceServiceToDeployment(sized)).path).toBe(
      'spec.predictor.model.resources.limits.cpu',
    );
  });
});

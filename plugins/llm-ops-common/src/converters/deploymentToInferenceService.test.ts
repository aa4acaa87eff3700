import { readFixture } from '../specs/__testUtils__/builders';
import type { DeploymentSpec } from '../specs';
import {
  deploymentToInferenceService,
  inferenceServiceToDeployment,
} from './deploymentToInferenceService';
import { thrown } from './__testUtils__/thrown';

const canary = readFixture('deployment-canary.valid.yaml')[0] as DeploymentSpec;
const blueGreen = readFixture(
  'deployment-bluegreen.valid.yaml',
)[0] as DeploymentSpec;
const model = { source: 'mlflow://models/llama-3-8b-sft/3' };

describe('deploymentToInferenceService', () => {
  it('serves the model with the selected image, GPUs and runtime limits', () => {
    expect(
      deploymentToInferenceService(canary, { model, namespace: 'serving' }),
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
          'llmops.dev/rollout-strategy': 'canary',
        },
        annotations: {
          'llmops.dev/model-ref': 'model:default/llama-3-8b-sft',
          'llmops.dev/model-family': 'llama',
          'llmops.dev/defaulted-fields': 'serve_target',
        },
      },
      spec: {
        predictor: {
          containerConcurrency: 64,
          canaryTrafficPercent: 10,
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      {
                        key: 'nvidia.com/gpu.memory',
                        operator: 'Gt',
                        values: ['81919'],
                      },
                    ],
                  },
                ],
              },
            },
          },
          tolerations: [
            { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
          ],
          model: {
            modelFormat: { name: 'huggingface' },
            storageUri: 'mlflow://models/llama-3-8b-sft/3',
            image: 'registry/llm-serve:vllm-0.5.0-cuda12.1',
            args: [
              '--max-num-seqs=64',
              '--max-input-tokens=6144',
              '--max-output-tokens=1024',
            ],
            resources: {
              requests: { 'nvidia.com/gpu': '1' },
              limits: { 'nvidia.com/gpu': '1' },
            },
          },
        },
      },
    });
  });

  it('rolls blue-green out as two tagged revisions with all-or-nothing traffic', () => {
    const isvc = deploymentToInferenceService(blueGreen, {
      model: { source: 's3://models/m' },
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
      { model },
    );
    expect(switched.spec.predictor.canaryTrafficPercent).toBe(100);
  });

  it('serves on cpu without GPU requests when the platform has no GPUs', () => {
    const isvc = deploymentToInferenceService(canary, {
      model,
      gpuAvailable: false,
    });
    expect(isvc.spec.predictor.model.image).toBe(
      'registry/llm-serve:cpu-v0.5.0',
    );
    expect(isvc.spec.predictor.model.resources).toBeUndefined();
    expect(isvc.spec.predictor.affinity).toBeUndefined();
    expect(isvc.metadata.annotations).toEqual(
      expect.objectContaining({
        'llmops.dev/gpus': '1',
        'llmops.dev/gpu-memory-gb': '80',
      }),
    );
  });

  it('takes the name from the options', () => {
    expect(
      deploymentToInferenceService(canary, { model, name: 'support-bot' })
        .metadata.name,
    ).toBe('support-bot');
    expect(
      thrown(() =>
        deploymentToInferenceService(canary, { model, name: '9lives' }),
      ).path,
    ).toBe('name');
  });

  it('names model_ref when the model cannot be served or named', () => {
    expect(
      thrown(() =>
        deploymentToInferenceService(canary, { model: { source: '' } }),
      ),
    ).toEqual(
      expect.objectContaining({
        path: 'model_ref',
        message:
          'model_ref model:default/llama-3-8b-sft has no source to serve from; set spec.source of the Model',
      }),
    );
    const numeric = { ...canary, model_ref: 'model:default/7b' };
    expect(
      thrown(() => deploymentToInferenceService(numeric, { model })).message,
    ).toBe(
      'model_ref "7b" cannot become a Kubernetes name: it must start with a letter',
    );
  });
});

describe('inferenceServiceToDeployment', () => {
  it('reads the spec back from the native fields', () => {
    const isvc = deploymentToInferenceService(canary, { model });
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
    const isvc = deploymentToInferenceService(canary, { model });
    isvc.spec.predictor.canaryTrafficPercent = 120;
    expect(thrown(() => inferenceServiceToDeployment(isvc)).path).toBe(
      'spec.predictor.canaryTrafficPercent',
    );
    expect(
      thrown(() => inferenceServiceToDeployment({ kind: 'Service' })).path,
    ).toBe('kind');
    const noRef = deploymentToInferenceService(canary, { model });
    delete noRef.metadata.annotations?.['llmops.dev/model-ref'];
    expect(thrown(() => inferenceServiceToDeployment(noRef)).path).toBe(
      'metadata.annotations["llmops.dev/model-ref"]',
    );
  });
});

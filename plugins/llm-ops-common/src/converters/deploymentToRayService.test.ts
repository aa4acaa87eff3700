import { parse } from 'yaml';
import { thrown } from './__testUtils__/thrown';
import { readFixture } from '../specs/__testUtils__/builders';
import type { DeploymentSpec } from '../specs';
import {
  deploymentToRayService,
  rayServiceToDeployment,
} from './deploymentToRayService';

const canary = readFixture('deployment-canary.valid.yaml')[0] as DeploymentSpec;
const blueGreen = readFixture(
  'deployment-bluegreen.valid.yaml',
)[0] as DeploymentSpec;
const model = { source: 'hf://org/model' };

describe('deploymentToRayService', () => {
  it('writes serveConfigV2 with replicas, num_gpus and max_ongoing_requests', () => {
    const rayService = deploymentToRayService(blueGreen, { model });
    expect(parse(rayService.spec.serveConfigV2)).toEqual({
      applications: [
        {
          name: 'llm',
          import_path: 'llmops_serve.app:build_app',
          route_prefix: '/',
          args: {
            model_source: 'hf://org/model',
            serve_target: 'RAG',
            max_input_tokens: 16384,
            max_output_tokens: 2048,
          },
          deployments: [
            {
              name: 'LLMServer',
              num_replicas: 1,
              max_ongoing_requests: 32,
              ray_actor_options: { num_gpus: 2 },
            },
          ],
        },
      ],
    });
  });

  it('runs the selected image on the head and the GPU workers', () => {
    const rayService = deploymentToRayService(canary, {
      model,
      namespace: 'serving',
    });
    expect(rayService.metadata).toEqual(
      expect.objectContaining({ name: 'llama-3-8b-sft', namespace: 'serving' }),
    );
    expect(rayService.metadata.annotations).toEqual(
      expect.objectContaining({ 'llmops.dev/traffic-split': '90/10' }),
    );
    expect(rayService.spec.upgradeStrategy).toEqual({ type: 'NewCluster' });
    const { headGroupSpec, workerGroupSpecs } =
      rayService.spec.rayClusterConfig;
    expect(headGroupSpec.template.spec.containers[0].image).toBe(
      'registry/llm-serve:vllm-0.5.0-cuda12.1',
    );
    expect(workerGroupSpecs).toEqual([
      expect.objectContaining({
        groupName: 'gpu-workers',
        replicas: 1,
        template: {
          spec: expect.objectContaining({
            containers: [
              {
                name: 'ray-worker',
                image: 'registry/llm-serve:vllm-0.5.0-cuda12.1',
                resources: {
                  requests: { 'nvidia.com/gpu': '1' },
                  limits: { 'nvidia.com/gpu': '1' },
                },
              },
            ],
          }),
        },
      }),
    ]);
  });

  it('runs cpu workers without GPUs when use_gpu is false', () => {
    const rayService = deploymentToRayService(
      { ...canary, use_gpu: false },
      { model },
    );
    const [workers] = rayService.spec.rayClusterConfig.workerGroupSpecs;
    expect(workers.groupName).toBe('cpu-workers');
    expect(workers.template.spec.containers[0]).toEqual({
      name: 'ray-worker',
      image: 'registry/llm-serve:cpu-v0.5.0',
    });
    expect(
      parse(rayService.spec.serveConfigV2).applications[0].deployments[0]
        .ray_actor_options,
    ).toEqual({
      num_gpus: 0,
    });
  });
});

describe('rayServiceToDeployment', () => {
  it('reads the spec back', () => {
    expect(
      rayServiceToDeployment(deploymentToRayService(canary, { model })),
    ).toStrictEqual(canary);
  });

  it('names serveConfigV2 when it is not YAML or lacks the deployment', () => {
    const rayService = deploymentToRayService(canary, { model });
    rayService.spec.serveConfigV2 = 'applications: [';
    expect(thrown(() => rayServiceToDeployment(rayService)).path).toBe(
      'spec.serveConfigV2',
    );
    rayService.spec.serveConfigV2 =
      'applications: [{name: llm, args: {}, deployments: []}]';
    expect(() => rayServiceToDeployment(rayService)).toThrow(
      'spec.serveConfigV2: applications[0] has no deployment named LLMServer',
    );
  });
});

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
const rolling = readFixture(
  'deployment-rolling.valid.yaml',
)[0] as DeploymentSpec;
const rollingRag: DeploymentSpec = {
  ...blueGreen,
  rollout: { strategy: 'rolling', traffic_split: { old: 0, new: 100 } },
};
const model = { source: 'hf://org/model' };
const incrementalUpgrade = {
  gatewayClassName: 'istio',
  stepSizePercent: 25,
  intervalSeconds: 120,
  maxSurgePercent: 50,
};

describe('deploymentToRayService', () => {
  it('writes serveConfigV2 with replicas, num_gpus and max_ongoing_requests', () => {
    const rayService = deploymentToRayService(rollingRag, { model });
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

  it('serves the resolved storage URI when given', () => {
    const rayService = deploymentToRayService(rolling, {
      model: { source: 'mlflow://models/llama-3-8b-sft/3' },
      storageUri: 's3://mlflow/3/run/artifacts/model',
    });
    expect(
      parse(rayService.spec.serveConfigV2).applications[0].args.model_source,
    ).toBe('s3://mlflow/3/run/artifacts/model');
  });

  it('runs the selected image on a sized head and GPU workers, replaced by a new cluster', () => {
    const rayService = deploymentToRayService(rolling, {
      model,
      namespace: 'serving',
    });
    expect(rayService.metadata).toEqual(
      expect.objectContaining({ name: 'llama-3-8b-sft', namespace: 'serving' }),
    );
    expect(rayService.metadata.annotations).not.toHaveProperty(
      'llmops.dev/traffic-split',
    );
    expect(rayService.spec.upgradeStrategy).toEqual({ type: 'NewCluster' });
    const { headGroupSpec, workerGroupSpecs, enableInTreeAutoscaling } =
      rayService.spec.rayClusterConfig;
    expect(enableInTreeAutoscaling).toBeUndefined();
    expect(headGroupSpec.template.spec.containers[0]).toEqual(
      expect.objectContaining({
        image: 'registry/llm-serve:vllm-0.5.0-cuda12.1',
        resources: {
          requests: { cpu: '2', memory: '8Gi' },
          limits: { cpu: '2', memory: '8Gi' },
        },
      }),
    );
    expect(workerGroupSpecs).toEqual([
      expect.objectContaining({
        groupName: 'gpu-workers',
        replicas: 1,
        template: {
          spec: expect.objectContaining({
            affinity: expect.any(Object),
            containers: [
              {
                name: 'ray-worker',
                image: 'registry/llm-serve:vllm-0.5.0-cuda12.1',
                resources: {
                  requests: {
                    cpu: '3',
                    memory: '12Gi',
                    'nvidia.com/gpu': '1',
                  },
                  limits: { cpu: '3', memory: '12Gi', 'nvidia.com/gpu': '1' },
                },
              },
            ],
          }),
        },
      }),
    ]);
  });

  it('runs as the service account of the environment, with its HF token reference', () => {
    const rayService = deploymentToRayService(rolling, {
      model,
      environment: 'stg',
      environments: {
        stg: {
          serving: {
            serviceAccountName: 'ray-serving',
            secrets: { hfToken: { name: 'hf', key: 'HF_TOKEN' } },
            rayService: { headResources: { cpu: 4, memoryGb: 16 } },
          },
        },
      },
    });
    const { headGroupSpec, workerGroupSpecs } =
      rayService.spec.rayClusterConfig;
    const hfToken = [
      {
        name: 'HF_TOKEN',
        valueFrom: { secretKeyRef: { name: 'hf', key: 'HF_TOKEN' } },
      },
    ];
    expect(headGroupSpec.template.spec.serviceAccountName).toBe('ray-serving');
    expect(headGroupSpec.template.spec.containers[0].env).toEqual(hfToken);
    expect(headGroupSpec.template.spec.containers[0].resources?.limits).toEqual(
      { cpu: '4', memory: '16Gi' },
    );
    expect(workerGroupSpecs[0].template.spec.serviceAccountName).toBe(
      'ray-serving',
    );
    expect(workerGroupSpecs[0].template.spec.containers[0].env).toEqual(
      hfToken,
    );
  });

  it('upgrades incrementally where the environment has KubeRay incremental upgrades', () => {
    const rayService = deploymentToRayService(rolling, {
      model,
      serving: { rayService: { incrementalUpgrade } },
    });
    expect(rayService.spec.upgradeStrategy).toEqual({
      type: 'NewClusterWithIncrementalUpgrade',
      clusterUpgradeOptions: incrementalUpgrade,
    });
    // KubeRay v1.5 requires the Ray autoscaler for it (ValidateClusterUpgradeOptions)
    expect(rayService.spec.rayClusterConfig.enableInTreeAutoscaling).toBe(true);
  });

  it.each([
    [canary, {}, 'rollout.split_unsupported_by_rayservice'],
    [blueGreen, {}, 'rollout.split_unsupported_by_rayservice'],
    [
      canary,
      { serving: { rayService: { incrementalUpgrade } } },
      'rollout.split_unsupported_by_rayservice',
    ],
    [
      {
        ...rolling,
        rollout: {
          strategy: 'recreate' as const,
          traffic_split: { old: 0, new: 100 },
        },
      },
      {},
      'rollout.recreate_unsupported',
    ],
  ])(
    'refuses a rollout a RayService cannot do (%#)',
    (spec, platform, rule) => {
      const error = thrown(() =>
        deploymentToRayService(spec, { model, ...platform }),
      );
      expect(error).toEqual(
        expect.objectContaining({ path: 'rollout.strategy', rule }),
      );
    },
  );

  it('runs cpu workers without GPUs when use_gpu is false', () => {
    const rayService = deploymentToRayService(
      { ...rolling, use_gpu: false },
      { model },
    );
    const [workers] = rayService.spec.rayClusterConfig.workerGroupSpecs;
    expect(workers.groupName).toBe('cpu-workers');
    expect(workers.template.spec.containers[0]).toEqual({
      name: 'ray-worker',
      image: 'registry/llm-serve:cpu-v0.5.0',
      resources: {
        requests: { cpu: '3', memory: '12Gi' },
        limits: { cpu: '3', memory: '12Gi' },
      },
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
      rayServiceToDeployment(deploymentToRayService(rolling, { model })),
    ).toStrictEqual(rolling);
    const sized = {
      ...rolling,
      resources: { ...rolling.resources, cpus: 0.5, memory_gb: 3 },
    };
    expect(
      rayServiceToDeployment(deploymentToRayService(sized, { model })),
    ).toStrictEqual(sized);
  });

  it("reads the split of an older portal's canary RayService from its annotation", () => {
    const older = deploymentToRayService(rolling, { model });
    older.metadata.labels!['llmops.dev/rollout-strategy'] = 'canary';
    older.metadata.annotations!['llmops.dev/traffic-split'] = '90/10';
    expect(rayServiceToDeployment(older).rollout).toEqual({
      strategy: 'canary',
      traffic_split: { old: 90, new: 10 },
    });
    delete older.metadata.annotations!['llmops.dev/traffic-split'];
    expect(thrown(() => rayServiceToDeployment(older)).path).toBe(
      'metadata.annotations["llmops.dev/traffic-split"]',
    );
  });

  it('names serveConfigV2 when it is not YAML or lacks the deployment', () => {
    const rayService = deploymentToRayService(rolling, { model });
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

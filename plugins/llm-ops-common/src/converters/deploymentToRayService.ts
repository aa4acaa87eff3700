import { parse } from 'yaml';
import { checkServingTarget } from '../specs/checkServingTarget';
import { getAt, isRecord } from '../specs/checkStructure';
import type { DeploymentSpec } from '../specs';
import { ConversionError } from './ConversionError';
import { deploymentBase, readDeploymentBase } from './deploymentBase';
import {
  fail,
  parseAs,
  podResources,
  readManifest,
  requireArray,
  requireRecord,
} from './manifestHelpers';
import { manifestToYaml } from './manifestToYaml';
import { servingPlatform } from './platform';
import {
  assembleDeploymentSpec,
  deploymentFields,
  runtimeFields,
} from './specFields';
import type { DeploymentConversionOptions, RayService } from './types';

/**
 * The traffic split of RayServices written before rollouts were checked
 * against KubeRay (which has no split): read back, never written.
 */
const ANNOTATION_TRAFFIC_SPLIT = 'llmops.dev/traffic-split';
const APPLICATION = 'llm';
const DEPLOYMENT = 'LLMServer';
/** The Ray Serve application of the portal's serve images. */
const IMPORT_PATH = 'llmops_serve.app:build_app';

/**
 * Converts a DeploymentSpec to a KubeRay RayService. Its `serveConfigV2`
 * holds one application whose `LLMServer` deployment has `num_replicas`,
 * `max_ongoing_requests` (from `max_concurrent_requests`) and
 * `ray_actor_options.num_gpus`, with the model source (`options.storageUri`
 * when given), serve target and token limits as application args. The head
 * and the worker group run the selected serve image as the environment's
 * serving service account, with CPU and memory requests equal to their
 * limits and the environment's `HF_TOKEN` Secret reference; workers
 * request the GPUs. (KubeRay mounts a memory-backed `/dev/shm` in every
 * Ray container itself.)
 *
 * A RayService has no traffic split, so only the `rolling` strategy is
 * accepted (canary, blue-green and recreate are refused with a
 * ConversionError carrying the rule, see `checkServingTarget`). An upgrade
 * creates a new RayCluster and moves all traffic to it once its Serve
 * applications are ready (`upgradeStrategy: NewCluster`), which needs room
 * for a second cluster. Where the environment configures
 * `serving.rayService.incrementalUpgrade` (KubeRay v1.5's alpha
 * `RayServiceIncrementalUpgrade` feature gate on, the Gateway API and the
 * GatewayClass installed), it is `NewClusterWithIncrementalUpgrade`
 * instead: traffic moves to the new cluster `stepSizePercent` every
 * `intervalSeconds` until it has all of it, with the Ray autoscaler on
 * (which KubeRay requires for it).
 *
 * @public
 */
export function deploymentToRayService(
  spec: DeploymentSpec,
  options: DeploymentConversionOptions,
): RayService {
  const platform = servingPlatform(options);
  const incremental = platform.incrementalUpgrade;
  const [refused] = checkServingTarget(spec.rollout.strategy, {
    tool: 'rayserve',
    incrementalUpgrade: incremental !== undefined,
  });
  if (refused) {
    throw new ConversionError(refused.path, refused.message, refused.rule);
  }
  const base = deploymentBase(spec, options);
  const replicas = 1;
  const serveConfig = {
    applications: [
      {
        name: APPLICATION,
        import_path: IMPORT_PATH,
        route_prefix: '/',
        args: {
          model_source: base.storageUri,
          serve_target: base.serveTarget,
          max_input_tokens: spec.runtime.max_input_tokens,
          max_output_tokens: spec.runtime.max_output_tokens,
        },
        deployments: [
          {
            name: DEPLOYMENT,
            num_replicas: replicas,
            max_ongoing_requests: spec.runtime.max_concurrent_requests,
            ray_actor_options: { num_gpus: base.gpus },
          },
        ],
      },
    ],
  };
  const account = base.serviceAccountName
    ? { serviceAccountName: base.serviceAccountName }
    : {};
  const env = base.env.length ? { env: base.env } : {};
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: base.metadata,
    spec: {
      upgradeStrategy: incremental
        ? {
            type: 'NewClusterWithIncrementalUpgrade',
            clusterUpgradeOptions: {
              gatewayClassName: incremental.gatewayClassName,
              stepSizePercent: incremental.stepSizePercent,
              intervalSeconds: incremental.intervalSeconds,
              ...(incremental.maxSurgePercent !== undefined
                ? { maxSurgePercent: incremental.maxSurgePercent }
                : {}),
            },
          }
        : { type: 'NewCluster' },
      serveConfigV2: manifestToYaml(serveConfig),
      rayClusterConfig: {
        ...(incremental ? { enableInTreeAutoscaling: true } : {}),
        headGroupSpec: {
          rayStartParams: { 'num-cpus': '0', 'dashboard-host': '0.0.0.0' },
          template: {
            spec: {
              ...account,
              containers: [
                {
                  name: 'ray-head',
                  image: base.image,
                  ports: [
                    { name: 'gcs', containerPort: 6379 },
                    { name: 'dashboard', containerPort: 8265 },
                    { name: 'client', containerPort: 10001 },
                    { name: 'serve', containerPort: 8000 },
                  ],
                  ...env,
                  resources: podResources(
                    0,
                    platform.rayHead.cpu,
                    platform.rayHead.memoryGb,
                  ),
                },
              ],
            },
          },
        },
        workerGroupSpecs: [
          {
            groupName: base.gpus > 0 ? 'gpu-workers' : 'cpu-workers',
            replicas,
            minReplicas: replicas,
            maxReplicas: replicas,
            rayStartParams: {},
            template: {
              spec: {
                ...account,
                ...base.scheduling,
                containers: [
                  {
                    name: 'ray-worker',
                    image: base.image,
                    ...env,
                    resources: base.resources,
                  },
                ],
              },
            },
          },
        ],
      },
    },
  };
}

/**
 * Reads a DeploymentSpec back from a RayService made by
 * `deploymentToRayService`, mostly from its `serveConfigV2`. Throws a
 * ConversionError naming the manifest fields that are missing or malformed
 * (all of them in its `errors`).
 *
 * @public
 */
export function rayServiceToDeployment(rayService: unknown): DeploymentSpec {
  return readManifest(() => readRayService(rayService));
}

function readRayService(rayService: unknown): DeploymentSpec {
  const fields = readDeploymentBase(rayService, 'ray.io/v1', 'RayService');
  const configPath = 'spec.serveConfigV2';
  const text = getAt(fields.manifest, ['spec', 'serveConfigV2']);
  if (typeof text !== 'string') {
    // the rest is read from it
    throw new ConversionError(
      configPath,
      text === undefined
        ? `${configPath} is missing: expected a string`
        : `${configPath} must be a string, got ${typeof text}`,
    );
  }
  let config: unknown;
  try {
    config = parse(text);
  } catch (error) {
    throw new ConversionError(
      configPath,
      `${configPath} is not valid YAML: ${error}`,
    );
  }
  const applications = requireArray(
    getAt(config, ['applications']),
    `${configPath}: applications`,
  );
  const appIndex = applications.findIndex(
    app => isRecord(app) && app.name === APPLICATION,
  );
  const appPath = `${configPath}: applications[${appIndex}]`;
  if (appIndex < 0) {
    throw new ConversionError(
      configPath,
      `${configPath} has no application named ${APPLICATION}`,
    );
  }
  const app = requireRecord(applications[appIndex], appPath);
  const appArgs = requireRecord(app.args, `${appPath}.args`);
  const deployments = requireArray(app.deployments, `${appPath}.deployments`);
  const deploymentIndex = deployments.findIndex(
    d => isRecord(d) && d.name === DEPLOYMENT,
  );
  const deploymentPath = `${appPath}.deployments[${deploymentIndex}]`;
  if (deploymentIndex < 0) {
    throw new ConversionError(
      configPath,
      `${appPath} has no deployment named ${DEPLOYMENT}`,
    );
  }
  const deployment = requireRecord(
    deployments[deploymentIndex],
    deploymentPath,
  );

  if (!fields.strategy) {
    throw new ConversionError(
      'metadata.labels',
      `metadata.labels has no llmops.dev/rollout-strategy: the RayService was not made from a DeploymentSpec`,
    );
  }
  const trafficSplit = readTrafficSplit(fields.strategy, fields.annotations);
  const worker = getAt(fields.manifest, [
    'spec',
    'rayClusterConfig',
    'workerGroupSpecs',
    0,
    'template',
    'spec',
  ]);
  const workerPath = 'spec.rayClusterConfig.workerGroupSpecs[0].template.spec';

  return assembleDeploymentSpec({
    model_ref: fields.model_ref,
    model_family: fields.model_family,
    job_type: fields.job_type,
    serve_target: fields.serveTargetDefaulted
      ? undefined
      : parseAs(
          deploymentFields.serve_target.unwrap(),
          appArgs.serve_target,
          `${appPath}.args.serve_target`,
        ),
    resources: {
      gpus: fields.readGpus(
        getAt(deployment, ['ray_actor_options', 'num_gpus']),
        `${deploymentPath}.ray_actor_options.num_gpus`,
      ),
      gpu_memory_gb: fields.readGpuMemory(
        getAt(worker, ['affinity']),
        `${workerPath}.affinity`,
      ),
      ...fields.readSize(
        getAt(worker, ['containers', 0, 'resources']),
        `${workerPath}.containers[0].resources`,
      ),
    },
    runtime: {
      max_concurrent_requests: parseAs(
        runtimeFields.max_concurrent_requests,
        deployment.max_ongoing_requests,
        `${deploymentPath}.max_ongoing_requests`,
      ),
      max_input_tokens: parseAs(
        runtimeFields.max_input_tokens,
        appArgs.max_input_tokens,
        `${appPath}.args.max_input_tokens`,
      ),
      max_output_tokens: parseAs(
        runtimeFields.max_output_tokens,
        appArgs.max_output_tokens,
        `${appPath}.args.max_output_tokens`,
      ),
    },
    rollout: { strategy: fields.strategy, traffic_split: trafficSplit },
    use_gpu: fields.use_gpu,
  });
}

/**
 * A rolling RayService has all traffic on the current cluster; manifests of
 * older portal versions kept a canary or blue-green split in an annotation.
 */
function readTrafficSplit(
  strategy: DeploymentSpec['rollout']['strategy'],
  annotations: Record<string, string>,
): DeploymentSpec['rollout']['traffic_split'] {
  if (strategy === 'rolling' || strategy === 'recreate') {
    return { old: 0, new: 100 };
  }
  const splitPath = `metadata.annotations["${ANNOTATION_TRAFFIC_SPLIT}"]`;
  const split = /^(\d+)\/(\d+)$/.exec(
    annotations[ANNOTATION_TRAFFIC_SPLIT] ?? '',
  );
  if (!split) {
    fail(
      new ConversionError(
        splitPath,
        `${splitPath} must be old/new percentages, such as 90/10`,
      ),
    );
    return { old: NaN, new: NaN };
  }
  return { old: Number(split[1]), new: Number(split[2]) };
}

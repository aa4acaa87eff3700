import { parse } from 'yaml';
import { z } from 'zod';
import { getAt, isRecord } from '../specs/checkStructure';
import type { DeploymentSpec } from '../specs';
import { ConversionError } from './ConversionError';
import { deploymentBase, readDeploymentBase } from './deploymentBase';
import { parseAs, requireArray, requireRecord } from './manifestHelpers';
import { manifestToYaml } from './manifestToYaml';
import {
  assembleDeploymentSpec,
  deploymentFields,
  runtimeFields,
} from './specFields';
import type { DeploymentConversionOptions, RayService } from './types';

/** The rollout, which KubeRay has no weighted-traffic field for. */
const ANNOTATION_TRAFFIC_SPLIT = 'llmops.dev/traffic-split';
const APPLICATION = 'llm';
const DEPLOYMENT = 'LLMServer';
/** The Ray Serve application of the portal's serve images. */
const IMPORT_PATH = 'llmops_serve.app:build_app';

/**
 * Converts a DeploymentSpec to a KubeRay RayService. Its `serveConfigV2`
 * holds one application whose `LLMServer` deployment has `num_replicas`,
 * `max_ongoing_requests` (from `max_concurrent_requests`) and
 * `ray_actor_options.num_gpus`, with the model source, serve target and
 * token limits as application args. The head and the worker group run the
 * selected serve image; workers request the GPUs. Upgrades create a new
 * cluster and switch traffic when it is ready (`upgradeStrategy:
 * NewCluster`); the rollout's split is recorded in the
 * `llmops.dev/traffic-split` annotation, as `old/new`.
 *
 * @public
 */
export function deploymentToRayService(
  spec: DeploymentSpec,
  options: DeploymentConversionOptions,
): RayService {
  const { old: oldShare, new: newShare } = spec.rollout.traffic_split;
  const base = deploymentBase(spec, options, {
    annotations: { [ANNOTATION_TRAFFIC_SPLIT]: `${oldShare}/${newShare}` },
  });
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
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: base.metadata,
    spec: {
      upgradeStrategy: { type: 'NewCluster' },
      serveConfigV2: manifestToYaml(serveConfig),
      rayClusterConfig: {
        headGroupSpec: {
          rayStartParams: { 'num-cpus': '0', 'dashboard-host': '0.0.0.0' },
          template: {
            spec: {
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
                ...base.scheduling,
                containers: [
                  {
                    name: 'ray-worker',
                    image: base.image,
                    ...(base.resources ? { resources: base.resources } : {}),
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
 * ConversionError naming the manifest field that is missing or malformed.
 *
 * @public
 */
export function rayServiceToDeployment(rayService: unknown): DeploymentSpec {
  const fields = readDeploymentBase(rayService, 'ray.io/v1', 'RayService');
  const configPath = 'spec.serveConfigV2';
  const text = getAt(fields.manifest, ['spec', 'serveConfigV2']);
  let config: unknown;
  try {
    config = parse(parseAs(z.string(), text, configPath));
  } catch (error) {
    if (error instanceof ConversionError) {
      throw error;
    }
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

  const splitPath = `metadata.annotations["${ANNOTATION_TRAFFIC_SPLIT}"]`;
  const split = /^(\d+)\/(\d+)$/.exec(
    fields.annotations[ANNOTATION_TRAFFIC_SPLIT] ?? '',
  );
  if (!split) {
    throw new ConversionError(
      splitPath,
      `${splitPath} must be old/new percentages, such as 90/10`,
    );
  }

  if (!fields.strategy) {
    throw new ConversionError(
      'metadata.labels',
      `metadata.labels has no llmops.dev/rollout-strategy: the RayService was not made from a DeploymentSpec`,
    );
  }

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
        getAt(fields.manifest, [
          'spec',
          'rayClusterConfig',
          'workerGroupSpecs',
          0,
          'template',
          'spec',
          'affinity',
        ]),
        'spec.rayClusterConfig.workerGroupSpecs[0].template.spec.affinity',
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
    rollout: {
      strategy: fields.strategy,
      traffic_split: { old: Number(split[1]), new: Number(split[2]) },
    },
    use_gpu: fields.use_gpu,
  });
}

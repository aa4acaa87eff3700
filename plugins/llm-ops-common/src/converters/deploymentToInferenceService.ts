import { z } from 'zod';
import { checkServingTarget } from '../specs/checkServingTarget';
import { getAt } from '../specs/checkStructure';
import { deriveServeTarget } from '../specs/deriveServeTarget';
import type { DeploymentSpec } from '../specs';
import { ConversionError } from './ConversionError';
import { deploymentBase, readDeploymentBase } from './deploymentBase';
import {
  GPU_RESOURCE,
  LABEL_SERVE_TARGET,
  SHM_MOUNT,
  argsMap,
  numeric,
  parseAs,
  readManifest,
  requireRecord,
  resourceQuantities,
  shmVolume,
} from './manifestHelpers';
import { servingPlatform } from './platform';
import {
  assembleDeploymentSpec,
  deploymentFields,
  runtimeFields,
} from './specFields';
import type { DeploymentConversionOptions, InferenceService } from './types';

/** KServe's annotation that gives the previous and latest revisions their own URLs (Serverless). */
const TAG_ROUTING = 'serving.kserve.io/enable-tag-routing';
/** KServe's deployment mode of an InferenceService (`constants.DeploymentMode`). */
export const KSERVE_DEPLOYMENT_MODE = 'serving.kserve.io/deploymentMode';
/**
 * The Secret KServe's storage initializer reads credentials from: the
 * default `storageSecretNameAnnotation` of KServe's `credentials` config.
 */
const STORAGE_SECRET = 'serving.kserve.io/storageSecretName';
/**
 * The storage URIs KServe v0.15's storage initializer downloads
 * (`SupportedStorageURIPrefixList`, pkg/controller/v1beta1/inferenceservice/utils).
 */
const KSERVE_STORAGE_PREFIXES = [
  'gs://',
  's3://',
  'pvc://',
  'file://',
  'https://',
  'http://',
  'hdfs://',
  'webhdfs://',
  'oci://',
  'hf://',
];

/**
 * The serve image's args. `--max-num-seqs` is vLLM's; `--max-input-tokens`
 * and `--max-output-tokens` are the portal serve image's, which rejects
 * longer prompts and caps `max_tokens`.
 */
const ARG = {
  maxNumSeqs: 'max-num-seqs',
  maxInputTokens: 'max-input-tokens',
  maxOutputTokens: 'max-output-tokens',
} as const;

/**
 * Converts a DeploymentSpec to a KServe InferenceService: a `huggingface`
 * predictor serving the model from `storageUri`, with the selected serve
 * image, CPU, memory and `nvidia.com/gpu` requests equal to their limits,
 * a GPU-memory node affinity, the environment's service account and
 * `HF_TOKEN` Secret reference, and the token limits as args.
 *
 * The manifest pins `serving.kserve.io/deploymentMode` to the
 * environment's mode (`RawDeployment` unless configured), and carries only
 * what that mode enforces:
 *
 * - Serverless (Knative): `containerConcurrency` from
 *   `max_concurrent_requests`; canary sets `canaryTrafficPercent` to
 *   `traffic_split.new`; blue-green uses two revisions named by tag
 *   routing, with `canaryTrafficPercent` 0 or 100; rolling leaves Knative
 *   to move all traffic to the new revision once it is ready.
 * - RawDeployment: the predictor's `deploymentStrategy`, RollingUpdate
 *   (maxUnavailable 0, maxSurge 1) for rolling or Recreate for recreate,
 *   and a memory-backed `/dev/shm` for multi-GPU replicas.
 *
 * A rollout the mode cannot enforce is refused with a ConversionError
 * carrying its rule (see `checkServingTarget`). The storage URI is
 * `options.storageUri` or the model's source; an `mlflow://` source needs
 * `options.storageUri`, and `hf://org/name@rev` is written as KServe's
 * `hf://org/name:rev`.
 *
 * @public
 */
export function deploymentToInferenceService(
  spec: DeploymentSpec,
  options: DeploymentConversionOptions,
): InferenceService {
  const platform = servingPlatform(options);
  const mode = platform.deploymentMode;
  const [refused] = checkServingTarget(spec.rollout.strategy, {
    tool: 'kserve',
    deploymentMode: mode,
  });
  if (refused) {
    throw new ConversionError(refused.path, refused.message, refused.rule);
  }
  const storageUri = kserveStorageUri(spec, options);
  const serverless = mode === 'Serverless';
  const { strategy } = spec.rollout;
  const split = strategy === 'canary' || strategy === 'blue-green';
  const base = deploymentBase(spec, options, {
    annotations: {
      [KSERVE_DEPLOYMENT_MODE]: mode,
      ...(serverless && strategy === 'blue-green'
        ? { [TAG_ROUTING]: 'true' }
        : {}),
      ...(platform.storageSecret
        ? { [STORAGE_SECRET]: platform.storageSecret }
        : {}),
    },
  });
  const { runtime } = spec;
  const shm = !serverless && base.gpus > 1;
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: base.metadata,
    spec: {
      predictor: {
        ...(base.serviceAccountName
          ? { serviceAccountName: base.serviceAccountName }
          : {}),
        ...(serverless
          ? { containerConcurrency: runtime.max_concurrent_requests }
          : {}),
        ...(serverless && split
          ? { canaryTrafficPercent: spec.rollout.traffic_split.new }
          : {}),
        ...(!serverless
          ? {
              deploymentStrategy:
                strategy === 'recreate'
                  ? { type: 'Recreate' as const }
                  : {
                      type: 'RollingUpdate' as const,
                      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
                    },
            }
          : {}),
        ...base.scheduling,
        ...(shm ? { volumes: [shmVolume(base.memoryGb)] } : {}),
        model: {
          modelFormat: { name: 'huggingface' },
          storageUri,
          image: base.image,
          args: [
            `--${ARG.maxNumSeqs}=${runtime.max_concurrent_requests}`,
            `--${ARG.maxInputTokens}=${runtime.max_input_tokens}`,
            `--${ARG.maxOutputTokens}=${runtime.max_output_tokens}`,
          ],
          ...(base.env.length ? { env: base.env } : {}),
          resources: base.resources,
          ...(shm ? { volumeMounts: [SHM_MOUNT] } : {}),
        },
      },
    },
  };
}

/**
 * The storage URI KServe downloads the model from. Throws a
 * ConversionError naming `model_ref` (the Model's source) or `storageUri`
 * (the option) when KServe cannot download it.
 */
function kserveStorageUri(
  spec: DeploymentSpec,
  options: DeploymentConversionOptions,
): string {
  const given = options.storageUri;
  const uri = given ?? options.model?.source;
  const path = given !== undefined ? 'storageUri' : 'model_ref';
  const what =
    given !== undefined
      ? `storageUri ${JSON.stringify(given)}`
      : `model_ref ${spec.model_ref} is served from ${JSON.stringify(
          uri,
        )}, which`;
  if (typeof uri !== 'string' || uri === '') {
    throw new ConversionError(
      'model_ref',
      `model_ref ${spec.model_ref} has no source to serve from; set spec.source of the Model`,
    );
  }
  if (uri.startsWith('mlflow://')) {
    throw new ConversionError(
      path,
      `${what} KServe cannot download: its storage initializer takes ${KSERVE_STORAGE_PREFIXES.map(
        p => p.replace('://', ''),
      ).join(
        ', ',
      )} URIs. Pass the artifact location of the registered model version as storageUri (the portal resolves mlflow://models/<name>/<version> through MLflow; llmops convert takes --storage-uri)`,
    );
  }
  if (uri.startsWith('hf://')) {
    const match = /^hf:\/\/([^/@:]+)\/([^/@:]+)(?:[@:]([^/@:]+))?$/.exec(uri);
    if (!match) {
      throw new ConversionError(
        path,
        `${what} is not a Hugging Face URI KServe takes: hf://<org>/<name>, optionally with @<revision>`,
      );
    }
    const [, org, name, revision] = match;
    return `hf://${org}/${name}${revision ? `:${revision}` : ''}`;
  }
  // KServe takes a URI without `://` for a local path; `mlflow-artifacts:/…`
  // (MLflow's proxied artifact store) would be one, and fail at download
  const hasScheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri);
  if (hasScheme && !KSERVE_STORAGE_PREFIXES.some(p => uri.startsWith(p))) {
    throw new ConversionError(
      path,
      `${what} has a scheme KServe's storage initializer does not take; use one of ${KSERVE_STORAGE_PREFIXES.join(
        ', ',
      )}, or a path${
        uri.startsWith('mlflow-artifacts:')
          ? " (mlflow-artifacts: is MLflow's proxied artifact store: pass the URI of the store behind it)"
          : ''
      }`,
    );
  }
  return uri;
}

/**
 * Reads a DeploymentSpec back from an InferenceService made by
 * `deploymentToInferenceService`, the resources from the predictor's
 * limits, else its requests. Throws a ConversionError naming the manifest
 * fields that are missing or malformed (all of them in its `errors`).
 *
 * @public
 */
export function inferenceServiceToDeployment(
  inferenceService: unknown,
): DeploymentSpec {
  return readManifest(() => readInferenceService(inferenceService));
}

function readInferenceService(inferenceService: unknown): DeploymentSpec {
  const fields = readDeploymentBase(
    inferenceService,
    'serving.kserve.io/v1beta1',
    'InferenceService',
  );
  const predictorPath = 'spec.predictor';
  const predictor = requireRecord(
    getAt(fields.manifest, ['spec', 'predictor']),
    predictorPath,
  );
  const model = requireRecord(predictor.model, `${predictorPath}.model`);
  const args = argsMap(model.args, `${predictorPath}.model.args`);
  const fromArgs = (schema: z.ZodType<number>, flag: string) =>
    parseAs(
      schema,
      numeric(args.get(flag)),
      `${predictorPath}.model.args[--${flag}]`,
    );
  const strategy = fields.strategy ?? legacyStrategy(fields.annotations);
  const split = strategy === 'canary' || strategy === 'blue-green';
  const newShare = split
    ? parseAs(
        z.number().int().min(0).max(100),
        predictor.canaryTrafficPercent,
        `${predictorPath}.canaryTrafficPercent`,
      )
    : 100;
  const jobType = fields.job_type;
  const resourcesPath = `${predictorPath}.model.resources`;
  const gpus = resourceQuantities(model.resources, resourcesPath).get(
    GPU_RESOURCE,
  );

  return assembleDeploymentSpec({
    model_ref: fields.model_ref,
    model_family: fields.model_family,
    job_type: jobType,
    serve_target: fields.serveTargetDefaulted
      ? undefined
      : parseAs(
          deploymentFields.serve_target.unwrap(),
          fields.labels[LABEL_SERVE_TARGET] ??
            (jobType && deriveServeTarget(jobType)),
          `metadata.labels["${LABEL_SERVE_TARGET}"]`,
        ),
    resources: {
      gpus: fields.readGpus(
        gpus?.value,
        gpus?.path ?? `${resourcesPath}.limits["${GPU_RESOURCE}"]`,
      ),
      gpu_memory_gb: fields.readGpuMemory(
        predictor.affinity,
        `${predictorPath}.affinity`,
      ),
      ...fields.readSize(model.resources, resourcesPath),
    },
    runtime: {
      // containerConcurrency in Serverless, vLLM's --max-num-seqs in both
      max_concurrent_requests:
        predictor.containerConcurrency !== undefined
          ? parseAs(
              runtimeFields.max_concurrent_requests,
              predictor.containerConcurrency,
              `${predictorPath}.containerConcurrency`,
            )
          : fromArgs(runtimeFields.max_concurrent_requests, ARG.maxNumSeqs),
      max_input_tokens: fromArgs(
        runtimeFields.max_input_tokens,
        ARG.maxInputTokens,
      ),
      max_output_tokens: fromArgs(
        runtimeFields.max_output_tokens,
        ARG.maxOutputTokens,
      ),
    },
    rollout: {
      strategy,
      traffic_split: { old: 100 - newShare, new: newShare },
    },
    use_gpu: fields.use_gpu,
  });
}

/** The strategy of a manifest without the strategy label. */
function legacyStrategy(
  annotations: Record<string, string>,
): DeploymentSpec['rollout']['strategy'] {
  return annotations[TAG_ROUTING] === 'true' ? 'blue-green' : 'canary';
}

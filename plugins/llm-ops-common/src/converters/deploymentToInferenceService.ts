import { z } from 'zod';
import { getAt } from '../specs/checkStructure';
import { deriveServeTarget } from '../specs/deriveServeTarget';
import type { DeploymentSpec } from '../specs';
import { deploymentBase, readDeploymentBase } from './deploymentBase';
import {
  GPU_RESOURCE,
  LABEL_SERVE_TARGET,
  argsMap,
  numeric,
  parseAs,
  requireRecord,
} from './manifestHelpers';
import {
  assembleDeploymentSpec,
  deploymentFields,
  runtimeFields,
} from './specFields';
import type { DeploymentConversionOptions, InferenceService } from './types';

/** KServe's annotation that gives the previous and latest revisions their own URLs. */
const TAG_ROUTING = 'serving.kserve.io/enable-tag-routing';

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
 * predictor serving the model's `source` as `storageUri` with the selected
 * serve image, `nvidia.com/gpu` resources and a GPU-memory node affinity,
 * `containerConcurrency` from `max_concurrent_requests`, and the token
 * limits as args. Canary rollouts set `canaryTrafficPercent` to
 * `traffic_split.new`. Blue-green rollouts use KServe's two named revisions
 * (tag routing gives the previous and latest revisions their own URLs) and
 * switch traffic as a whole: `canaryTrafficPercent` is 0 (old keeps all
 * traffic) or 100 (new takes it).
 *
 * @public
 */
export function deploymentToInferenceService(
  spec: DeploymentSpec,
  options: DeploymentConversionOptions,
): InferenceService {
  const blueGreen = spec.rollout.strategy === 'blue-green';
  const base = deploymentBase(spec, options, {
    annotations: blueGreen ? { [TAG_ROUTING]: 'true' } : {},
  });
  const { runtime } = spec;
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: base.metadata,
    spec: {
      predictor: {
        containerConcurrency: runtime.max_concurrent_requests,
        canaryTrafficPercent: spec.rollout.traffic_split.new,
        ...base.scheduling,
        model: {
          modelFormat: { name: 'huggingface' },
          storageUri: base.storageUri,
          image: base.image,
          args: [
            `--${ARG.maxNumSeqs}=${runtime.max_concurrent_requests}`,
            `--${ARG.maxInputTokens}=${runtime.max_input_tokens}`,
            `--${ARG.maxOutputTokens}=${runtime.max_output_tokens}`,
          ],
          ...(base.resources ? { resources: base.resources } : {}),
        },
      },
    },
  };
}

/**
 * Reads a DeploymentSpec back from an InferenceService made by
 * `deploymentToInferenceService`. Throws a ConversionError naming the
 * manifest field that is missing or malformed.
 *
 * @public
 */
export function inferenceServiceToDeployment(
  inferenceService: unknown,
): DeploymentSpec {
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
  const newShare = parseAs(
    z.number().int().min(0).max(100),
    predictor.canaryTrafficPercent,
    `${predictorPath}.canaryTrafficPercent`,
  );
  const strategy =
    fields.strategy ??
    (fields.annotations[TAG_ROUTING] === 'true' ? 'blue-green' : 'canary');
  const jobType = fields.job_type;

  return assembleDeploymentSpec({
    model_ref: fields.model_ref,
    model_family: fields.model_family,
    job_type: jobType,
    serve_target: fields.serveTargetDefaulted
      ? undefined
      : parseAs(
          deploymentFields.serve_target.unwrap(),
          fields.labels[LABEL_SERVE_TARGET] ?? deriveServeTarget(jobType),
          `metadata.labels["${LABEL_SERVE_TARGET}"]`,
        ),
    resources: {
      gpus: fields.readGpus(
        getAt(model, ['resources', 'limits', GPU_RESOURCE]),
        `${predictorPath}.model.resources.limits["${GPU_RESOURCE}"]`,
      ),
      gpu_memory_gb: fields.readGpuMemory(
        predictor.affinity,
        `${predictorPath}.affinity`,
      ),
    },
    runtime: {
      max_concurrent_requests: parseAs(
        runtimeFields.max_concurrent_requests,
        predictor.containerConcurrency,
        `${predictorPath}.containerConcurrency`,
      ),
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

import { DEFAULT_MODEL_FAMILIES } from './constants';
import { checkStructure, show } from './checkStructure';
import { checkModelFamily } from './checkModelFamily';
import { checkServingTarget } from './checkServingTarget';
import { deploymentSpecObject } from './deploymentSpecSchema';
import { SERVE_TARGETS_FOR_JOB } from './deriveServeTarget';
import { DEFAULT_SPEC_LIMITS, checkMaximum } from './specLimits';
import type {
  DeploymentSpec,
  SpecValidationError,
  SpecValidationOptions,
  SpecValidationResult,
} from './types';

const fields = deploymentSpecObject.shape;
const { resources, runtime, rollout } = fields;
const { traffic_split } = rollout.shape;

/**
 * Validates a DeploymentSpec document, returning every error with its rule
 * code. The cross-field rules run even when unrelated fields are broken.
 *
 * @public
 */
export async function validateDeploymentSpec(
  doc: unknown,
  options: SpecValidationOptions,
): Promise<SpecValidationResult<DeploymentSpec>> {
  const limits = { ...DEFAULT_SPEC_LIMITS, ...options.limits };
  const check = checkStructure(deploymentSpecObject, doc, limits);
  const errors: SpecValidationError[] = check.errors;
  const jobType = check.read(fields.job_type, 'job_type');
  const family = check.read(fields.model_family, 'model_family');
  const gpus = check.read(resources.shape.gpus, 'resources.gpus');
  const gpuMemoryGb = check.read(
    resources.shape.gpu_memory_gb,
    'resources.gpu_memory_gb',
  );

  checkModelFamily(
    family,
    options.modelFamilies ?? DEFAULT_MODEL_FAMILIES,
    errors,
  );
  checkMaximum(
    gpus,
    {
      path: 'resources.gpus',
      rule: 'resources.gpus_exceeds_limit',
      key: 'maxGpusPerNode',
      unit: 'GPUs per replica',
    },
    limits,
    errors,
  );

  const serveTarget = check.read(fields.serve_target, 'serve_target');
  if (jobType && serveTarget) {
    const allowed = SERVE_TARGETS_FOR_JOB[jobType];
    if (!allowed.includes(serveTarget)) {
      errors.push({
        path: 'serve_target',
        rule: 'serve_target.incompatible',
        message: `serve_target ${serveTarget} is incompatible with ${jobType} models, which need ${allowed.join(
          ' or ',
        )}; set serve_target to ${
          allowed[0]
        } or remove it to derive it from job_type`,
      });
    }
  }

  const strategy = check.read(rollout.shape.strategy, 'rollout.strategy');
  checkTrafficSplit(
    strategy,
    check.read(traffic_split.shape.old, 'rollout.traffic_split.old'),
    check.read(traffic_split.shape.new, 'rollout.traffic_split.new'),
    errors,
  );
  if (options.servingTarget?.notConfigured) {
    errors.push({
      path: 'environment',
      rule: 'serving.not_configured',
      message: options.servingTarget.notConfigured,
    });
  }
  if (strategy && options.servingTarget) {
    errors.push(...checkServingTarget(strategy, options.servingTarget));
  }

  const modelRef = check.read(fields.model_ref, 'model_ref');
  if (modelRef) {
    const model = await options.resolver.resolve(modelRef);
    if (!model) {
      errors.push({
        path: 'model_ref',
        rule: 'model_ref.unresolved',
        message: `model_ref ${show(
          modelRef,
        )} names no known model; use the reference of a Model in the catalog, such as model:default/llama-3-8b-sft`,
      });
    } else {
      if (family && family !== model.family) {
        errors.push({
          path: 'model_family',
          rule: 'model_family.mismatch',
          message: `model_family ${show(
            family,
          )} differs from the family of model ${model.ref} (${show(
            model.family,
          )}); set model_family to ${model.family}`,
        });
      }
      if (jobType && model.jobType && jobType !== model.jobType) {
        errors.push({
          path: 'job_type',
          rule: 'job_type.mismatch',
          message: `job_type ${jobType} differs from the jobType of model ${model.ref} (${model.jobType}); set job_type to ${model.jobType}`,
        });
      }
      const maxInputTokens = check.read(
        runtime.shape.max_input_tokens,
        'runtime.max_input_tokens',
      );
      if (maxInputTokens && maxInputTokens > model.maxPositionEmbeddings) {
        errors.push({
          path: 'runtime.max_input_tokens',
          rule: 'runtime.max_input_tokens_exceeds_model',
          message: `runtime.max_input_tokens ${maxInputTokens} exceeds the maxPositionEmbeddings of model ${model.ref} (${model.maxPositionEmbeddings}); set it to ${model.maxPositionEmbeddings} or less`,
        });
      }
      const minGpus = model.serving?.minGpus;
      if (gpus !== undefined && minGpus !== undefined && gpus < minGpus) {
        errors.push({
          path: 'resources.gpus',
          rule: 'resources.insufficient_gpu',
          message: `resources.gpus ${gpus} is below the ${minGpus} GPUs that model ${model.ref} needs to serve (serving.minGpus); request at least ${minGpus}`,
        });
      }
      const minMemory = model.serving?.minGpuMemoryGb;
      if (
        gpuMemoryGb !== undefined &&
        minMemory !== undefined &&
        gpuMemoryGb < minMemory
      ) {
        errors.push({
          path: 'resources.gpu_memory_gb',
          rule: 'resources.insufficient_gpu',
          message: `resources.gpu_memory_gb ${gpuMemoryGb} is below the ${minMemory} GB per GPU that model ${
            model.ref
          } needs to serve (serving.minGpuMemoryGb); request at least ${Math.ceil(
            minMemory,
          )}`,
        });
      }
    }
  }

  if (errors.length === 0 && check.data) {
    return { valid: true, spec: check.data, errors: [] };
  }
  return { valid: false, errors };
}

function checkTrafficSplit(
  strategy: DeploymentSpec['rollout']['strategy'] | undefined,
  oldShare: number | undefined,
  newShare: number | undefined,
  errors: SpecValidationError[],
) {
  const rule = 'rollout.traffic_split_invalid';
  for (const [key, share] of [
    ['old', oldShare],
    ['new', newShare],
  ] as const) {
    if (share !== undefined && !isPercentage(share)) {
      errors.push({
        path: `rollout.traffic_split.${key}`,
        rule,
        message: `rollout.traffic_split.${key} must be an integer from 0 to 100, got ${show(
          share,
        )}`,
      });
    }
  }
  if (
    oldShare === undefined ||
    newShare === undefined ||
    !isPercentage(oldShare) ||
    !isPercentage(newShare)
  ) {
    return;
  }
  if (oldShare + newShare !== 100) {
    errors.push({
      path: 'rollout.traffic_split',
      rule,
      message: `rollout.traffic_split old and new must add up to 100, got ${oldShare} + ${newShare} = ${
        oldShare + newShare
      }`,
    });
  } else if (
    (strategy === 'rolling' || strategy === 'recreate') &&
    newShare !== 100
  ) {
    errors.push({
      path: 'rollout.traffic_split',
      rule,
      message: `${strategy} rollouts replace the deployment as a whole, so rollout.traffic_split must be old 0 / new 100, got ${oldShare}/${newShare}; use the canary strategy for a partial split`,
    });
  } else if (
    strategy === 'blue-green' &&
    oldShare !== 100 &&
    newShare !== 100
  ) {
    errors.push({
      path: 'rollout.traffic_split',
      rule,
      message: `blue-green rollouts switch traffic as a whole, so rollout.traffic_split must be old 100 / new 0 or old 0 / new 100, got ${oldShare}/${newShare}; use the canary strategy for a partial split`,
    });
  }
}

function isPercentage(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 100;
}

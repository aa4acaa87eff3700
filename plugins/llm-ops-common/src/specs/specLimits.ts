import type { SpecRule } from './specRules';
import type { SpecValidationError } from './types';

/**
 * Upper bounds of spec values, configurable as `llmOps.specLimits`.
 *
 * @public
 */
export interface SpecLimits {
  /** `resources.nodes` of a TrainJobSpec. */
  maxNodes: number;
  /** `resources.gpus`: GPUs per training node or serving replica. */
  maxGpusPerNode: number;
  /** `hyperparams.num_epochs`. */
  maxEpochs: number;
  /** Characters of a string field that has no rule of its own. */
  maxStringLength: number;
  /** Characters of `dataset_ref.storage_uri`. */
  maxUriLength: number;
}

/**
 * The default `SpecLimits`: beyond what a cluster runs, and short enough
 * that no message or label grows without bound.
 *
 * @public
 */
export const DEFAULT_SPEC_LIMITS: SpecLimits = {
  maxNodes: 512,
  maxGpusPerNode: 16,
  maxEpochs: 10000,
  maxStringLength: 256,
  maxUriLength: 2048,
};

/** Pushes the `*_exceeds_limit` error of `value` when it is above `limits[key]`. */
export function checkMaximum(
  value: number | undefined,
  check: { path: string; rule: SpecRule; key: keyof SpecLimits; unit: string },
  limits: SpecLimits,
  errors: SpecValidationError[],
) {
  const max = limits[check.key];
  if (value !== undefined && value > max) {
    errors.push({
      path: check.path,
      rule: check.rule,
      message: `${check.path} ${value} is above the limit of ${max} ${check.unit}; set it to ${max} or less, or raise llmOps.specLimits.${check.key}`,
    });
  }
}

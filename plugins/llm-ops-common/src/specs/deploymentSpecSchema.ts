import { z } from 'zod';
import { JOB_TYPES, ROLLOUT_STRATEGIES, SERVE_TARGETS } from './constants';
import {
  cpuCount,
  expecting,
  nonEmptyString,
  nonNegativeInt,
  oneOf,
  positiveInt,
} from './schemaHelpers';
import type { DeploymentSpec } from './types';
import { MODEL_ALIAS_RULE, parseModelVersion } from '../modelVersions';

const MODEL_VERSION = `a registry version, such as 3, or an alias, such as @champion (${MODEL_ALIAS_RULE})`;

/** Any number: the range and sum are the `rollout.traffic_split_invalid` rule. */
const percentage = z.number(expecting('a number'));

/** The structure of a DeploymentSpec, with the field schemas for the rules. */
export const deploymentSpecObject = z
  .object(
    {
      kind: z.literal('DeploymentSpec', expecting('"DeploymentSpec"')),
      model_ref: nonEmptyString(
        'a Model reference, such as model:default/llama-3-8b-sft',
      ),
      model_family: nonEmptyString('a model family name, such as llama'),
      job_type: oneOf(JOB_TYPES),
      serve_target: oneOf(SERVE_TARGETS).optional(),
      model_version: z
        .string(expecting(MODEL_VERSION))
        .refine(
          v => parseModelVersion(v) !== undefined,
          expecting(MODEL_VERSION),
        )
        .optional(),
      resources: z
        .object(
          {
            gpus: nonNegativeInt(),
            gpu_memory_gb: nonNegativeInt(),
            cpus: cpuCount().optional(),
            memory_gb: positiveInt('a positive integer (GiB)').optional(),
          },
          expecting('an object with gpus and gpu_memory_gb'),
        )
        .strict(),
      runtime: z
        .object(
          {
            max_concurrent_requests: positiveInt(),
            max_input_tokens: positiveInt(),
            max_output_tokens: positiveInt(),
          },
          expecting(
            'an object with max_concurrent_requests, max_input_tokens and max_output_tokens',
          ),
        )
        .strict(),
      rollout: z
        .object(
          {
            strategy: oneOf(ROLLOUT_STRATEGIES),
            traffic_split: z
              .object(
                { old: percentage, new: percentage },
                expecting('an object with old and new'),
              )
              .strict(),
          },
          expecting('an object with strategy and traffic_split'),
        )
        .strict(),
      use_gpu: z.boolean(expecting('true or false')).optional(),
    },
    expecting('a mapping of DeploymentSpec fields'),
  )
  .strict();

/**
 * The zod schema of a DeploymentSpec's structure. The cross-field rules are
 * checked by `validateDeploymentSpec`.
 *
 * @public
 */
export const deploymentSpecSchema: z.ZodType<DeploymentSpec> =
  deploymentSpecObject;

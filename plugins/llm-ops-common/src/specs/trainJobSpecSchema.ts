import { z } from 'zod';
import { DATASET_TYPES } from '../kinds/DatasetEntity';
import {
  JOB_TYPES,
  PRECISIONS,
  SAVE_FORMATS,
  TRAIN_METHODS,
} from './constants';
import {
  cpuCount,
  expecting,
  nonEmptyString,
  nonNegativeInt,
  oneOf,
  positiveInt,
  positiveNumber,
} from './schemaHelpers';
import type { TrainJobSpec } from './types';

/** The structure of a TrainJobSpec, with the field schemas for the rules. */
export const trainJobSpecObject = z
  .object(
    {
      kind: z.literal('TrainJobSpec', expecting('"TrainJobSpec"')),
      job_type: oneOf(JOB_TYPES),
      model_family: nonEmptyString('a model family name, such as llama'),
      base_model_ref: nonEmptyString(
        'a Model reference, such as model:default/llama-3-8b',
      )
        .nullable()
        .optional(),
      dataset_ref: z
        .object(
          {
            name: nonEmptyString(),
            version: nonEmptyString(),
            type: oneOf(DATASET_TYPES),
            storage_uri: nonEmptyString(
              'a storage URI, such as s3://bucket/path',
            ),
          },
          expecting('an object with name, version, type and storage_uri'),
        )
        .strict(),
      hyperparams: z
        .object(
          {
            lr: positiveNumber(),
            batch_size: positiveInt(),
            num_epochs: positiveInt(),
            max_seq_len: positiveInt(),
            precision: oneOf(PRECISIONS),
          },
          expecting(
            'an object with lr, batch_size, num_epochs, max_seq_len and precision',
          ),
        )
        .strict(),
      method: oneOf(TRAIN_METHODS).optional(),
      resources: z
        .object(
          {
            gpus: nonNegativeInt(),
            // Which names are known is the resources.gpu_type_unknown rule.
            gpu_type: nonEmptyString(
              'a GPU type, such as nvidia-a100-80gb',
            ).optional(),
            nodes: positiveInt('an integer of 1 or more'),
            cpus: cpuCount().optional(),
            memory_gb: positiveInt('a positive integer (GiB)').optional(),
          },
          expecting('an object with gpus, gpu_type and nodes'),
        )
        .strict(),
      output: z
        .object(
          {
            artifact_name: nonEmptyString(),
            save_format: oneOf(SAVE_FORMATS),
          },
          expecting('an object with artifact_name and save_format'),
        )
        .strict(),
      use_gpu: z.boolean(expecting('true or false')).optional(),
      max_runtime_hours: positiveInt('a positive integer (hours)').optional(),
    },
    expecting('a mapping of TrainJobSpec fields'),
  )
  .strict();

/**
 * The zod schema of a TrainJobSpec's structure. The cross-field rules (the
 * rule codes other than `schema`) are checked by `validateTrainJobSpec`.
 *
 * @public
 */
export const trainJobSpecSchema: z.ZodType<TrainJobSpec> = trainJobSpecObject;

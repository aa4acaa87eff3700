import type { JobType, TrainJobSpec } from '@llmops/plugin-llm-ops-common';

/** A training method: LoRA and QLoRA train adapters, full trains every weight. */
export type TrainMethod = NonNullable<TrainJobSpec['method']>;

/** The hyperparameters that have a default per job type and method. */
export interface HyperparamDefaults {
  lr: number;
  batch_size: number;
  num_epochs: number;
  max_seq_len: number;
}

/**
 * The defaults of the "Train a model" form, per job type and method: the
 * one table (the template names no defaults of its own for these fields).
 * `method` is the job type's default method; `methods` lists the methods
 * the job type allows (PRETRAIN: full only). Adapters (LoRA, QLoRA) train
 * with a learning rate about ten times that of a full fine-tune; QLoRA
 * (a 4-bit base model) with half the batch.
 */
export const TRAIN_DEFAULTS: Readonly<
  Record<
    JobType,
    {
      method: TrainMethod;
      methods: Partial<Record<TrainMethod, HyperparamDefaults>>;
    }
  >
> = {
  PRETRAIN: {
    method: 'full',
    methods: {
      full: { lr: 3e-4, batch_size: 64, num_epochs: 1, max_seq_len: 2048 },
    },
  },
  SFT: {
    method: 'lora',
    methods: {
      lora: { lr: 2e-4, batch_size: 8, num_epochs: 3, max_seq_len: 2048 },
      qlora: { lr: 2e-4, batch_size: 4, num_epochs: 3, max_seq_len: 2048 },
      full: { lr: 2e-5, batch_size: 8, num_epochs: 3, max_seq_len: 2048 },
    },
  },
  RAG_TUNING: {
    method: 'lora',
    methods: {
      lora: { lr: 1e-4, batch_size: 8, num_epochs: 2, max_seq_len: 4096 },
      qlora: { lr: 1e-4, batch_size: 4, num_epochs: 2, max_seq_len: 4096 },
      full: { lr: 1e-5, batch_size: 8, num_epochs: 2, max_seq_len: 4096 },
    },
  },
  RLHF: {
    method: 'lora',
    methods: {
      lora: { lr: 1e-5, batch_size: 4, num_epochs: 1, max_seq_len: 2048 },
      qlora: { lr: 1e-5, batch_size: 2, num_epochs: 1, max_seq_len: 2048 },
      full: { lr: 1e-6, batch_size: 4, num_epochs: 1, max_seq_len: 2048 },
    },
  },
  EMBEDDING: {
    method: 'lora',
    methods: {
      lora: { lr: 1e-4, batch_size: 32, num_epochs: 3, max_seq_len: 512 },
      qlora: { lr: 1e-4, batch_size: 16, num_epochs: 3, max_seq_len: 512 },
      full: { lr: 2e-5, batch_size: 32, num_epochs: 3, max_seq_len: 512 },
    },
  },
};

/** The form fields the table gives defaults for. */
export const TRAIN_DEFAULT_FIELDS = [
  'method',
  'lr',
  'batch_size',
  'num_epochs',
  'max_seq_len',
] as const;

type Values = Record<string, unknown>;
type Defaults = Partial<HyperparamDefaults & { method: TrainMethod }>;

/**
 * The defaults for the form's job type and method (the job type's default
 * method while none is chosen): the method and the hyperparameters. Empty
 * for an unknown job type; only the method for a method the job type does
 * not allow (the validation reports it).
 */
export function trainDefaultsFor(values: Values): Defaults {
  const row = TRAIN_DEFAULTS[values.job_type as JobType];
  if (!row) return {};
  const method =
    typeof values.method === 'string' && values.method
      ? (values.method as TrainMethod)
      : row.method;
  return { method: row.method, ...row.methods[method] };
}

/**
 * Fills the fields of a form step (`fields`) that have no value with the
 * defaults of the job type and method.
 */
export function fillTrainDefaults(
  values: Values,
  fields: readonly string[],
): Values {
  const defaults: Values = trainDefaultsFor(values);
  const filled = { ...values };
  for (const key of TRAIN_DEFAULT_FIELDS) {
    if (
      fields.includes(key) &&
      (filled[key] === undefined || filled[key] === '') &&
      defaults[key] !== undefined
    ) {
      filled[key] = defaults[key];
    }
  }
  return filled;
}

/**
 * The form values after a change (`next`, from `previous`): when the job
 * type or the method changes, each defaulted field that still holds the
 * default of the previous job type and method (whichever step it is on)
 * takes the default of the new ones; a value the user typed stays. Then the
 * step's empty fields are filled.
 */
export function followTrainDefaults(
  previous: Values,
  next: Values,
  fields: readonly string[],
): Values {
  const result = { ...next };
  if (previous.job_type !== next.job_type || previous.method !== next.method) {
    const before: Values = trainDefaultsFor(previous);
    // The method first, if it is the previous job type's default: it picks
    // the hyperparameters' row.
    if (
      previous.job_type !== next.job_type &&
      result.method !== undefined &&
      result.method === before.method
    ) {
      result.method = trainDefaultsFor({ job_type: next.job_type }).method;
    }
    const after: Values = trainDefaultsFor(result);
    for (const key of TRAIN_DEFAULT_FIELDS) {
      if (key === 'method') continue;
      if (
        result[key] !== undefined &&
        result[key] === before[key] &&
        after[key] !== undefined
      ) {
        result[key] = after[key];
      }
    }
  }
  return fillTrainDefaults(result, fields);
}

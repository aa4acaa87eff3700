/**
 * The kinds of training job.
 *
 * @public
 */
export const JOB_TYPES = [
  'PRETRAIN',
  'SFT',
  'RAG_TUNING',
  'RLHF',
  'EMBEDDING',
] as const;

/** A kind of training job. @public */
export type JobType = (typeof JOB_TYPES)[number];

/**
 * What a deployment serves.
 *
 * @public
 */
export const SERVE_TARGETS = ['GENERATION', 'RAG'] as const;

/** What a deployment serves. @public */
export type ServeTarget = (typeof SERVE_TARGETS)[number];

/**
 * The environments that image overrides can target.
 *
 * @public
 */
export const SPEC_ENVIRONMENTS = ['dev', 'stg', 'prod'] as const;

/**
 * An environment that image overrides can target.
 *
 * @public
 */
export type SpecEnvironment = (typeof SPEC_ENVIRONMENTS)[number];

/**
 * The default model family whitelist, configurable as
 * `llmOps.modelFamilies`.
 *
 * @public
 */
export const DEFAULT_MODEL_FAMILIES: readonly string[] = [
  'llama',
  'mistral',
  'mixtral',
  'gemma',
  'qwen',
  'phi',
  'falcon',
  'bert',
  'roberta',
];

export const TRAIN_METHODS = ['full', 'lora', 'qlora'] as const;
export const PRECISIONS = ['fp16', 'bf16'] as const;
export const SAVE_FORMATS = ['hf', 'safetensors'] as const;
export const ROLLOUT_STRATEGIES = [
  'blue-green',
  'canary',
  'rolling',
  'recreate',
] as const;

/** The one dataset type that fits each job type. @public */
export const DATASET_TYPE_FOR_JOB = {
  PRETRAIN: 'pretrain_corpus',
  SFT: 'sft_pair',
  RAG_TUNING: 'rag_qa',
  RLHF: 'rlhf_pair',
  EMBEDDING: 'embedding_pair',
} as const;

import type { DatasetType } from '../kinds/DatasetEntity';
import type { JobType, ServeTarget } from './constants';
import type { SpecRule } from './specRules';
import type { GpuTypeTable } from './gpuTypes';
import type { KServeDeploymentMode } from './platformSettings';
import type { SpecLimits } from './specLimits';

/**
 * A training job, `kind: TrainJobSpec`. Field names are snake_case, as
 * users write them.
 *
 * @public
 */
export interface TrainJobSpec {
  kind: 'TrainJobSpec';
  job_type: JobType;
  model_family: string;
  /** A Model entity reference; required except for PRETRAIN, which forbids it. `null` means absent. */
  base_model_ref?: string | null;
  dataset_ref: {
    name: string;
    version: string;
    type: DatasetType;
    storage_uri: string;
  };
  hyperparams: {
    lr: number;
    batch_size: number;
    num_epochs: number;
    max_seq_len: number;
    precision: 'fp16' | 'bf16';
  };
  /** Defaults to `full` for PRETRAIN; required for the other job types. */
  method?: 'full' | 'lora' | 'qlora';
  resources: {
    /** GPUs per node. */
    gpus: number;
    /**
     * Required when `gpus` is above 0: a GPU type of `KNOWN_GPU_TYPES` or
     * `llmOps.gpuTypes`, which becomes a node affinity on GFD's
     * `nvidia.com/gpu.product`.
     */
    gpu_type?: string;
    nodes: number;
    /** CPU cores per node; defaults to the per-GPU share of the config. */
    cpus?: number;
    /** Memory per node in GiB; defaults to the per-GPU share of the config. */
    memory_gb?: number;
  };
  output: {
    artifact_name: string;
    save_format: 'hf' | 'safetensors';
  };
  /** Defaults to true; false selects the cpu image. */
  use_gpu?: boolean;
  /** How long the job may run; defaults to `llmOps.training.activeDeadlineSeconds`. */
  max_runtime_hours?: number;
}

/**
 * A model deployment, `kind: DeploymentSpec`. The serve image is never part
 * of it: it is selected from `serve_target`.
 *
 * @public
 */
export interface DeploymentSpec {
  kind: 'DeploymentSpec';
  model_ref: string;
  model_family: string;
  job_type: JobType;
  /** Derived from `job_type` when absent, see `deriveServeTarget`. */
  serve_target?: ServeTarget;
  /**
   * The version of the Model's MLflow registered model to serve: a version
   * number such as `3`, or an alias such as `@champion`. The portal checks it
   * against the registry and pins an alias to the version it points at when
   * the deployment is created. Absent, the Model's `source` is served.
   */
  model_version?: string;
  resources: {
    /** GPUs per replica. */
    gpus: number;
    /** Memory of each GPU, in GB. */
    gpu_memory_gb: number;
    /** CPU cores per replica; defaults to the per-GPU share of the config. */
    cpus?: number;
    /** Memory per replica in GiB; defaults to the per-GPU share of the config. */
    memory_gb?: number;
  };
  runtime: {
    max_concurrent_requests: number;
    max_input_tokens: number;
    max_output_tokens: number;
  };
  rollout: {
    /**
     * `canary` and `blue-green` split traffic between two revisions, which
     * only KServe's Serverless mode enforces; `rolling` and `recreate`
     * replace the deployment as a whole (traffic_split old 0 / new 100).
     */
    strategy: 'blue-green' | 'canary' | 'rolling' | 'recreate';
    traffic_split: { old: number; new: number };
  };
  /** Defaults to true; false selects the cpu image. */
  use_gpu?: boolean;
}

/**
 * One validation failure. `rule` is a code from `SPEC_RULES`;
 * `path` is the dotted field path, with array indices as `a.0.b`.
 *
 * @public
 */
export interface SpecValidationError {
  path: string;
  rule: SpecRule;
  message: string;
}

/**
 * The outcome of a validation: every error, not just the first.
 *
 * @public
 */
export type SpecValidationResult<T> =
  | { valid: true; spec: T; errors: [] }
  | { valid: false; errors: SpecValidationError[] };

/**
 * A model as the validators and converters see it.
 *
 * @public
 */
export interface ResolvedModel {
  /** The normalised reference, such as `model:default/llama-3-8b`. */
  ref: string;
  type: 'base' | 'fine-tuned';
  family: string;
  maxPositionEmbeddings: number;
  /** Set on fine-tuned models. */
  jobType?: JobType;
  baseModel?: string;
  serving?: { minGpus?: number; minGpuMemoryGb?: number };
  /** Where the weights live: `hf://…`, `mlflow://models/<name>/<version>`, `s3://…`. */
  source: string;
  /** The MLflow registered model it is, from `llmops.dev/mlflow-model` or an `mlflow://` source. */
  registeredModel?: string;
}

/**
 * Looks models up by reference. Implementations return `undefined` for a
 * reference that names no known model.
 *
 * @public
 */
export interface ModelResolver {
  resolve(ref: string): Promise<ResolvedModel | undefined>;
}

/**
 * Options of the spec validators.
 *
 * @public
 */
export interface SpecValidationOptions {
  /** Where references are looked up. */
  resolver: ModelResolver;
  /** The model family whitelist; `DEFAULT_MODEL_FAMILIES` when absent. */
  modelFamilies?: readonly string[];
  /** `llmOps.gpuTypes`, GPU types beside the built-in ones. */
  gpuTypes?: GpuTypeTable;
  /** `llmOps.specLimits`; each one absent is `DEFAULT_SPEC_LIMITS`'. */
  limits?: Partial<SpecLimits>;
  /**
   * Where a DeploymentSpec will run: its rollout is checked against what
   * that serving backend enforces. Absent, the rollout is not checked
   * against a backend.
   */
  servingTarget?: ServingTarget;
}

/**
 * A serving backend and the mode it runs in, which decides the rollouts
 * it can enforce; `servingTargetOf` gives it from the platform settings.
 *
 * @public
 */
export type ServingTarget = (
  | { tool: 'kserve'; deploymentMode: KServeDeploymentMode }
  | { tool: 'rayserve'; incrementalUpgrade: boolean }
) & {
  /**
   * Why nothing can be deployed there: this portal has no such serving
   * tool configured. A spec for it fails `serving.not_configured`, so a
   * form says so on its first step, not at Apply.
   */
  notConfigured?: string;
};

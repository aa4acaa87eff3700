/**
 * The MLflow tags of the portal's tag contract: a run started by the portal
 * carries the job's fields (see `trainJobToMlflow`), and a registered model
 * version tagged like this is read into the catalog (the MLflow entity
 * provider) and tied to the job that trained it (`jobId`).
 *
 * @public
 */
export const MLFLOW_TAGS = {
  /** The portal's training job; a run's or a model version's. */
  jobId: 'llmops.job_id',
  jobType: 'llmops.job_type',
  modelFamily: 'llmops.model_family',
  baseModelRef: 'llmops.base_model_ref',
  datasetRef: 'llmops.dataset_ref',
  datasetVersion: 'llmops.dataset_version',
  datasetType: 'llmops.dataset_type',
  datasetUri: 'llmops.dataset_uri',
  /** The registered model the run trains. */
  artifactName: 'llmops.artifact_name',
  saveFormat: 'llmops.save_format',
  gpus: 'llmops.gpus',
  gpuType: 'llmops.gpu_type',
  nodes: 'llmops.nodes',
  cpus: 'llmops.cpus',
  memoryGb: 'llmops.memory_gb',
  maxRuntimeHours: 'llmops.max_runtime_hours',
  useGpu: 'llmops.use_gpu',
  image: 'llmops.image',
  defaulted: 'llmops.defaulted_fields',
  /** A model's: `base` or `fine-tuned` (the default). */
  modelType: 'llmops.model_type',
  maxPositionEmbeddings: 'llmops.max_position_embeddings',
  owner: 'llmops.owner',
  lifecycle: 'llmops.lifecycle',
  parameterCount: 'llmops.parameter_count',
  minGpus: 'llmops.min_gpus',
  minGpuMemoryGb: 'llmops.min_gpu_memory_gb',
} as const;

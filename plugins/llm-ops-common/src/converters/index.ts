export { ConversionError } from './ConversionError';
export { manifestToYaml } from './manifestToYaml';
export { trainJobToMlflow, mlflowToTrainJob } from './trainJobToMlflow';
export {
  trainJobToArgoWorkflow,
  argoWorkflowToTrainJob,
  TRAIN_NODE_TEMPLATE,
} from './trainJobToArgoWorkflow';
export {
  deploymentToInferenceService,
  inferenceServiceToDeployment,
} from './deploymentToInferenceService';
export {
  deploymentToRayService,
  rayServiceToDeployment,
} from './deploymentToRayService';
export { trainJobWorkflowName } from './workflowName';
export {
  GPU_MEMORY_TOLERANCE_PERCENT,
  minimumGpuMemoryMiB,
} from './manifestHelpers';
export type {
  ConversionOptions,
  TrainConversionOptions,
  ManifestEnvVar,
  ManifestVolume,
  DeploymentConversionOptions,
  ManifestMetadata,
  ManifestContainer,
  ManifestScheduling,
  MlflowRun,
  ArgoWorkflow,
  InferenceService,
  RayService,
} from './types';

export { ConversionError } from './ConversionError';
export { manifestToYaml } from './manifestToYaml';
export { trainJobToMlflow, mlflowToTrainJob } from './trainJobToMlflow';
export {
  trainJobToArgoWorkflow,
  argoWorkflowToTrainJob,
} from './trainJobToArgoWorkflow';
export {
  deploymentToInferenceService,
  inferenceServiceToDeployment,
} from './deploymentToInferenceService';
export {
  deploymentToRayService,
  rayServiceToDeployment,
} from './deploymentToRayService';
export type {
  ConversionOptions,
  DeploymentConversionOptions,
  ManifestMetadata,
  ManifestContainer,
  ManifestScheduling,
  MlflowRun,
  ArgoWorkflow,
  InferenceService,
  RayService,
} from './types';

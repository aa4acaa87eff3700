export type {
  ProviderHealth,
  ProviderPartition,
  ProviderRunResult,
} from './types';
export { LlmOpsEntityProvider } from './LlmOpsEntityProvider';
export type { LlmOpsEntityProviderOptions } from './LlmOpsEntityProvider';
export { MlflowModelEntityProvider } from './MlflowModelEntityProvider';
export type { MlflowModelEntityProviderOptions } from './MlflowModelEntityProvider';
export {
  HF_MODEL_TYPE_FAMILIES,
  HuggingFaceModelEntityProvider,
} from './HuggingFaceModelEntityProvider';
export type {
  HuggingFaceModelEntityProviderOptions,
  HuggingFaceModelSource,
  HuggingFaceRepoConfig,
} from './HuggingFaceModelEntityProvider';
export { DvcDatasetEntityProvider } from './DvcDatasetEntityProvider';
export type {
  DvcDatasetEntityProviderOptions,
  DvcDatasetRule,
} from './DvcDatasetEntityProvider';
export {
  SERVING_METADATA,
  ServingDeploymentEntityProvider,
} from './ServingDeploymentEntityProvider';
export type { ServingDeploymentEntityProviderOptions } from './ServingDeploymentEntityProvider';
export {
  KubernetesServingLister,
  SERVING_RESOURCES,
} from './KubernetesServingLister';
export type {
  ServingBackendId,
  ServingResourceLister,
} from './KubernetesServingLister';
export { TrainingJobEntityProvider } from './TrainingJobEntityProvider';
export type {
  TrainingJobEntityProviderOptions,
  TrainingJobLister,
} from './TrainingJobEntityProvider';

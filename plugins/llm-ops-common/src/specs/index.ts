export {
  JOB_TYPES,
  SERVE_TARGETS,
  SPEC_ENVIRONMENTS,
  DEFAULT_MODEL_FAMILIES,
  DATASET_TYPE_FOR_JOB,
} from './constants';
export type { JobType, ServeTarget, SpecEnvironment } from './constants';
export { REGISTRY_RULES, SPEC_RULES } from './specRules';
export type { SpecRule } from './specRules';
export { DEFAULT_SPEC_LIMITS } from './specLimits';
export type { SpecLimits } from './specLimits';
export type {
  TrainJobSpec,
  DeploymentSpec,
  SpecValidationError,
  SpecValidationResult,
  SpecValidationOptions,
  ResolvedModel,
  ModelResolver,
  ServingTarget,
} from './types';
export { KNOWN_GPU_TYPES, gfdProductLabel, gpuTypeTable } from './gpuTypes';
export type { GpuTypeTable, KnownGpuType } from './gpuTypes';
export {
  KSERVE_DEPLOYMENT_MODES,
  PLATFORM_DEFAULTS,
  settingsForEnvironment,
} from './platformSettings';
export type {
  EnvironmentSettings,
  EnvironmentsSettings,
  KServeDeploymentMode,
  PlatformSettings,
  ResourceShare,
  SecretKeyReference,
  ServingSettings,
  TrainingSettings,
} from './platformSettings';
export { checkServingTarget, servingTargetOf } from './checkServingTarget';
export { trainJobSpecSchema } from './trainJobSpecSchema';
export { deploymentSpecSchema } from './deploymentSpecSchema';
export { validateTrainJobSpec } from './validateTrainJobSpec';
export { validateDeploymentSpec } from './validateDeploymentSpec';
export { validateSpec } from './validateSpec';
export { InMemoryModelResolver } from './InMemoryModelResolver';
export { deriveServeTarget } from './deriveServeTarget';
export {
  DEFAULT_IMAGES,
  selectTrainImage,
  selectServeImage,
} from './selectImage';
export type {
  ImageVariants,
  ImageOverrides,
  ImageSelectionOptions,
  SelectedImage,
} from './selectImage';
export { readSpecsConfig } from './readSpecsConfig';
export type { SpecsConfig, SpecsConfigReader } from './readSpecsConfig';

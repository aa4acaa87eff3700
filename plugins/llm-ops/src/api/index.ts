export { llmOpsApiRef } from './LlmOpsApi';
export type {
  LlmOpsApi,
  TrainingJobFilter,
  DeploymentFilter,
  DeploymentTarget,
  ModelRunsQuery,
} from './LlmOpsApi';
export { LlmOpsApiClient } from './LlmOpsApiClient';

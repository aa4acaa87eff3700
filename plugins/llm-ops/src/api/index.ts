export { llmOpsApiRef } from './LlmOpsApi';
export type {
  LlmOpsApi,
  TrainingJobFilter,
  DeploymentFilter,
  ModelRunsQuery,
} from './LlmOpsApi';
export { LlmOpsApiClient } from './LlmOpsApiClient';

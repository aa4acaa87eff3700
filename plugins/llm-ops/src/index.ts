/**
 * The LLM Ops frontend plugin: entity pages and LLM Ops views.
 *
 * @packageDocumentation
 */

export {
  llmOpsPlugin,
  LlmOpsTrainingJobsPage,
  LlmOpsDeploymentsPage,
  LlmOpsIntegrationsPage,
  EntityModelOverviewCard,
  EntityModelRegistryCard,
  EntityModelDeploymentsCard,
  EntityModelRunsContent,
  EntityMlflowModelContent,
  EntityRayDashboardContent,
  EntityDatasetVersionsCard,
  EntityDatasetModelsCard,
  EntityDeploymentRolloutCard,
  EntityDeploymentRuntimeCard,
  EntityDeploymentConditionsCard,
  LlmOpsSpecFieldExtension,
} from './plugin';
export { ToolUiFrame } from './components/common/ToolUiFrame';
export type { ToolUiFrameProps } from './components/common/ToolUiFrame';
export { StaleBanner } from './components/common/StaleBanner';
export { llmOpsApiRef, LlmOpsClient, LlmOpsApiError } from './api/LlmOpsApi';
export type {
  LlmOpsApi,
  TrainingJobFilter,
  DeploymentFilter,
} from './api/LlmOpsApi';
export * from './scaffolder';

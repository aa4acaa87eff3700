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
  LlmOpsEntityFieldExtension,
  LlmOpsTrainDefaultsFieldExtension,
} from './plugin';
export { ToolUiFrame } from './components/common/ToolUiFrame';
export type { ToolUiFrameProps } from './components/common/ToolUiFrame';
export { StaleBanner } from './components/common/StaleBanner';
export { llmOpsKindIcons } from './kindIcons';
export * from './api';
export * from './scaffolder';

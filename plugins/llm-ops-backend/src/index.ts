/**
 * The LLM Ops backend plugin.
 *
 * @packageDocumentation
 */

export { llmOpsPlugin as default } from './plugin';
export {
  deploymentConditions,
  createDeploymentConditionalDecision,
} from './service/deploymentPermissions';
export type { DeploymentResource } from './service/deploymentPermissions';
export {
  toolUiConditions,
  createToolUiConditionalDecision,
} from './service/toolUiPermissions';
export type { ToolUiResource } from './service/toolUiPermissions';
export {
  trainingJobConditions,
  createTrainingJobConditionalDecision,
} from './service/trainingJobPermissions';
export type { TrainingJobResource } from './service/trainingJobPermissions';
export {
  modelAliasConditions,
  createModelAliasConditionalDecision,
} from './service/modelAliasPermissions';
export type { ModelAliasResource } from './service/modelAliasPermissions';

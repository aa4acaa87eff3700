export { createTrainJobValidateAction } from './trainJobValidate';
export { createTrainJobSubmitAction } from './trainJobSubmit';
export { createDeploymentValidateAction } from './deploymentValidate';
export { createDeploymentApplyAction } from './deploymentApply';
export { createDeploymentPromoteAction } from './deploymentPromote';
export { createDeploymentRollbackAction } from './deploymentRollback';
export type { LlmOpsActionDeps } from './LlmOpsApiClient';

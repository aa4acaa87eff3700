import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of deployment permissions. Conditions on it can test the
 * target environment, so that `prod` can be restricted.
 *
 * @public
 */
export const LLM_OPS_DEPLOYMENT_RESOURCE_TYPE = 'llm-ops-deployment';

/**
 * The resource type of the tool UI proxy's permissions: the resource is a
 * tool (`tool:<id>`, such as `tool:mlflow`), so a policy can allow one
 * tool's UI and not another's.
 *
 * @public
 */
export const LLM_OPS_TOOL_UI_RESOURCE_TYPE = 'llm-ops-tool-ui';

/**
 * Use a tool's own UI through the portal's proxy, read-only: GET and HEAD,
 * and the read-style POSTs of the tool's UI (such as MLflow's runs search).
 *
 * @public
 */
export const toolUiUsePermission = createPermission({
  name: 'llmops.toolUi.use',
  attributes: { action: 'read' },
  resourceType: LLM_OPS_TOOL_UI_RESOURCE_TYPE,
});

/**
 * Change data through a tool's UI in the proxy, with the portal's tool
 * credentials. Only asked for tools whose `llmOps.ui.<tool>.allowWrites`
 * is true (false by default).
 *
 * @public
 */
export const toolUiWritePermission = createPermission({
  name: 'llmops.toolUi.write',
  attributes: { action: 'update' },
  resourceType: LLM_OPS_TOOL_UI_RESOURCE_TYPE,
});

/** Submit a training job. @public */
export const trainingJobCreatePermission = createPermission({
  name: 'llmops.trainingJob.create',
  attributes: { action: 'create' },
});

/** Cancel a training job. @public */
export const trainingJobCancelPermission = createPermission({
  name: 'llmops.trainingJob.cancel',
  attributes: { action: 'update' },
});

/** Create or change a deployment. @public */
export const deploymentCreatePermission = createPermission({
  name: 'llmops.deployment.create',
  attributes: { action: 'create' },
  resourceType: LLM_OPS_DEPLOYMENT_RESOURCE_TYPE,
});

/** Move a deployment's rollout forward. @public */
export const deploymentPromotePermission = createPermission({
  name: 'llmops.deployment.promote',
  attributes: { action: 'update' },
  resourceType: LLM_OPS_DEPLOYMENT_RESOURCE_TYPE,
});

/** Move a deployment's rollout back. @public */
export const deploymentRollbackPermission = createPermission({
  name: 'llmops.deployment.rollback',
  attributes: { action: 'update' },
  resourceType: LLM_OPS_DEPLOYMENT_RESOURCE_TYPE,
});

/** Point a registered model's alias (such as `champion`) at a version. @public */
export const modelAliasUpdatePermission = createPermission({
  name: 'llmops.model.alias.update',
  attributes: { action: 'update' },
});

/** Every LLM Ops permission. @public */
export const llmOpsPermissions = [
  toolUiUsePermission,
  toolUiWritePermission,
  trainingJobCreatePermission,
  trainingJobCancelPermission,
  deploymentCreatePermission,
  deploymentPromotePermission,
  deploymentRollbackPermission,
  modelAliasUpdatePermission,
];

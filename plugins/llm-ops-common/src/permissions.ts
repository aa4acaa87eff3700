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

/**
 * The resource type of training job permissions: conditions on it can test
 * the job's owner (`IS_OWNER`), so that only owners cancel their jobs.
 *
 * @public
 */
export const LLM_OPS_TRAINING_JOB_RESOURCE_TYPE = 'llm-ops-training-job';

/** Submit a training job. @public */
export const trainingJobCreatePermission = createPermission({
  name: 'llmops.trainingJob.create',
  attributes: { action: 'create' },
});

/** Cancel a training job. @public */
export const trainingJobCancelPermission = createPermission({
  name: 'llmops.trainingJob.cancel',
  attributes: { action: 'update' },
  resourceType: LLM_OPS_TRAINING_JOB_RESOURCE_TYPE,
});

/** Retry a training job's failed deliveries. @public */
export const trainingJobRetryPermission = createPermission({
  name: 'llmops.trainingJob.retry',
  attributes: { action: 'update' },
  resourceType: LLM_OPS_TRAINING_JOB_RESOURCE_TYPE,
});

/** Create a deployment in an environment. @public */
export const deploymentCreatePermission = createPermission({
  name: 'llmops.deployment.create',
  attributes: { action: 'create' },
  resourceType: LLM_OPS_DEPLOYMENT_RESOURCE_TYPE,
});

/** Change a deployment's spec (`PUT /deployments/{id}`): a new revision. @public */
export const deploymentUpdatePermission = createPermission({
  name: 'llmops.deployment.update',
  attributes: { action: 'update' },
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

/** Deliver again a deployment whose delivery failed (`POST /deployments/{id}/retry`). @public */
export const deploymentRetryPermission = createPermission({
  name: 'llmops.deployment.retry',
  attributes: { action: 'update' },
  resourceType: LLM_OPS_DEPLOYMENT_RESOURCE_TYPE,
});

/**
 * The resource type of model alias permissions: conditions on it can test
 * the alias (`IS_ALIAS`) and the owner of the model's catalog entity
 * (`IS_OWNER`), so that only release managers move `champion`.
 *
 * @public
 */
export const LLM_OPS_MODEL_ALIAS_RESOURCE_TYPE = 'llm-ops-model-alias';

/**
 * The resource reference of one alias of a registered model:
 * `model-alias:<model>/<alias>`, each part URI-encoded (a model name may
 * hold a slash).
 *
 * @public
 */
export function modelAliasResourceRefOf(model: string, alias: string): string {
  return `model-alias:${encodeURIComponent(model)}/${encodeURIComponent(
    alias,
  )}`;
}

/** Point a registered model's alias (such as `champion`) at a version. @public */
export const modelAliasUpdatePermission = createPermission({
  name: 'llmops.model.alias.update',
  attributes: { action: 'update' },
  resourceType: LLM_OPS_MODEL_ALIAS_RESOURCE_TYPE,
});

/** Re-check every stored job and deployment now (`POST /revalidate`). @public */
export const revalidatePermission = createPermission({
  name: 'llmops.revalidate',
  attributes: { action: 'update' },
});

/** Every LLM Ops permission. @public */
export const llmOpsPermissions = [
  toolUiUsePermission,
  toolUiWritePermission,
  trainingJobCreatePermission,
  trainingJobCancelPermission,
  trainingJobRetryPermission,
  deploymentCreatePermission,
  deploymentUpdatePermission,
  deploymentPromotePermission,
  deploymentRollbackPermission,
  deploymentRetryPermission,
  modelAliasUpdatePermission,
  revalidatePermission,
];

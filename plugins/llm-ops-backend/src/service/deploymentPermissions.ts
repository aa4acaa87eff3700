import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { LLM_OPS_DEPLOYMENT_RESOURCE_TYPE } from '@llmops/plugin-llm-ops-common';
import { authorizeResource, type ApiContext } from './context';
import { ownedByClaims, ownerClaims } from './ownerRule';

/** What deployment permission conditions can test. @public */
export interface DeploymentResource {
  id?: string;
  environment: string;
  owner?: string;
}

export const deploymentResourceRef = createPermissionResourceRef<
  DeploymentResource,
  { environments?: string[]; owners?: string[] }
>().with({
  pluginId: 'llm-ops',
  resourceType: LLM_OPS_DEPLOYMENT_RESOURCE_TYPE,
});

/** `IS_IN_ENVIRONMENT`: the deployment targets one of the given environments. */
export const isInEnvironment = createPermissionRule({
  name: 'IS_IN_ENVIRONMENT',
  description: 'Allow deployments that target one of the given environments',
  resourceRef: deploymentResourceRef,
  paramsSchema: z.object({
    environments: z
      .array(z.string())
      .describe('Environments, such as dev or stg'),
  }),
  apply: (resource, { environments }) =>
    environments.includes(resource.environment),
  toQuery: ({ environments }) => ({ environments }),
});

/** `IS_OWNER`: the deployment is owned by one of the claims. */
export const isDeploymentOwner = createPermissionRule({
  name: 'IS_OWNER',
  description: 'Allow deployments owned by one of the given entity refs',
  resourceRef: deploymentResourceRef,
  paramsSchema: ownerClaims,
  apply: ownedByClaims,
  toQuery: ({ claims }) => ({ owners: claims }),
});

export const deploymentRules = [isInEnvironment, isDeploymentOwner];

const conditionExports = createConditionExports({
  resourceRef: deploymentResourceRef,
  rules: { isInEnvironment, isOwner: isDeploymentOwner },
});

/**
 * Conditions for permission policies, such as
 * `deploymentConditions.isInEnvironment({environments: ['dev', 'stg']})`.
 *
 * @public
 */
export const deploymentConditions = conditionExports.conditions;

/** Makes a conditional decision for a deployment permission. @public */
export const createDeploymentConditionalDecision =
  conditionExports.createConditionalDecision;

/**
 * The resource reference of a deployment: `deployment:<id>` for an existing
 * one, `environment:<env>` for one about to be created there.
 */
export function deploymentResourceRefOf(resource: DeploymentResource): string {
  return resource.id
    ? `deployment:${resource.id}`
    : `environment:${resource.environment}`;
}

/** Loads the resources behind references, for the permission backend. */
export async function loadDeploymentResources(
  ctx: Pick<ApiContext, 'db'>,
  refs: string[],
): Promise<Array<DeploymentResource | undefined>> {
  return Promise.all(
    refs.map(async ref => {
      const [type, value] = ref.split(/:(.*)/s, 2);
      if (type === 'environment' && value) return { environment: value };
      if (type !== 'deployment' || !value) return undefined;
      const record = await ctx.db.deployments.get(value);
      return record
        ? { id: value, environment: record.environment, owner: record.owner }
        : undefined;
    }),
  );
}

/**
 * Throws 403 unless the policy allows `permission` on this deployment. The
 * permission backend evaluates conditions (such as `IS_IN_ENVIRONMENT`)
 * against the resource that `loadDeploymentResources` returns.
 */
export function authorizeDeployment(
  ctx: ApiContext,
  permission: ResourcePermission<typeof LLM_OPS_DEPLOYMENT_RESOURCE_TYPE>,
  credentials: BackstageCredentials,
  resource: DeploymentResource,
) {
  return authorizeResource(
    ctx,
    permission,
    credentials,
    deploymentResourceRefOf(resource),
    `in environment ${resource.environment}`,
  );
}

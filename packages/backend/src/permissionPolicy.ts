/*
 * The portal's permission policy. Everything outside LLM Ops is allowed, as
 * Backstage's allow-all policy does. In LLM Ops, anyone signed in submits
 * jobs, creates deployments and reads the tools' UIs, and:
 *   - only owners cancel or retry their jobs and change or retry their
 *     deployments;
 *   - only release managers move a protected alias (champion), and only
 *     the model's owners move its other aliases;
 *   - only admins re-validate everything and write through a tool's UI.
 * Config: llmOps.policy {admins, releaseManagers, protectedAliases}.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createDeploymentConditionalDecision,
  createModelAliasConditionalDecision,
  createTrainingJobConditionalDecision,
  deploymentConditions,
  modelAliasConditions,
  trainingJobConditions,
} from '@llmops/plugin-llm-ops-backend';
import {
  deploymentPromotePermission,
  deploymentRetryPermission,
  deploymentRollbackPermission,
  deploymentUpdatePermission,
  modelAliasUpdatePermission,
  revalidatePermission,
  toolUiWritePermission,
  trainingJobCancelPermission,
  trainingJobRetryPermission,
} from '@llmops/plugin-llm-ops-common';

export interface LlmOpsPolicyOptions {
  /** Users and groups that may do everything. */
  admins: string[];
  /** Users and groups that may move the protected aliases. */
  releaseManagers: string[];
  protectedAliases: string[];
}

export function readLlmOpsPolicyOptions(config: Config): LlmOpsPolicyOptions {
  const policy = config.getOptionalConfig('llmOps.policy');
  return {
    admins: policy?.getOptionalStringArray('admins') ?? [],
    releaseManagers: policy?.getOptionalStringArray('releaseManagers') ?? [
      'group:default/release-managers',
    ],
    protectedAliases: policy?.getOptionalStringArray('protectedAliases') ?? [
      'champion',
    ],
  };
}

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

export class LlmOpsPermissionPolicy implements PermissionPolicy {
  constructor(private readonly options: LlmOpsPolicyOptions) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const claims = user?.info.ownershipEntityRefs ?? [];
    const isOneOf = (refs: string[]) => claims.some(c => refs.includes(c));
    if (isOneOf(this.options.admins)) return ALLOW;

    if (
      isPermission(permission, trainingJobCancelPermission) ||
      isPermission(permission, trainingJobRetryPermission)
    ) {
      return createTrainingJobConditionalDecision(
        permission,
        trainingJobConditions.isOwner({ claims }),
      );
    }
    if (
      isPermission(permission, deploymentUpdatePermission) ||
      isPermission(permission, deploymentPromotePermission) ||
      isPermission(permission, deploymentRollbackPermission) ||
      isPermission(permission, deploymentRetryPermission)
    ) {
      return createDeploymentConditionalDecision(
        permission,
        deploymentConditions.isOwner({ claims }),
      );
    }
    if (isPermission(permission, modelAliasUpdatePermission)) {
      const owner = modelAliasConditions.isOwner({ claims });
      if (isOneOf(this.options.releaseManagers)) {
        return createModelAliasConditionalDecision(permission, {
          anyOf: [
            modelAliasConditions.isAlias({
              aliases: this.options.protectedAliases,
            }),
            owner,
          ],
        });
      }
      return createModelAliasConditionalDecision(permission, {
        allOf: [
          {
            not: modelAliasConditions.isAlias({
              aliases: this.options.protectedAliases,
            }),
          },
          owner,
        ],
      });
    }
    if (
      isPermission(permission, revalidatePermission) ||
      isPermission(permission, toolUiWritePermission)
    ) {
      return DENY;
    }
    return ALLOW;
  }
}

/** Sets {@link LlmOpsPermissionPolicy} as the permission backend's policy. */
export const permissionModuleLlmOpsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'llm-ops-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new LlmOpsPermissionPolicy(readLlmOpsPolicyOptions(config)),
        );
      },
    });
  },
});

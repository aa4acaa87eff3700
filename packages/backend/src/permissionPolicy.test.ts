import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  deploymentPromotePermission,
  modelAliasUpdatePermission,
  revalidatePermission,
  toolUiUsePermission,
  toolUiWritePermission,
  trainingJobCancelPermission,
  trainingJobCreatePermission,
} from '@llmops/plugin-llm-ops-common';
import {
  LlmOpsPermissionPolicy,
  readLlmOpsPolicyOptions,
} from './permissionPolicy';

const user = (...ownershipEntityRefs: string[]) =>
  ({
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
  } as PolicyQueryUser);

const policy = new LlmOpsPermissionPolicy(
  readLlmOpsPolicyOptions(
    new ConfigReader({
      llmOps: { policy: { admins: ['group:default/ml-platform-admins'] } },
    }),
  ),
);
const ALICE = user('user:default/alice', 'group:default/ml-team');
const RM = user('user:default/rm', 'group:default/release-managers');

describe('LlmOpsPermissionPolicy', () => {
  it('allows what is not LLM Ops, and submitting and reading tool UIs to anyone', async () => {
    const catalogRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    for (const permission of [catalogRead, trainingJobCreatePermission]) {
      expect(await policy.handle({ permission }, ALICE)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
    expect(
      await policy.handle({ permission: toolUiUsePermission }, ALICE),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it("lets a job or deployment change only for its owner's claims", async () => {
    expect(
      await policy.handle({ permission: trainingJobCancelPermission }, ALICE),
    ).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'llm-ops',
      resourceType: 'llm-ops-training-job',
      conditions: {
        rule: 'IS_OWNER',
        params: { claims: ['user:default/alice', 'group:default/ml-team'] },
      },
    });
    expect(
      await policy.handle({ permission: deploymentPromotePermission }, ALICE),
    ).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      resourceType: 'llm-ops-deployment',
      conditions: { rule: 'IS_OWNER' },
    });
  });

  it('keeps champion for release managers, and other aliases for the owners', async () => {
    expect(
      await policy.handle({ permission: modelAliasUpdatePermission }, ALICE),
    ).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      resourceType: 'llm-ops-model-alias',
      conditions: {
        allOf: [
          { not: { rule: 'IS_ALIAS', params: { aliases: ['champion'] } } },
          { rule: 'IS_OWNER' },
        ],
      },
    });
    expect(
      await policy.handle({ permission: modelAliasUpdatePermission }, RM),
    ).toMatchObject({
      conditions: {
        anyOf: [
          { rule: 'IS_ALIAS', params: { aliases: ['champion'] } },
          { rule: 'IS_OWNER' },
        ],
      },
    });
  });

  it('keeps re-validation and tool UI writes for admins', async () => {
    for (const permission of [revalidatePermission, toolUiWritePermission]) {
      expect(await policy.handle({ permission }, ALICE)).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(
        await policy.handle(
          { permission },
          user('user:default/carol', 'group:default/ml-platform-admins'),
        ),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
    expect(await policy.handle({ permission: revalidatePermission })).toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});

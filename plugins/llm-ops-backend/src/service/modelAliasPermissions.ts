import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import {
  ANNOTATION_MLFLOW_MODEL,
  LLM_OPS_MODEL_ALIAS_RESOURCE_TYPE,
  modelAliasResourceRefOf,
  modelAliasUpdatePermission,
} from '@llmops/plugin-llm-ops-common';
import { authorizeResource, type ApiContext } from './context';
import { ownedByClaims, ownerClaims } from './ownerRule';

/** What model alias permission conditions can test. @public */
export interface ModelAliasResource {
  /** The registered model's name in the tracker. */
  model: string;
  alias: string;
  /** The owner of the catalog Model entity of this registered model. */
  owner?: string;
}

export const modelAliasResourceRef = createPermissionResourceRef<
  ModelAliasResource,
  { aliases?: string[]; owners?: string[] }
>().with({
  pluginId: 'llm-ops',
  resourceType: LLM_OPS_MODEL_ALIAS_RESOURCE_TYPE,
});

/** `IS_ALIAS`: the change moves one of the given aliases. */
export const isAlias = createPermissionRule({
  name: 'IS_ALIAS',
  description: 'Allow changes to one of the given aliases, such as champion',
  resourceRef: modelAliasResourceRef,
  paramsSchema: z.object({
    aliases: z.array(z.string()).describe('Aliases, such as champion'),
  }),
  apply: (resource, { aliases }) => aliases.includes(resource.alias),
  toQuery: ({ aliases }) => ({ aliases }),
});

/** `IS_OWNER`: the model's catalog entity is owned by one of the claims. */
export const isModelOwner = createPermissionRule({
  name: 'IS_OWNER',
  description:
    'Allow aliases of models whose catalog entity is owned by one of the given entity refs',
  resourceRef: modelAliasResourceRef,
  paramsSchema: ownerClaims,
  apply: ownedByClaims,
  toQuery: ({ claims }) => ({ owners: claims }),
});

export const modelAliasRules = [isAlias, isModelOwner];

const conditionExports = createConditionExports({
  resourceRef: modelAliasResourceRef,
  rules: { isAlias, isOwner: isModelOwner },
});

/**
 * Conditions for permission policies, such as
 * `{not: modelAliasConditions.isAlias({aliases: ['champion']})}` for everyone
 * but release managers.
 *
 * @public
 */
export const modelAliasConditions = conditionExports.conditions;

/** Makes a conditional decision for a model alias permission. @public */
export const createModelAliasConditionalDecision =
  conditionExports.createConditionalDecision;

/** Parses `model-alias:<model>/<alias>`; undefined for anything else. */
export function parseModelAliasRef(
  ref: string,
): { model: string; alias: string } | undefined {
  const match = /^model-alias:([^/]+)\/([^/]+)$/.exec(ref);
  if (!match) return undefined;
  try {
    return {
      model: decodeURIComponent(match[1]),
      alias: decodeURIComponent(match[2]),
    };
  } catch {
    return undefined;
  }
}

/**
 * Loads the aliases behind references, for the permission backend: the
 * owner is that of the catalog Model entity annotated with the registered
 * model's name, read with the plugin's own credentials.
 */
export async function loadModelAliasResources(
  deps: { catalog: CatalogService; auth: AuthService },
  refs: string[],
): Promise<Array<ModelAliasResource | undefined>> {
  const credentials = await deps.auth.getOwnServiceCredentials();
  return Promise.all(
    refs.map(async ref => {
      const parsed = parseModelAliasRef(ref);
      if (!parsed) return undefined;
      const { items } = await deps.catalog.queryEntities(
        {
          filter: {
            kind: 'Model',
            [`metadata.annotations.${ANNOTATION_MLFLOW_MODEL}`]: parsed.model,
          },
          fields: ['spec.owner'],
          limit: 2,
        },
        { credentials },
      );
      // Two entities claiming one registered model name no owner.
      const owner =
        items.length === 1
          ? (items[0].spec?.owner as string | undefined)
          : undefined;
      return { ...parsed, owner };
    }),
  );
}

/** Throws 403 unless the caller may change state and the policy allows moving this alias. */
export function authorizeModelAlias(
  ctx: ApiContext,
  credentials: BackstageCredentials,
  change: { name: string; alias: string },
) {
  return authorizeResource(
    ctx,
    modelAliasUpdatePermission,
    credentials,
    modelAliasResourceRefOf(change.name, change.alias),
    `on alias ${change.alias} of ${change.name}`,
  );
}

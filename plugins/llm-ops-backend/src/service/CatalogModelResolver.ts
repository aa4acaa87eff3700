import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_MLFLOW_MODEL,
  isModelEntity,
  ModelEntity,
  ModelResolver,
  parseMlflowModelSource,
  ResolvedModel,
} from '@llmops/plugin-llm-ops-common';

/** What the validators read of a catalog Model entity. */
export function toResolvedModel(entity: ModelEntity): ResolvedModel {
  const { spec } = entity;
  return {
    ref: stringifyEntityRef(entity),
    type: spec.type,
    family: spec.family,
    maxPositionEmbeddings: spec.maxPositionEmbeddings,
    jobType: spec.jobType as ResolvedModel['jobType'],
    baseModel: spec.baseModel,
    serving: spec.serving,
    source: spec.source,
    registeredModel:
      entity.metadata.annotations?.[ANNOTATION_MLFLOW_MODEL] ??
      parseMlflowModelSource(spec.source)?.name,
  };
}

/**
 * Resolves model references against the catalog, with the caller's
 * credentials, so a user sees only the models they may read. Lookups are
 * memoised for the life of the resolver (one request).
 */
export class CatalogModelResolver implements ModelResolver {
  readonly #cache = new Map<string, Promise<ResolvedModel | undefined>>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly credentials: BackstageCredentials,
  ) {}

  resolve(ref: string): Promise<ResolvedModel | undefined> {
    let compound;
    try {
      compound = parseEntityRef(ref, {
        defaultKind: 'model',
        defaultNamespace: 'default',
      });
    } catch {
      return Promise.resolve(undefined);
    }
    if (compound.kind.toLocaleLowerCase('en-US') !== 'model') {
      return Promise.resolve(undefined);
    }
    const key = stringifyEntityRef(compound);
    let pending = this.#cache.get(key);
    if (!pending) {
      pending = this.catalog
        .getEntityByRef(key, { credentials: this.credentials })
        .then(entity =>
          entity && isModelEntity(entity) ? toResolvedModel(entity) : undefined,
        );
      this.#cache.set(key, pending);
    }
    return pending;
  }
}

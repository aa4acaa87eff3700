import type { Entity } from '@backstage/catalog-model';
import type { CatalogSyncStatus } from '@llmops/plugin-llm-ops-node';

/**
 * What one part of an upstream tool gave in a run: the entities, or the
 * error that kept it from answering. A part (one repository, one cluster's
 * InferenceServices, the whole MLflow registry) fails as a whole; the
 * entities it gave last time are kept until it answers again.
 *
 * @public
 */
export type ProviderPartition =
  | { partition: string; entities: Entity[] }
  | { partition: string; error: Error };

/**
 * The state of an entity provider, for health reporting; reported to the
 * LLM Ops API through `catalogSyncStatusServiceRef`.
 *
 * @public
 */
export type ProviderHealth = CatalogSyncStatus;

/** What a run changed, for logs and tests. @public */
export interface ProviderRunResult {
  type: 'full' | 'delta' | 'none';
  added: number;
  removed: number;
  failures: number;
}

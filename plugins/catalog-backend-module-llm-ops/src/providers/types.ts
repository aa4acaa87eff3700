import type { Entity } from '@backstage/catalog-model';

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
 * The state of an entity provider, for health reporting.
 *
 * @public
 */
export interface ProviderHealth {
  provider: string;
  /** False when the last run could not read every part of the tool. */
  healthy: boolean;
  lastRunAt?: string;
  lastSuccessAt?: string;
  /** The entities the provider currently keeps in the catalog. */
  entityCount: number;
  /** The parts whose tool did not answer in the last run, and why. */
  failures: Array<{ partition: string; error: string }>;
  /** Upstream items skipped in the last run, and why (bad or missing fields). */
  skipped: Array<{ item: string; reason: string }>;
}

/** What a run changed, for logs and tests. @public */
export interface ProviderRunResult {
  type: 'full' | 'delta' | 'none';
  added: number;
  removed: number;
  failures: number;
}

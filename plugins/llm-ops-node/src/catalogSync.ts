import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { CatalogSyncStatus } from '@llmops/plugin-llm-ops-common';

export type { CatalogSyncStatus };

/**
 * Where the catalog's entity providers report their state and the LLM Ops
 * API reads it (`/v1/health`, `/v1/integrations`). Root-scoped: one
 * instance is shared by the catalog and llm-ops plugins of a backend.
 *
 * @public
 */
export interface CatalogSyncStatusService {
  /** Registers a provider; its status is read each time `list` is called. */
  register(provider: { getHealth(): CatalogSyncStatus }): void;
  list(): CatalogSyncStatus[];
}

class InMemoryCatalogSyncStatus implements CatalogSyncStatusService {
  readonly #providers: Array<{ getHealth(): CatalogSyncStatus }> = [];
  register(provider: { getHealth(): CatalogSyncStatus }) {
    this.#providers.push(provider);
  }
  list() {
    return this.#providers
      .map(p => p.getHealth())
      .sort((a, b) => a.provider.localeCompare(b.provider));
  }
}

/** @public */
export const catalogSyncStatusServiceRef =
  createServiceRef<CatalogSyncStatusService>({
    id: 'llm-ops.catalog-sync-status',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        factory: () => new InMemoryCatalogSyncStatus(),
      }),
  });

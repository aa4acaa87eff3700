import type {
  CatalogSyncStatus,
  CatalogSyncSummary,
  Health as HealthView,
  IntegrationHealth,
  Integrations,
} from '@llmops/plugin-llm-ops-common';
import type { CatalogSyncStatusService } from '@llmops/plugin-llm-ops-node';
import type { ApiContext } from './context';

/** Each tool's health, and the catalog providers' state, as one message. */
function healthMessage(
  integrations: Array<Pick<IntegrationHealth, 'reachable'>>,
  providers: Array<Pick<CatalogSyncStatus, 'healthy'>>,
) {
  const reachable = integrations.filter(i => i.reachable).length;
  const healthy = providers.filter(p => p.healthy).length;
  return `${reachable} of ${integrations.length} integrations reachable${
    providers.length
      ? `; ${healthy} of ${providers.length} catalog providers in sync`
      : ''
  }`;
}

/** The tools' health and the catalog providers' state. */
export class Health {
  constructor(
    private readonly ctx: ApiContext,
    private readonly catalogSync?: CatalogSyncStatusService,
  ) {}

  /** For anyone, monitors included: no error text. */
  async publicHealth(): Promise<{ message: string; data: HealthView }> {
    const integrations = (await this.ctx.tools.health()).map(
      ({ lastError: _hidden, ...entry }) => entry,
    );
    const catalogProviders: CatalogSyncSummary[] = this.providers().map(
      ({ failures, skipped, ...entry }) => ({
        ...entry,
        failedParts: failures.length,
        skippedItems: skipped.length,
      }),
    );
    return {
      message: healthMessage(integrations, catalogProviders),
      data: { integrations, catalogProviders },
    };
  }

  /** For signed-in callers: with latency, last errors and circuit state. */
  async integrations(): Promise<{ message: string; data: Integrations }> {
    const integrations = await this.ctx.tools.health();
    const catalogProviders = this.providers();
    return {
      message: healthMessage(integrations, catalogProviders),
      data: { integrations, catalogProviders },
    };
  }

  /** The providers' state alone, without pinging every tool. */
  catalogProviders() {
    const items = this.providers();
    const inSync = items.filter(p => p.healthy).length;
    return {
      message: `${inSync} of ${items.length} catalog providers in sync`,
      data: { items },
    };
  }

  private providers(): CatalogSyncStatus[] {
    return this.catalogSync?.list() ?? [];
  }
}

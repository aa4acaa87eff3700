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

/**
 * The whole at a glance: `ok` when every enabled, configured tool is
 * reachable and every catalog provider in sync, `down` when no such tool
 * is reachable, else `degraded`.
 */
export type HealthState = 'ok' | 'degraded' | 'down';

function healthState(
  integrations: IntegrationHealth[],
  providers: Array<Pick<CatalogSyncStatus, 'healthy'>>,
): HealthState {
  const used = integrations.filter(i => i.enabled && i.configured);
  const reachable = used.filter(i => i.reachable).length;
  if (used.length > 0 && reachable === 0) return 'down';
  const allGood = reachable === used.length && providers.every(p => p.healthy);
  return allGood ? 'ok' : 'degraded';
}

/** The tools' health and the catalog providers' state. */
export class Health {
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  /** The last round of pings, which `/health` answers from. */
  #round?: { at: number; report: Promise<IntegrationHealth[]> };

  constructor(
    private readonly ctx: ApiContext,
    private readonly catalogSync?: CatalogSyncStatusService,
    options: { maxAgeMs?: number; now?: () => number } = {},
  ) {
    this.#maxAgeMs = options.maxAgeMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * `/health`, for anyone, monitors included: from one round of pings at
   * most every 30 s, shared by concurrent callers. Anonymous callers get
   * the aggregate state alone; `detailed`, each tool and provider, still
   * without error text.
   */
  async health(options: {
    detailed: boolean;
  }): Promise<{ message: string; data: HealthView & { state: HealthState } }> {
    const report = await this.#cachedReport();
    const providers = this.providers();
    const state = healthState(report, providers);
    if (!options.detailed) {
      return {
        message: `LLM Ops is ${state}`,
        data: { state, integrations: [], catalogProviders: [] },
      };
    }
    const integrations = report.map(
      ({ lastError: _hidden, ...entry }) => entry,
    );
    const catalogProviders: CatalogSyncSummary[] = providers.map(
      ({ failures, skipped, ...entry }) => ({
        ...entry,
        failedParts: failures.length,
        skippedItems: skipped.length,
      }),
    );
    return {
      message: healthMessage(integrations, catalogProviders),
      data: { state, integrations, catalogProviders },
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

  #cachedReport(): Promise<IntegrationHealth[]> {
    const now = this.#now();
    if (!this.#round || now - this.#round.at >= this.#maxAgeMs) {
      const report = this.ctx.tools.health();
      this.#round = { at: now, report };
      // a failed round is not kept
      report.catch(() => {
        if (this.#round?.report === report) this.#round = undefined;
      });
    }
    return this.#round.report;
  }
}

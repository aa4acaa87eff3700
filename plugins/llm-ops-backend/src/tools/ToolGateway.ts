import type { Config } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import type { IntegrationHealth, ToolCategory } from '@llmops/plugin-llm-ops-common';
import {
  checkIntegrationHealth,
  HealthTarget,
  LlmOpsAdapter,
} from '@llmops/plugin-llm-ops-node';
import { CircuitBreaker, CircuitBreakerOptions } from './CircuitBreaker';

type AdapterOf<C extends ToolCategory> = Extract<LlmOpsAdapter, { category: C }>;

/** 503: no enabled adapter serves what the request needs. */
export class ToolNotConfiguredError extends ServiceUnavailableError {
  readonly retryAfterSeconds = 300;
  readonly data: { tool: string; reason: string };
  constructor(tool: string) {
    super(`No enabled ${tool} integration is configured (llmOps.integrations)`);
    this.data = { tool, reason: 'not configured' };
  }
}

/** Reads `llmOps.circuitBreaker`, with defaults. */
export function readBreakerOptions(config: Config): CircuitBreakerOptions {
  const c = config.getOptionalConfig('llmOps.circuitBreaker');
  return {
    failureThreshold: c?.getOptionalNumber('failureThreshold') ?? 5,
    cooldownMs: c?.getOptionalNumber('cooldownMs') ?? 30_000,
    callTimeoutMs: c?.getOptionalNumber('callTimeoutMs') ?? 15_000,
  };
}

/**
 * The one way the API reaches a tool: the enabled adapter for a tool or
 * category, behind that tool's circuit breaker and call timeout.
 */
export class ToolGateway {
  readonly #targets: HealthTarget[];
  readonly #breakers = new Map<string, CircuitBreaker>();

  constructor(targets: HealthTarget[], breakerOptions: CircuitBreakerOptions) {
    this.#targets = targets;
    for (const target of targets) {
      this.#breakers.set(target.tool, new CircuitBreaker(target.tool, breakerOptions));
    }
  }

  /** The enabled adapter of a category; `tool` picks one where several exist. */
  find<C extends ToolCategory>(category: C, tool?: string): AdapterOf<C> | undefined {
    const target = this.#targets.find(
      t =>
        t.enabled &&
        t.adapter?.category === category &&
        (tool === undefined || t.tool === tool),
    );
    return target?.adapter as AdapterOf<C> | undefined;
  }

  /** The enabled adapter of one tool id. */
  byTool(tool: string): LlmOpsAdapter | undefined {
    return this.#targets.find(t => t.enabled && t.tool === tool)?.adapter;
  }

  /** Like `find`, but a missing tool is a 503 naming the config key. */
  require<C extends ToolCategory>(category: C, tool?: string): AdapterOf<C> {
    const adapter = this.find(category, tool);
    if (!adapter) {
      throw new ToolNotConfiguredError(tool ?? category);
    }
    return adapter;
  }

  /** Calls an adapter through its tool's circuit breaker. */
  call<A extends LlmOpsAdapter, T>(
    adapter: A,
    fn: (adapter: A, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const breaker = this.#breakers.get(adapter.tool)!;
    return breaker.call(signal => fn(adapter, signal));
  }

  /** Every tool's health, with its circuit state and last call error. */
  async health(): Promise<IntegrationHealth[]> {
    // A tool whose circuit is open is known to be down: don't wait on it.
    const targets = this.#targets.map(target => {
      const breaker = this.#breakers.get(target.tool);
      return breaker?.state === 'open'
        ? { ...target, unavailable: breaker.lastError ?? 'circuit open' }
        : target;
    });
    const report = await checkIntegrationHealth(targets);
    return report.map(entry => {
      const breaker = this.#breakers.get(entry.tool);
      return {
        ...entry,
        circuit: breaker?.state,
        lastError: entry.lastError ?? breaker?.lastError,
      };
    });
  }
}

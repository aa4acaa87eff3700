import type { Config } from '@backstage/config';
import type {
  IntegrationHealth,
  ToolCategory,
} from '@llmops/plugin-llm-ops-common';
import { checkIntegrationHealth, HealthTarget } from '../health';
import type { LlmOpsAdapter } from '../types';
import { CircuitBreaker, CircuitBreakerOptions } from './CircuitBreaker';
import { mergeAdapters } from './mergeAdapters';
import { ToolError } from './ToolError';

/** The adapter type of a category. @public */
export type AdapterOf<C extends ToolCategory> = Extract<
  LlmOpsAdapter,
  { category: C }
>;

/** Reads `llmOps.circuitBreaker`, with defaults. @public */
export function readBreakerOptions(config: Config): CircuitBreakerOptions {
  const c = config.getOptionalConfig('llmOps.circuitBreaker');
  return {
    failureThreshold: c?.getOptionalNumber('failureThreshold') ?? 5,
    cooldownMs: c?.getOptionalNumber('cooldownMs') ?? 30_000,
    callTimeoutMs: c?.getOptionalNumber('callTimeoutMs') ?? 15_000,
  };
}

/**
 * The one way to reach a tool: the enabled adapter for a tool or category,
 * behind that tool's circuit breaker and call timeout, and every tool's
 * health. Built once per backend (see `llmOpsToolsServiceRef`) and shared
 * by the LLM Ops API and the catalog's entity providers.
 *
 * @public
 */
export class LlmOpsTools {
  #targets: HealthTarget[];
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #breakerOptions: CircuitBreakerOptions;

  constructor(targets: HealthTarget[], breakerOptions: CircuitBreakerOptions) {
    this.#targets = targets;
    this.#breakerOptions = breakerOptions;
  }

  /** Every tool: its config status and adapter. */
  get targets(): readonly HealthTarget[] {
    return this.#targets;
  }

  /**
   * Puts adapters in place of the configured ones of the same tool id, or
   * beside them for a new tool (the `llm-ops.adapters` extension point).
   */
  replaceAdapters(adapters: LlmOpsAdapter[]): void {
    this.#targets = mergeAdapters(this.#targets, adapters);
  }

  /** The enabled adapter of a category; `tool` picks one where several exist. */
  find<C extends ToolCategory>(
    category: C,
    tool?: string,
  ): AdapterOf<C> | undefined {
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

  /** Like `find`, but a missing tool is a 503 that says why. */
  require<C extends ToolCategory>(category: C, tool?: string): AdapterOf<C> {
    const adapter = this.find(category, tool);
    if (adapter) return adapter;
    const target = this.#targets.find(
      t => t.tool === tool || (!tool && t.adapter?.category === category),
    );
    let why = `no ${tool ?? category} integration is configured (llmOps.integrations)`;
    if (target && !target.enabled) {
      why = target.disabledReason ?? `${target.tool} is switched off in config`;
    } else if (target) {
      why = target.reason ?? `${target.tool} is not configured`;
    }
    throw new ToolError(
      { tool: tool ?? target?.tool ?? category, reason: 'not-configured' },
      why,
      { retryAfterSeconds: 300 },
    );
  }

  /** Calls an adapter through its tool's circuit breaker. */
  call<A extends LlmOpsAdapter, T>(
    adapter: A,
    fn: (adapter: A, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return this.#breaker(adapter.tool).call(signal => fn(adapter, signal));
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
        circuit: breaker?.state ?? 'closed',
        lastError: entry.lastError ?? breaker?.lastError,
      };
    });
  }

  #breaker(tool: string): CircuitBreaker {
    let breaker = this.#breakers.get(tool);
    if (!breaker) {
      breaker = new CircuitBreaker(tool, this.#breakerOptions);
      this.#breakers.set(tool, breaker);
    }
    return breaker;
  }
}

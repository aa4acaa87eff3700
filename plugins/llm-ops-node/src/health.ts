import {
  IntegrationHealth,
  TOOL_CATEGORIES,
  ToolId,
} from '@llmops/plugin-llm-ops-common';
import type { LlmOpsAdapter } from './types';

/** One tool to check: its config status, and the adapter that serves it. @public */
export interface HealthTarget {
  tool: string;
  enabled: boolean;
  configured: boolean;
  reason?: string;
  adapter?: LlmOpsAdapter;
  /** Why the tool is switched off (`llmOps.integrations.<tool>.disabledReason`). */
  disabledReason?: string;
  /** Known to be down (say, an open circuit): reported without a ping. */
  unavailable?: string;
}

/**
 * A short reason for a failed tool call: "timed out", or the message with its
 * cause (fetch puts the network error there).
 *
 * @public
 */
export function describeError(error: unknown): string {
  if ((error as { name?: unknown })?.name === 'TimeoutError') return 'timed out';
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}

/**
 * Pings every enabled, configured tool at once and reports each one.
 *
 * @public
 */
export async function checkIntegrationHealth(
  targets: HealthTarget[],
  options: { timeoutMs?: number } = {},
): Promise<IntegrationHealth[]> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return Promise.all(
    targets.map(async target => {
      const category =
        target.adapter?.category ?? TOOL_CATEGORIES[target.tool as ToolId];
      const base = {
        tool: target.tool,
        category,
        enabled: target.enabled,
        configured: target.configured,
        checkedAt: new Date().toISOString(),
      };
      if (!target.enabled || !target.adapter) {
        return {
          ...base,
          reachable: false,
          lastError: target.enabled
            ? target.reason
            : target.disabledReason ?? 'disabled in config',
        };
      }
      if (target.unavailable) {
        return { ...base, reachable: false, lastError: target.unavailable };
      }
      const started = performance.now();
      try {
        await target.adapter.ping(AbortSignal.timeout(timeoutMs));
        return {
          ...base,
          reachable: true,
          latencyMs: Math.round(performance.now() - started),
        };
      } catch (error) {
        return {
          ...base,
          reachable: false,
          latencyMs: Math.round(performance.now() - started),
          lastError: describeError(error),
        };
      }
    }),
  );
}

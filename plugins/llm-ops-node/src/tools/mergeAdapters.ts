import type { IntegrationConfigStatus } from '../adapters';
import type { HealthTarget } from '../health';
import type { LlmOpsAdapter } from '../types';

/** Merges adapters from the extension point over the configured ones. @public */
export function mergeAdapters(
  configured: readonly (IntegrationConfigStatus | HealthTarget)[],
  registered: LlmOpsAdapter[],
): HealthTarget[] {
  const byTool = new Map(registered.map(a => [a.tool, a]));
  const targets: HealthTarget[] = configured.map(status => {
    const adapter = byTool.get(status.tool);
    byTool.delete(status.tool);
    return adapter
      ? { ...status, configured: true, reason: undefined, adapter }
      : status;
  });
  for (const adapter of byTool.values()) {
    targets.push({ tool: adapter.tool, enabled: true, configured: true, adapter });
  }
  return targets;
}

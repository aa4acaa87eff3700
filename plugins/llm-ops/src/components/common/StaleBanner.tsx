import { WarningPanel } from '@backstage/core-components';
import type { ToolRead } from '@llmops/plugin-llm-ops-common';

/**
 * Shown above data read from a tool that is down: the data is the last
 * known answer, and says when it was fetched.
 *
 * @public
 */
export function StaleBanner(props: {
  reads: Array<ToolRead<object> | undefined>;
}) {
  const stale = props.reads.filter((r): r is ToolRead<object> => !!r?.stale);
  if (stale.length === 0) return null;
  const tools = [...new Set(stale.map(r => r.unavailable?.tool ?? 'a tool'))];
  const fetched = stale
    .map(r => r.fetchedAt)
    .filter((t): t is string => !!t)
    .sort()[0];
  return (
    <WarningPanel
      severity="warning"
      title={`${tools.join(', ')} is degraded: the data shown may be stale`}
      message={
        fetched
          ? `Last fetched ${new Date(fetched).toLocaleString()}. ${
              stale[0].unavailable?.reason ?? ''
            }`
          : `Nothing was fetched before the tool went down. ${
              stale[0].unavailable?.reason ?? ''
            }`
      }
    />
  );
}

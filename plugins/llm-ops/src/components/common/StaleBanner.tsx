import { WarningPanel } from '@backstage/core-components';
import type { ToolRead } from '@llmops/plugin-llm-ops-common';
import { describeReason, toolName } from './toolNames';
import { formatDate } from '../pages/formatDate';

/**
 * Shown above data read from a tool that is down: says which tool can't be
 * reached and since when, and where the data shown comes from instead (the
 * tool's last answer, or `fallback`, such as the catalog's copy).
 *
 * @public
 */
export function StaleBanner(props: {
  reads: Array<ToolRead<object> | undefined>;
  /** What is shown when nothing was read before, e.g. "the catalog's copy". */
  fallback?: string;
}) {
  const stale = props.reads.filter((r): r is ToolRead<object> => !!r?.stale);
  if (stale.length === 0) return null;
  const tools = [
    ...new Set(stale.map(r => toolName(r.unavailable?.tool))),
  ].join(', ');
  const since = stale
    .map(r => r.unavailable?.since)
    .filter((t): t is string => !!t)
    .sort()[0];
  const fetched = stale
    .map(r => r.fetchedAt)
    .filter((t): t is string => !!t)
    .sort()[0];
  let shown: string;
  if (fetched) shown = `Showing its last answer, from ${formatDate(fetched)}.`;
  else if (props.fallback) shown = `Showing ${props.fallback}.`;
  else shown = 'Nothing was read from it before it became unreachable.';
  const reason = stale[0].unavailable?.reason;
  return (
    <WarningPanel
      severity="warning"
      title={`Can't reach ${tools}${
        since ? ` (since ${formatDate(since)})` : ''
      }`}
      message={`${shown}${reason ? ` (${describeReason(reason)})` : ''}`}
    />
  );
}

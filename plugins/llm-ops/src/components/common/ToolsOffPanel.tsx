import { WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { ToolCategory } from '@llmops/plugin-llm-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { llmOpsApiRef } from '../../api/LlmOpsApi';

/**
 * Says up front that a page's tools are switched off or not configured, and
 * why (config's `disabledReason`, such as what to run to get them), when no
 * tool of the category is on. Shows nothing while the tools are on, or when
 * their state cannot be read.
 */
export function ToolsOffPanel(props: {
  category: ToolCategory;
  /** What the page cannot do without them, e.g. "Training". */
  what: string;
}) {
  const api = useApi(llmOpsApiRef);
  // async: a failure of any kind is a rejection, and the panel shows nothing
  const { value } = useAsync(async () => api.listIntegrations(), [api]);
  const tools = (value ?? []).filter(i => i.category === props.category);
  if (tools.length === 0 || tools.some(t => t.enabled && t.configured)) {
    return null;
  }
  const reasons = [
    ...new Set(tools.map(t => t.lastError).filter((r): r is string => !!r)),
  ];
  return (
    <WarningPanel
      severity="info"
      defaultExpanded
      title={`${props.what} is switched off here`}
      message={
        reasons.join(' ') ||
        `${tools
          .map(t => t.tool)
          .join(', ')}: see llmOps.integrations in app-config.`
      }
    />
  );
}

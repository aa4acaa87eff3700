import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { IntegrationHealth } from '@llmops/plugin-llm-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { llmOpsApiRef } from '../api/LlmOpsApi';

function State({ row }: { row: IntegrationHealth }) {
  if (!row.enabled) return <StatusWarning>Disabled</StatusWarning>;
  if (!row.configured) return <StatusWarning>Not configured</StatusWarning>;
  if (!row.reachable) return <StatusError>Unreachable</StatusError>;
  return <StatusOK>Reachable</StatusOK>;
}

const columns: TableColumn<IntegrationHealth>[] = [
  { title: 'Tool', field: 'tool', highlight: true },
  { title: 'Category', field: 'category' },
  { title: 'State', render: row => <State row={row} /> },
  {
    title: 'Latency',
    render: row => (row.latencyMs === undefined ? '—' : `${row.latencyMs} ms`),
  },
  { title: 'Last error', render: row => row.lastError ?? '—' },
];

/**
 * Each tool's state: configured, reachable, latency and last error.
 *
 * @public
 */
export function IntegrationsHealthContent() {
  const api = useApi(llmOpsApiRef);
  const { value, loading, error } = useAsync(() => api.getHealth(), [api]);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value?.length) {
    return (
      <EmptyState
        missing="info"
        title="No integrations"
        description="Configure tools under llmOps.integrations in app-config.yaml."
      />
    );
  }
  return (
    <Table
      title="Integrations"
      options={{ paging: false, search: false }}
      columns={columns}
      data={value}
    />
  );
}

/** The integrations health page, with its own content wrapper. @public */
export function IntegrationsHealthPage() {
  return (
    <Content>
      <IntegrationsHealthContent />
    </Content>
  );
}

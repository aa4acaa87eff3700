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
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import RefreshIcon from '@material-ui/icons/Refresh';
import type {
  CatalogSyncStatus,
  IntegrationHealth,
} from '@llmops/plugin-llm-ops-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { llmOpsApiRef } from '../api/LlmOpsApi';

function State({ row }: { row: IntegrationHealth }) {
  if (!row.enabled) return <StatusWarning>Disabled</StatusWarning>;
  if (!row.configured) return <StatusWarning>Not configured</StatusWarning>;
  if (!row.reachable) return <StatusError>Unreachable</StatusError>;
  return <StatusOK>Reachable</StatusOK>;
}

function Circuit({ circuit }: { circuit?: IntegrationHealth['circuit'] }) {
  if (circuit === 'closed') return <StatusOK>Closed</StatusOK>;
  if (circuit === 'open') return <StatusError>Open</StatusError>;
  if (circuit === 'half-open') return <StatusWarning>Half-open</StatusWarning>;
  return <>—</>;
}

/** Test ids: `llmops-integration-<tool>` on the tool, `-state`, `-circuit` on those cells. */
const columns: TableColumn<IntegrationHealth>[] = [
  {
    title: 'Tool',
    field: 'tool',
    highlight: true,
    render: row => (
      <span data-testid={`llmops-integration-${row.tool}`}>{row.tool}</span>
    ),
  },
  { title: 'Category', field: 'category' },
  {
    title: 'State',
    render: row => (
      <span data-testid={`llmops-integration-${row.tool}-state`}>
        <State row={row} />
      </span>
    ),
  },
  {
    title: 'Latency',
    render: row => (row.latencyMs === undefined ? '—' : `${row.latencyMs} ms`),
  },
  {
    title: 'Circuit',
    render: row => (
      <span data-testid={`llmops-integration-${row.tool}-circuit`}>
        <Circuit circuit={row.circuit} />
      </span>
    ),
  },
  { title: 'Last error', render: row => row.lastError ?? '—' },
  {
    title: 'Checked at',
    render: row => new Date(row.checkedAt).toLocaleString(),
  },
];

/**
 * Each tool's state (reachable, unreachable, not configured, disabled),
 * latency, circuit breaker and last error, with a refresh button.
 *
 * @public
 */
export function IntegrationsHealthContent() {
  const api = useApi(llmOpsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listIntegrations(),
    [api],
  );

  const body = () => {
    if (loading && !value) return <Progress />;
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
        options={{ paging: false, search: false, sorting: false }}
        columns={columns}
        data={value}
      />
    );
  };
  return (
    <>
      <Box display="flex" justifyContent="flex-end" mb={2}>
        <Button
          variant="outlined"
          startIcon={<RefreshIcon />}
          onClick={retry}
          disabled={loading}
        >
          Refresh
        </Button>
      </Box>
      {body()}
    </>
  );
}

const syncColumns: TableColumn<CatalogSyncStatus>[] = [
  { title: 'Provider', field: 'provider', highlight: true },
  {
    title: 'State',
    render: row =>
      row.healthy ? (
        <StatusOK>In sync</StatusOK>
      ) : (
        <StatusError>Failing</StatusError>
      ),
  },
  { title: 'Entities', field: 'entityCount', type: 'numeric' },
  {
    title: 'Last run',
    render: row =>
      row.lastRunAt ? new Date(row.lastRunAt).toLocaleString() : 'not yet',
  },
  {
    title: 'Last success',
    render: row =>
      row.lastSuccessAt
        ? new Date(row.lastSuccessAt).toLocaleString()
        : 'never',
  },
  {
    title: 'Failures',
    render: row =>
      row.failures.length
        ? row.failures
            .map(
              f => `${f.partition === '*' ? 'all' : f.partition}: ${f.error}`,
            )
            .join('; ')
        : '—',
  },
  { title: 'Skipped items', render: row => row.skipped.length || '—' },
];

/**
 * The catalog's LLM Ops entity providers (MLflow, Hugging Face, DVC, KServe,
 * Ray Serve): whether their last run read every part of the tool.
 *
 * @public
 */
export function CatalogSyncContent() {
  const api = useApi(llmOpsApiRef);
  const { value, loading, error } = useAsync(
    () => api.listCatalogProviders(),
    [api],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value?.length) {
    return (
      <EmptyState
        missing="info"
        title="No catalog providers"
        description="Configure them under catalog.providers.llmOps* in app-config.yaml to keep models, datasets and deployments in sync from the tools."
      />
    );
  }
  return (
    <Table
      title="Catalog sync"
      options={{ paging: false, search: false, sorting: false }}
      columns={syncColumns}
      data={value}
    />
  );
}

/** The integrations health page, with its header. @public */
export function IntegrationsHealthPage() {
  return (
    <Content>
      <IntegrationsHealthContent />
      <Box mt={3}>
        <CatalogSyncContent />
      </Box>
    </Content>
  );
}

import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { IntegrationHealth } from '@llmops/plugin-llm-ops-common';
import { LlmOpsApi, llmOpsApiRef } from '../api/LlmOpsApi';
import {
  IntegrationsHealthContent,
  IntegrationsHealthPage,
} from './IntegrationsHealthPage';

function renderWith(
  listIntegrations: LlmOpsApi['listIntegrations'],
  page = false,
  listCatalogProviders: LlmOpsApi['listCatalogProviders'] = async () => [],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[[llmOpsApiRef, { listIntegrations, listCatalogProviders }]]}
    >
      {page ? <IntegrationsHealthPage /> : <IntegrationsHealthContent />}
    </TestApiProvider>,
  );
}

const checkedAt = '2026-11-27T10:00:00.000Z';
const health: IntegrationHealth[] = [
  {
    tool: 'mlflow',
    category: 'experiment-tracking',
    enabled: true,
    configured: true,
    reachable: false,
    latencyMs: 5000,
    lastError: 'timed out',
    circuit: 'open',
    checkedAt,
  },
  {
    tool: 'argo',
    category: 'orchestration',
    enabled: true,
    configured: true,
    reachable: true,
    latencyMs: 12,
    circuit: 'closed',
    checkedAt,
  },
  {
    tool: 'kserve',
    category: 'serving',
    enabled: true,
    configured: true,
    reachable: true,
    latencyMs: 30,
    circuit: 'half-open',
    checkedAt,
  },
  {
    tool: 'dvc',
    category: 'data-versioning',
    enabled: true,
    configured: false,
    reachable: false,
    lastError: 'llmOps.integrations.dvc is not configured',
    checkedAt,
  },
  {
    tool: 'rayserve',
    category: 'serving',
    enabled: false,
    configured: true,
    reachable: false,
    checkedAt,
  },
];

describe('IntegrationsHealthContent', () => {
  it('shows each tool with its state, latency, circuit and last error', async () => {
    await renderWith(async () => health);

    expect(
      await screen.findByTestId('llmops-integration-mlflow'),
    ).toHaveTextContent('mlflow');
    expect(
      screen.getByTestId('llmops-integration-mlflow-state'),
    ).toHaveTextContent('Unreachable');
    expect(
      screen.getByTestId('llmops-integration-mlflow-circuit'),
    ).toHaveTextContent('Open');
    const mlflowRow = screen
      .getByTestId('llmops-integration-mlflow')
      .closest('tr')!;
    expect(within(mlflowRow).getByText('5000 ms')).toBeInTheDocument();
    expect(within(mlflowRow).getByText('timed out')).toBeInTheDocument();
    expect(
      within(mlflowRow).getByText(new Date(checkedAt).toLocaleString()),
    ).toBeInTheDocument();

    expect(
      screen.getByTestId('llmops-integration-argo-state'),
    ).toHaveTextContent('Reachable');
    expect(
      screen.getByTestId('llmops-integration-argo-circuit'),
    ).toHaveTextContent('Closed');
    expect(
      screen.getByTestId('llmops-integration-kserve-circuit'),
    ).toHaveTextContent('Half-open');
    expect(
      screen.getByTestId('llmops-integration-dvc-state'),
    ).toHaveTextContent('Not configured');
    expect(
      screen.getByTestId('llmops-integration-rayserve-state'),
    ).toHaveTextContent('Disabled');
  });

  it('reads the integrations again on refresh', async () => {
    const listIntegrations = jest
      .fn<ReturnType<LlmOpsApi['listIntegrations']>, []>()
      .mockResolvedValueOnce(health)
      .mockResolvedValueOnce([
        { ...health[0], reachable: true, circuit: 'closed' },
      ]);
    await renderWith(listIntegrations);
    expect(await screen.findByText('Unreachable')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /refresh/i }));

    expect(await screen.findByText('Reachable')).toBeInTheDocument();
    expect(screen.queryByText('Unreachable')).not.toBeInTheDocument();
    expect(listIntegrations).toHaveBeenCalledTimes(2);
  });

  it('shows an empty state when no tool is known', async () => {
    await renderWith(async () => []);
    expect(await screen.findByText('No integrations')).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderWith(async () => {
      throw new Error('backend down');
    });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('renders as a page, with no header of its own (the app has one)', async () => {
    await renderWith(async () => health, true);
    expect(screen.queryByText('LLM Ops integrations')).not.toBeInTheDocument();
    expect(
      await screen.findByTestId('llmops-integration-mlflow'),
    ).toBeInTheDocument();
  });

  it("shows the catalog providers' sync state on the page", async () => {
    await renderWith(
      async () => health,
      true,
      async () => [
        {
          provider: 'llm-ops-mlflow-models',
          healthy: false,
          entityCount: 12,
          lastRunAt: checkedAt,
          failures: [{ partition: '*', error: 'mlflow: connect ECONNREFUSED' }],
          skipped: [],
        },
        {
          provider: 'llm-ops-dvc-datasets',
          healthy: true,
          entityCount: 3,
          lastRunAt: checkedAt,
          lastSuccessAt: checkedAt,
          failures: [],
          skipped: [{ item: 'data/x.dvc', reason: 'no type' }],
        },
      ],
    );
    const mlflowRow = (
      await screen.findByText('llm-ops-mlflow-models')
    ).closest('tr')!;
    expect(within(mlflowRow).getByText('Failing')).toBeInTheDocument();
    expect(within(mlflowRow).getByText('12')).toBeInTheDocument();
    expect(
      within(mlflowRow).getByText('all: mlflow: connect ECONNREFUSED'),
    ).toBeInTheDocument();
    const dvcRow = screen.getByText('llm-ops-dvc-datasets').closest('tr')!;
    expect(within(dvcRow).getByText('In sync')).toBeInTheDocument();
  });

  it('says how to configure catalog providers when there are none', async () => {
    await renderWith(async () => health, true);
    expect(await screen.findByText('No catalog providers')).toBeInTheDocument();
  });
});

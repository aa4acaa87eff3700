import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { IntegrationHealth } from '@llmops/plugin-llm-ops-common';
import { LlmOpsApi, llmOpsApiRef } from '../api/LlmOpsApi';
import { IntegrationsHealthContent } from './IntegrationsHealthPage';

function renderWith(api: LlmOpsApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[llmOpsApiRef, api]]}>
      <IntegrationsHealthContent />
    </TestApiProvider>,
  );
}

const checkedAt = '2026-11-27T10:00:00.000Z';

describe('IntegrationsHealthContent', () => {
  it('shows each tool with its state, latency and last error', async () => {
    const health: IntegrationHealth[] = [
      { tool: 'mlflow', category: 'experiment-tracking', enabled: true, configured: true, reachable: true, latencyMs: 12, checkedAt },
      { tool: 'argo', category: 'orchestration', enabled: true, configured: true, reachable: false, latencyMs: 5000, lastError: 'timed out', checkedAt },
      { tool: 'dvc', category: 'data-versioning', enabled: true, configured: false, reachable: false, lastError: 'llmOps.integrations.dvc is not configured', checkedAt },
    ];
    await renderWith({ getHealth: async () => health });

    expect(await screen.findByText('mlflow')).toBeInTheDocument();
    expect(screen.getByText('Reachable')).toBeInTheDocument();
    expect(screen.getByText('12 ms')).toBeInTheDocument();
    expect(screen.getByText('Unreachable')).toBeInTheDocument();
    expect(screen.getByText('timed out')).toBeInTheDocument();
    expect(screen.getByText('Not configured')).toBeInTheDocument();
  });

  it('shows an empty state when no tool is known', async () => {
    await renderWith({ getHealth: async () => [] });
    expect(await screen.findByText('No integrations')).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderWith({
      getHealth: async () => {
        throw new Error('backend down');
      },
    });
    expect(
      (await screen.findAllByText(/backend down/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});

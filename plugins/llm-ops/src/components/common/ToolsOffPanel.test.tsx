import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { IntegrationHealth } from '@llmops/plugin-llm-ops-common';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { ToolsOffPanel } from './ToolsOffPanel';

const health = (
  tool: string,
  category: IntegrationHealth['category'],
  on: Partial<IntegrationHealth> = {},
): IntegrationHealth => ({
  tool,
  category,
  configured: false,
  enabled: false,
  reachable: false,
  checkedAt: '2026-12-01T10:00:00Z',
  ...on,
});

function renderWith(
  integrations: IntegrationHealth[],
  category: IntegrationHealth['category'],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[[llmOpsApiRef, { listIntegrations: async () => integrations }]]}
    >
      <div>
        page
        <ToolsOffPanel category={category} what="Serving" />
      </div>
    </TestApiProvider>,
  );
}

const why =
  'The local Kubernetes cluster is not built yet: run `make test` once, then `make start` again.';

describe('ToolsOffPanel', () => {
  it("says why when every tool of the page's category is off", async () => {
    await renderWith(
      [
        health('kserve', 'serving', { lastError: why }),
        health('rayserve', 'serving', { lastError: why }),
        health('mlflow', 'experiment-tracking', {
          enabled: true,
          configured: true,
        }),
      ],
      'serving',
    );
    expect(
      await screen.findByText('Info: Serving is switched off here'),
    ).toBeInTheDocument();
    // one reason, said once
    expect(screen.getAllByText(why)).toHaveLength(1);
  });

  it('says nothing while one tool of the category is on', async () => {
    await renderWith(
      [
        health('kserve', 'serving', {
          enabled: true,
          configured: true,
          reachable: false,
        }),
        health('rayserve', 'serving', { lastError: why }),
      ],
      'serving',
    );
    expect(await screen.findByText('page')).toBeInTheDocument();
    expect(
      screen.queryByText('Info: Serving is switched off here'),
    ).not.toBeInTheDocument();
  });
});

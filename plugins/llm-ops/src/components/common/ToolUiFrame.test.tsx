import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { IntegrationHealth, ToolUi } from '@llmops/plugin-llm-ops-common';
import { LlmOpsApi, llmOpsApiRef } from '../../api/LlmOpsApi';
import { ToolUiFrame } from './ToolUiFrame';

const baseUrl = 'http://localhost:7007/api/llm-ops';

/** The cookie endpoint that `useCookieAuthRefresh` calls answers `{expiresAt}`. */
function cookieFetch() {
  return {
    fetch: jest.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => {
      const expiresAt = new Date(Date.now() + 3600_000).toISOString();
      return new Response(JSON.stringify({ expiresAt }));
    }),
  };
}

async function renderFrame(
  uis: ToolUi[] | Error,
  fetchApi = cookieFetch(),
  health: Partial<IntegrationHealth>[] = [],
) {
  const api: Partial<LlmOpsApi> = {
    listToolUis: async () => {
      if (uis instanceof Error) throw uis;
      return uis;
    },
    listIntegrations: async () => health as IntegrationHealth[],
    getToolUiUrl: jest.fn(
      async (tool: string, path: string) => `${baseUrl}/ui/${tool}/${path}`,
    ),
  };
  const rendered = await renderInTestApp(
    <TestApiProvider
      apis={[
        [llmOpsApiRef, api],
        [fetchApiRef, fetchApi],
        [discoveryApiRef, { getBaseUrl: async () => baseUrl }],
      ]}
    >
      <ToolUiFrame
        tool="mlflow"
        path="#/experiments/1"
        title="MLflow experiment"
      />
    </TestApiProvider>,
  );
  return { api, fetchApi, rendered };
}

// renderInTestApp renders inside an async act(): a find that starts before it
// settles can race it and miss the update, so each render is awaited.
describe('ToolUiFrame', () => {
  it('frames the proxied UI when the tool is embeddable, after refreshing the cookie', async () => {
    const { api, fetchApi } = await renderFrame([
      {
        tool: 'mlflow',
        embeddable: true,
        proxyPath: '/ui/mlflow/',
        publicUrl: 'https://mlflow.example.com/',
      },
    ]);

    const frame = await screen.findByTestId('llmops-tool-ui-frame');
    expect(frame).toHaveAttribute(
      'src',
      `${baseUrl}/ui/mlflow/#/experiments/1`,
    );
    expect(frame).toHaveAttribute('title', 'MLflow experiment');
    expect(api.getToolUiUrl).toHaveBeenCalledWith('mlflow', '#/experiments/1');
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${baseUrl}/.backstage/auth/v1/cookie`,
      expect.objectContaining({ credentials: 'include' }),
    );
    expect(screen.getByText(/open in mlflow/i).closest('a')).toHaveAttribute(
      'href',
      'https://mlflow.example.com/#/experiments/1',
    );
  });

  it('links out when the tool cannot be framed', async () => {
    const { api, fetchApi } = await renderFrame([
      {
        tool: 'mlflow',
        embeddable: false,
        proxyPath: '/ui/mlflow/',
        publicUrl: 'https://mlflow.example.com',
      },
    ]);

    const link = (await screen.findByText(/open in mlflow/i)).closest('a');
    expect(link).toHaveAttribute(
      'href',
      'https://mlflow.example.com/#/experiments/1',
    );
    expect(
      screen.queryByTestId('llmops-tool-ui-frame'),
    ).not.toBeInTheDocument();
    expect(api.getToolUiUrl).not.toHaveBeenCalled();
    expect(fetchApi.fetch).not.toHaveBeenCalled();
  });

  it('shows an empty state when the tool has no UI at all', async () => {
    await renderFrame([
      { tool: 'argo', embeddable: true, proxyPath: '/ui/argo/' },
    ]);
    expect(
      await screen.findByText("MLflow's UI is not available"),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('llmops-tool-ui-frame'),
    ).not.toBeInTheDocument();
  });

  it('says why when the tool UIs cannot be listed', async () => {
    await renderFrame(new Error('backend down'));
    expect(
      await screen.findByText(
        /could not tell whether MLflow's UI can be shown here \(backend down\)/,
      ),
    ).toBeInTheDocument();
  });

  it('shows a designed state with a link-out, not the proxy, when the tool is down', async () => {
    const checkedAt = '2026-12-01T23:40:00.000Z';
    const { api } = await renderFrame(
      [
        {
          tool: 'mlflow',
          embeddable: true,
          proxyPath: '/ui/mlflow/',
          publicUrl: 'https://mlflow.example.com',
        },
      ],
      cookieFetch(),
      [{ tool: 'mlflow', configured: true, reachable: false, checkedAt }],
    );
    expect(await screen.findByText(/Can't reach MLflow/)).toHaveTextContent(
      new Date(checkedAt).toLocaleString(),
    );
    expect(screen.getByText(/open in mlflow/i).closest('a')).toHaveAttribute(
      'href',
      'https://mlflow.example.com/#/experiments/1',
    );
    expect(
      screen.queryByTestId('llmops-tool-ui-frame'),
    ).not.toBeInTheDocument();
    expect(api.getToolUiUrl).not.toHaveBeenCalled();
  });
});

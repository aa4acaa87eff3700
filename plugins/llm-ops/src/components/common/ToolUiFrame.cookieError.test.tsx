import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LlmOpsApi, llmOpsApiRef } from '../../api/LlmOpsApi';
import { ToolUiFrame } from './ToolUiFrame';

// The cookie refresh hook's own request is exercised in ToolUiFrame.test.tsx;
// here it fails, so that the frame's error state is tested on its own.
const retry = jest.fn();
jest.mock('@backstage/plugin-auth-react', () => ({
  useCookieAuthRefresh: () => ({
    status: 'error',
    error: new Error('cookie refresh failed'),
    retry,
  }),
}));

describe('ToolUiFrame when the cookie cannot be refreshed', () => {
  it('shows the error and a retry, and no frame', async () => {
    const api: Partial<LlmOpsApi> = {
      listToolUis: async () => [
        { tool: 'mlflow', embeddable: true, proxyPath: '/ui/mlflow/' },
      ],
      getToolUiUrl: async (tool, path) => `/api/llm-ops/ui/${tool}/${path}`,
    };
    await renderInTestApp(
      <TestApiProvider apis={[[llmOpsApiRef, api]]}>
        <ToolUiFrame tool="mlflow" path="#/experiments/1" title="MLflow" />
      </TestApiProvider>,
    );
    expect(await screen.findByText(/could not sign in/i)).toBeInTheDocument();
    expect(screen.getAllByText(/cookie refresh failed/).length).toBeGreaterThan(
      0,
    );
    expect(
      screen.queryByTestId('llmops-tool-ui-frame'),
    ).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalled();
  });
});

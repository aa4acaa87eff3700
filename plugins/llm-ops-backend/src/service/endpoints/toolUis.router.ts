import type { ToolUi } from '@llmops/plugin-llm-ops-common';
import { ApiRouter, Credentials, success } from './types';

/** The tool UIs the proxy serves. */
export function bindToolUiEndpoints(
  router: ApiRouter,
  deps: { toolUis: ToolUi[]; credentials: Credentials },
) {
  router.get('/ui', async (req, res) => {
    await deps.credentials(req);
    res.json(success(`${deps.toolUis.length} tool UI(s)`, { items: deps.toolUis }));
  });
}

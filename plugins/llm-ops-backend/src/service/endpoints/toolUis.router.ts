import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type ToolUi,
  toolUiUsePermission,
} from '@llmops/plugin-llm-ops-common';
import { toolUiResourceRefOf } from '../toolUiPermissions';
import { ApiRouter, Credentials, success } from './types';

/** The tool UIs the proxy serves, and where a user opens one. */
export function bindToolUiEndpoints(
  router: ApiRouter,
  deps: {
    toolUis: ToolUi[];
    credentials: Credentials;
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    /** The URL of a tool's page through the proxy, for this user. */
    open: (
      credentials: BackstageCredentials<BackstageUserPrincipal>,
      tool: string,
      path: string,
    ) => Promise<string>;
  },
) {
  router.get('/ui', async (req, res) => {
    await deps.credentials(req);
    res.json(
      success(`${deps.toolUis.length} tool UI(s)`, { items: deps.toolUis }),
    );
  });

  router.post('/ui/:tool/session', async (req, res) => {
    // A tool UI session is a user's; the portal's services have none.
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const { tool } = req.params;
    const ui = deps.toolUis.find(u => u.tool === tool);
    if (!ui?.embeddable) {
      throw new NotFoundError(
        ui
          ? `${tool}'s UI is linked to, not served through the proxy${
              ui.publicUrl ? ` (${ui.publicUrl})` : ''
            }`
          : `No tool UI ${tool}; see llmOps.ui in app-config`,
      );
    }
    const [decision] = await deps.permissions.authorize(
      [
        {
          permission: toolUiUsePermission,
          resourceRef: toolUiResourceRefOf(tool),
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${toolUiUsePermission.name} on ${tool}`,
      );
    }
    const url = await deps.open(credentials, tool, req.body.path ?? '');
    res.json(success(`Open ${tool}'s UI`, { url }));
  });
}

import type {
  AuthService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { revalidatePermission } from '@llmops/plugin-llm-ops-common';
import { authorize, type ApiContext } from '../context';
import type { Health } from '../Health';
import { revalidateAll } from '../Revalidation';
import { ApiRouter, Credentials, success } from './types';

/** Health, for monitors and for the health page, and the re-validation. */
export function bindHealthEndpoints(
  router: ApiRouter,
  deps: {
    health: Health;
    ctx: ApiContext;
    auth: AuthService;
    httpAuth: HttpAuthService;
    credentials: Credentials;
  },
) {
  const { health, credentials } = deps;

  // Anyone may ask (monitors); only a signed-in caller sees each tool.
  router.get('/health', async (req, res) => {
    const caller = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service', 'none'],
    });
    const { message, data } = await health.health({
      detailed: !deps.auth.isPrincipal(caller, 'none'),
    });
    res.json(success(message, data));
  });

  router.get('/integrations', async (req, res) => {
    await credentials(req);
    const { message, data } = await health.integrations();
    res.json(success(message, data));
  });

  router.get('/catalog-providers', async (req, res) => {
    await credentials(req);
    const { message, data } = health.catalogProviders();
    res.json(success(message, data));
  });

  router.post('/revalidate', async (req, res) => {
    await authorize(deps.ctx, revalidatePermission, await credentials(req));
    const summary = await revalidateAll(deps.ctx, deps.auth);
    res.json(
      success(
        `${summary.nonCompliant} of ${summary.checked} non-compliant`,
        summary,
      ),
    );
  });
}

import type { AuthService } from '@backstage/backend-plugin-api';
import type { ApiContext } from '../context';
import type { Health } from '../Health';
import { revalidateAll } from '../Revalidation';
import { ApiRouter, Credentials, success } from './types';

/** Health, for monitors and for the health page, and the re-validation. */
export function bindHealthEndpoints(
  router: ApiRouter,
  deps: { health: Health; ctx: ApiContext; auth: AuthService; credentials: Credentials },
) {
  const { health, credentials } = deps;

  router.get('/health', async (_req, res) => {
    const { message, data } = await health.publicHealth();
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
    await credentials(req);
    const summary = await revalidateAll(deps.ctx, deps.auth);
    res.json(
      success(`${summary.nonCompliant} of ${summary.checked} non-compliant`, summary),
    );
  });
}

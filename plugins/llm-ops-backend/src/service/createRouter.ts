import express from 'express';
import Router from 'express-promise-router';
import type {
  AuditorService,
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { ToolUi } from '@llmops/plugin-llm-ops-common';
import type { CatalogSyncStatusService } from '@llmops/plugin-llm-ops-node';
import { createOpenApiRouter } from '../schema/openapi';
import type { ApiContext } from './context';
import { Deployments } from './Deployments';
import { auditChanges } from './auditChanges';
import { bindDeploymentEndpoints } from './endpoints/deployments.router';
import { bindHealthEndpoints } from './endpoints/health.router';
import { bindToolDataEndpoints } from './endpoints/toolData.router';
import { bindToolUiEndpoints } from './endpoints/toolUis.router';
import { bindTrainingJobEndpoints } from './endpoints/trainingJobs.router';
import { credentialsOf } from './endpoints/types';
import { envelopeErrorHandler } from './envelope';
import { Health } from './Health';
import { ModelAliases } from './ModelAliases';
import { ToolData } from './ToolData';
import { ToolReads } from './ToolReads';
import { TrainingJobs } from './TrainingJobs';

export interface RouterOptions {
  ctx: ApiContext;
  /** Records each change made through the API (who, what, outcome). */
  auditor?: AuditorService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  logger: LoggerService;
  /** The tool UIs served by the proxy, for `GET /v1/ui`. */
  toolUis?: ToolUi[];
  /** The proxy itself: at `/ui` on the portal's origin, at `/ui-origin` on its own. */
  toolUiRouters?: { sameOrigin: express.Router; ownOrigin: express.Router };
  /** The URL of a tool's page through the proxy, for a user. */
  openToolUi?: (
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    tool: string,
    path: string,
  ) => Promise<string>;
  /** The catalog's LLM Ops entity providers, for health. */
  catalogSync?: CatalogSyncStatusService;
}

/**
 * The `/v1` API, typed and validated from `src/schema/openapi.yaml`: one
 * binding per group of operations (`endpoints/`), each calling its service.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { ctx } = options;
  const api = await createOpenApiRouter({
    middleware: [express.json({ limit: '1mb' })],
    // Backstage's httpAuth checks credentials; the spec only documents them.
    validatorOptions: { validateSecurity: false },
  });
  const credentials = credentialsOf(options.httpAuth);
  const reads = new ToolReads(ctx);

  bindHealthEndpoints(api, {
    health: new Health(ctx, options.catalogSync),
    ctx,
    auth: options.auth,
    httpAuth: options.httpAuth,
    credentials,
  });
  bindTrainingJobEndpoints(api, { jobs: new TrainingJobs(ctx), credentials });
  bindDeploymentEndpoints(api, {
    deployments: new Deployments(ctx, reads),
    credentials,
  });
  bindToolDataEndpoints(api, {
    data: new ToolData(ctx, reads),
    aliases: new ModelAliases(ctx),
    credentials,
  });
  bindToolUiEndpoints(api, {
    toolUis: options.toolUis ?? [],
    credentials,
    httpAuth: options.httpAuth,
    permissions: ctx.permissions,
    open:
      options.openToolUi ??
      (async () => {
        throw new NotFoundError('No tool UI is served');
      }),
  });

  const router = Router();
  if (options.auditor) router.use('/v1', auditChanges(options.auditor));
  router.use('/v1', api);
  if (options.toolUiRouters) {
    router.use('/ui', options.toolUiRouters.sameOrigin);
    router.use('/ui-origin', options.toolUiRouters.ownOrigin);
  }
  router.use(() => {
    throw new NotFoundError('No such llm-ops API route');
  });
  router.use(envelopeErrorHandler(options.logger));
  return router;
}

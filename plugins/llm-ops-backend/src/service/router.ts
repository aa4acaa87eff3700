import { createHash, randomUUID } from 'node:crypto';
import express from 'express';
import Router from 'express-promise-router';
import type {
  AuthService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { SubjectRecord } from '../database/LlmOpsStore';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { envelopeErrorHandler, sendSuccess } from './envelope';
import type { ApiContext } from './context';
import { Deployments, DeploymentRequest } from './Deployments';
import {
  IntegrationHealth,
  isDatasetEntity,
  modelAliasUpdatePermission,
  ToolUi,
} from '@llmops/plugin-llm-ops-common';
import type {
  CatalogSyncStatus,
  CatalogSyncStatusService,
} from '@llmops/plugin-llm-ops-node';
import { authorize, ensureQueueCapacity } from './context';
import { ToolUnavailableError } from '../tools/CircuitBreaker';
import { revalidateAll } from './Revalidation';
import { describeSubject, toView } from './subjects';
import { ToolReads } from './ToolReads';
import { TrainingJobs } from './TrainingJobs';

export interface RouterOptions {
  ctx: ApiContext;
  httpAuth: HttpAuthService;
  auth: AuthService;
  logger: LoggerService;
  /** The tool UIs served by the same-origin proxy, for `GET /v1/ui`. */
  toolUis?: ToolUi[];
  /** The proxy itself, mounted at `/ui`. */
  toolUiRouter?: express.Router;
  /** The catalog's LLM Ops entity providers, for health. */
  catalogSync?: CatalogSyncStatusService;
}

const PAGE_SIZE = 50;
/** 201 when delivered at once, 202 when queued for retry, 200 for a replay. */
function submitStatus(created: boolean, status: string) {
  if (!created) return 200;
  return status === 'queued' ? 202 : 201;
}

/** A changed deployment: 200 when applied, 202 when queued for retry. */
function sendDeploymentChange(res: express.Response, record: SubjectRecord) {
  sendSuccess(
    res,
    `Deployment ${record.status}`,
    toView(record),
    record.status === 'queued' ? 202 : 200,
  );
}

/** The `/v1` API, typed and validated from `src/schema/openapi.yaml`. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { ctx, httpAuth, auth, logger, toolUis = [], catalogSync } = options;
  const jobs = new TrainingJobs(ctx);
  const deployments = new Deployments(ctx);
  const reads = new ToolReads(ctx);
  const api = await createOpenApiRouter({
    middleware: [express.json({ limit: '1mb' })],
    // Backstage's httpAuth checks credentials; the spec only documents them.
    validatorOptions: { validateSecurity: false },
  });
  // The typed router's requests are express requests with typed params.
  const credentials = (req: unknown) =>
    httpAuth.credentials(req as express.Request, {
      allow: ['user', 'service'],
    });

  /** Each tool's health, and the catalog providers' state, as one message. */
  const healthMessage = (
    integrations: Array<Pick<IntegrationHealth, 'reachable'>>,
    providers: Array<Pick<CatalogSyncStatus, 'healthy'>>,
  ) => {
    const reachable = integrations.filter(i => i.reachable).length;
    const healthy = providers.filter(p => p.healthy).length;
    return `${reachable} of ${integrations.length} integrations reachable${
      providers.length
        ? `; ${healthy} of ${providers.length} catalog providers in sync`
        : ''
    }`;
  };

  api.get('/health', async (_req, res) => {
    // Public: no error text.
    const integrations = (await ctx.gateway.health()).map(
      ({ lastError: _hidden, ...entry }) => entry,
    );
    const catalogProviders = (catalogSync?.list() ?? []).map(
      ({ failures, skipped, ...entry }) => ({
        ...entry,
        failedParts: failures.length,
        skippedItems: skipped.length,
      }),
    );
    sendSuccess(res, healthMessage(integrations, catalogProviders), {
      integrations,
      catalogProviders,
    });
  });

  api.get('/integrations', async (req, res) => {
    await credentials(req);
    const integrations = await ctx.gateway.health();
    const catalogProviders = catalogSync?.list() ?? [];
    sendSuccess(res, healthMessage(integrations, catalogProviders), {
      integrations,
      catalogProviders,
    });
  });

  // The providers' state alone, without pinging every tool as /integrations does.
  api.get('/catalog-providers', async (req, res) => {
    await credentials(req);
    const items = catalogSync?.list() ?? [];
    const inSync = items.filter(p => p.healthy).length;
    sendSuccess(res, `${inSync} of ${items.length} catalog providers in sync`, {
      items,
    });
  });

  api.post('/revalidate', async (req, res) => {
    await credentials(req);
    const summary = await revalidateAll(ctx, auth);
    sendSuccess(
      res,
      `${summary.nonCompliant} of ${summary.checked} non-compliant`,
      summary,
    );
  });

  // Training jobs
  api.post('/training-jobs/validate', async (req, res) => {
    const result = await jobs.validate(req.body.spec, await credentials(req));
    sendSuccess(
      res,
      result.valid ? 'The spec is valid' : `${result.errors.length} error(s)`,
      {
        valid: result.valid,
        errors: result.errors,
      },
    );
  });

  api.post('/training-jobs', async (req, res) => {
    const { job, created } = await jobs.submit(
      req.body.spec,
      await credentials(req),
      req.header('idempotency-key'),
    );
    sendSuccess(
      res,
      `Training job ${job.status}`,
      toView(job),
      submitStatus(created, job.status),
    );
  });

  api.get('/training-jobs', async (req, res) => {
    await credentials(req);
    const { cursor, limit, ...filters } = req.query;
    const page = await ctx.store.list('training_jobs', {
      filters,
      cursor,
      limit: limit ?? PAGE_SIZE,
    });
    sendSuccess(res, `${page.items.length} training job(s)`, {
      items: page.items.map(toView),
      nextCursor: page.nextCursor,
    });
  });

  api.get('/training-jobs/:id', async (req, res) => {
    await credentials(req);
    sendSuccess(res, 'Training job', await jobs.describe(req.params.id));
  });

  api.post('/training-jobs/:id/cancel', async (req, res) => {
    const job = await jobs.cancel(req.params.id, await credentials(req));
    sendSuccess(res, `Training job ${job.status}`, toView(job));
  });

  api.post('/training-jobs/:id/retry', async (req, res) => {
    const job = await jobs.retry(req.params.id, await credentials(req));
    sendSuccess(res, `Training job ${job.status}`, toView(job));
  });

  // Deployments
  api.post('/deployments/validate', async (req, res) => {
    const result = await deployments.validate(
      req.body.spec,
      await credentials(req),
    );
    sendSuccess(
      res,
      result.valid ? 'The spec is valid' : `${result.errors.length} error(s)`,
      {
        valid: result.valid,
        errors: result.errors,
      },
    );
  });

  api.post('/deployments', async (req, res) => {
    const { deployment, created } = await deployments.create(
      req.body as DeploymentRequest,
      await credentials(req),
      req.header('idempotency-key'),
    );
    sendSuccess(
      res,
      `Deployment ${deployment.status}`,
      toView(deployment),
      submitStatus(created, deployment.status),
    );
  });

  api.get('/deployments', async (req, res) => {
    await credentials(req);
    const { cursor, limit, ...filters } = req.query;
    const page = await ctx.store.list('deployments', {
      filters,
      cursor,
      limit: limit ?? PAGE_SIZE,
    });
    sendSuccess(res, `${page.items.length} deployment(s)`, {
      items: page.items.map(toView),
      nextCursor: page.nextCursor,
    });
  });

  api.get('/deployments/:id', async (req, res) => {
    await credentials(req);
    const record = await ctx.store.require('deployments', req.params.id);
    sendSuccess(res, 'Deployment', await describeSubject(ctx, record));
  });

  api.get('/deployments/:id/status', async (req, res) => {
    await credentials(req);
    const record = await ctx.store.require('deployments', req.params.id);
    const { backend } = record.spec as { backend: string };
    const ref = record.toolState['apply-deployment'] as
      | { id: string; namespace?: string }
      | undefined;
    if (!ref) {
      sendSuccess(res, `Deployment ${record.status}: not applied yet`, {
        ready: false,
        conditions: [],
        stale: false,
      });
      return;
    }
    const data = await reads.read(
      'serving',
      `deployment-status:${record.id}`,
      (a, signal) => a.getDeploymentStatus(ref, signal),
      { ready: false, conditions: [] },
      backend,
    );
    sendSuccess(res, data.ready ? 'Ready' : 'Not ready', data);
  });

  api.put('/deployments/:id', async (req, res) => {
    const record = await deployments.update(
      req.params.id,
      req.body,
      await credentials(req),
    );
    sendDeploymentChange(res, record);
  });

  for (const direction of ['promote', 'rollback'] as const) {
    api.post(`/deployments/:id/${direction}`, async (req, res) => {
      const record = await deployments.shiftTraffic(
        req.params.id,
        direction,
        await credentials(req),
      );
      sendDeploymentChange(res, record);
    });
  }

  // Reads from the tools, stale when a tool is down
  api.get('/experiments', async (req, res) => {
    await credentials(req);
    const { pageToken, maxResults } = req.query;
    const data = await reads.read(
      'experiment-tracking',
      `experiments:${pageToken}:${maxResults}`,
      (a, signal) => a.listExperiments({ pageToken, maxResults }, signal),
      { items: [] },
    );
    sendSuccess(res, `${data.items.length} experiment(s)`, data);
  });

  api.get('/experiments/:id/runs', async (req, res) => {
    await credentials(req);
    const { filter, pageToken, maxResults } = req.query;
    const data = await reads.read(
      'experiment-tracking',
      `runs:${req.params.id}:${filter}:${pageToken}:${maxResults}`,
      (a, signal) =>
        a.searchRuns(
          { experimentIds: [req.params.id], filter, pageToken, maxResults },
          signal,
        ),
      { items: [] },
    );
    sendSuccess(res, `${data.items.length} run(s)`, data);
  });

  api.get('/runs/:id/metrics/:key', async (req, res) => {
    await credentials(req);
    const { id, key } = req.params;
    const data = await reads.read(
      'experiment-tracking',
      `metrics:${id}:${key}`,
      async (a, signal) => ({
        items: await a.getMetricHistory(id, key, signal),
      }),
      { items: [] },
    );
    sendSuccess(res, `${data.items.length} point(s)`, data);
  });

  api.get('/models', async (req, res) => {
    await credentials(req);
    const { pageToken, maxResults } = req.query;
    const data = await reads.read(
      'experiment-tracking',
      `models:${pageToken}:${maxResults}`,
      (a, signal) => a.listRegisteredModels({ pageToken, maxResults }, signal),
      { items: [] },
    );
    sendSuccess(res, `${data.items.length} registered model(s)`, data);
  });

  api.get('/models/:name', async (req, res) => {
    await credentials(req);
    const { name } = req.params;
    const data = await reads.read(
      'experiment-tracking',
      `model:${name}`,
      (a, signal) => a.getRegisteredModel(name, signal),
      { name, aliases: {}, versions: [] },
    );
    sendSuccess(
      res,
      `Registered model ${name}: ${data.versions.length} version(s)`,
      data,
    );
  });

  api.get('/models/:name/runs', async (req, res) => {
    await credentials(req);
    const { name } = req.params;
    const { pageToken, maxResults } = req.query;
    const data = await reads.read(
      'experiment-tracking',
      `model-runs:${name}:${pageToken}:${maxResults}`,
      (a, signal) => a.listModelRuns(name, { pageToken, maxResults }, signal),
      { items: [] },
    );
    sendSuccess(res, `${data.items.length} run(s)`, data);
  });

  api.put('/models/:name/aliases/:alias', async (req, res) => {
    const { name, alias } = req.params;
    const { version } = req.body;
    await authorize(ctx, modelAliasUpdatePermission, await credentials(req));
    const tracker = ctx.gateway.require('experiment-tracking');
    // One queue per alias: a newer change supersedes one still waiting.
    const subjectId = `alias:${createHash('sha1')
      .update(`${name}\n${alias}`)
      .digest('hex')}`;
    await ctx.store.dropPending(
      subjectId,
      'superseded by a newer alias change',
    );
    const data = { name, alias, version };
    try {
      await ctx.gateway.call(tracker, (a, signal) =>
        a.setModelAlias(name, alias, version, signal),
      );
    } catch (error) {
      if (!(error instanceof ToolUnavailableError)) throw error;
      // The tool is down: the change waits in the durable retry queue.
      await ensureQueueCapacity(ctx);
      await ctx.store.enqueue(subjectId, [
        {
          tool: tracker.tool,
          operation: 'set-model-alias',
          payload: data,
          dedupeKey: `${subjectId}:${randomUUID()}`,
        },
      ]);
      logger.info(
        `Alias ${alias} of ${name} → ${version} queued: ${error.message}`,
      );
      sendSuccess(
        res,
        `${name}@${alias} → ${version} queued: ${error.message}`,
        { ...data, status: 'queued' },
        202,
      );
      return;
    }
    logger.info(`Alias ${alias} of ${name} now points at version ${version}`);
    sendSuccess(res, `${name}@${alias} is version ${version}`, {
      ...data,
      status: 'applied',
    });
  });

  api.get('/ui', async (req, res) => {
    await credentials(req);
    sendSuccess(res, `${toolUis.length} tool UI(s)`, { items: toolUis });
  });

  api.get('/datasets', async (req, res) => {
    await credentials(req);
    const data = await reads.read(
      'data-versioning',
      'datasets',
      async (a, signal) => ({ items: await a.listDatasets(signal) }),
      { items: [] },
    );
    sendSuccess(res, `${data.items.length} dataset(s)`, data);
  });

  api.get('/datasets/:name/versions', async (req, res) => {
    const caller = await credentials(req);
    const ref = {
      kind: 'Dataset',
      namespace: req.query.namespace ?? 'default',
      name: req.params.name,
    };
    const entity = await ctx.catalog.getEntityByRef(ref, {
      credentials: caller,
    });
    if (!entity || !isDatasetEntity(entity)) {
      throw new NotFoundError(
        `dataset:${ref.namespace}/${ref.name} is not in the catalog`,
      );
    }
    const location = entity.spec.dvc;
    if (!location) {
      throw new NotFoundError(
        `dataset:${ref.namespace}/${ref.name} has no spec.dvc (repository and path), so no tool holds its versions`,
      );
    }
    const data = await reads.read(
      'data-versioning',
      `dataset-versions:${location.repo}:${location.path}`,
      async (a, signal) => {
        const id = await a.findDataset(location, signal);
        if (!id) {
          throw new NotFoundError(
            `${a.tool}: no configured repository is ${location.repo} (dataset:${ref.namespace}/${ref.name})`,
          );
        }
        return { items: await a.listDatasetVersions(id, signal) };
      },
      { items: [] },
    );
    sendSuccess(res, `${data.items.length} version(s)`, data);
  });

  const router = Router();
  router.use('/v1', api);
  if (options.toolUiRouter) router.use('/ui', options.toolUiRouter);
  router.use(() => {
    throw new NotFoundError('No such llm-ops API route');
  });
  router.use(envelopeErrorHandler(logger));
  return router;
}

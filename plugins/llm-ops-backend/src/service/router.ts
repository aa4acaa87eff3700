import express from 'express';
import Router from 'express-promise-router';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  checkIntegrationHealth,
  HealthTarget,
} from '@llmops/plugin-llm-ops-node';
import { envelopeErrorHandler, sendSuccess } from './envelope';

export interface RouterOptions {
  logger: LoggerService;
  /** The tools to report on, built once at start-up. */
  integrations: HealthTarget[];
}

/** The `/v1` API. Backstage mounts it at `/api/llm-ops`. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { logger, integrations } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/v1/health', async (_req, res) => {
    const report = await checkIntegrationHealth(integrations);
    const reachable = report.filter(i => i.reachable).length;
    sendSuccess(
      res,
      `${reachable} of ${report.length} integrations reachable`,
      { integrations: report },
    );
  });

  router.use(() => {
    throw new NotFoundError('No such llm-ops API route');
  });
  router.use(envelopeErrorHandler(logger));
  return router;
}

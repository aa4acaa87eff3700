import type { Deployment } from '@llmops/plugin-llm-ops-common';
import type { Deployments } from '../Deployments';
import { submitStatus, validationReply } from './trainingJobs.router';
import { ApiRouter, Credentials, success } from './types';

/** A changed deployment: 200 when applied, 202 when queued for retry. */
const changed = (deployment: Deployment) =>
  [
    deployment.status === 'queued' ? 202 : 200,
    success(`Deployment ${deployment.status}`, deployment),
  ] as const;

export function bindDeploymentEndpoints(
  router: ApiRouter,
  deps: { deployments: Deployments; credentials: Credentials },
) {
  const { deployments, credentials } = deps;

  router.post('/deployments/validate', async (req, res) => {
    const { spec, ...target } = req.body;
    res.json(
      validationReply(
        await deployments.validate(spec, await credentials(req), target),
      ),
    );
  });

  router.post('/deployments', async (req, res) => {
    const { deployment, created } = await deployments.create(
      req.body,
      await credentials(req),
      req.header('idempotency-key'),
    );
    res
      .status(submitStatus(created, deployment.status))
      .json(success(`Deployment ${deployment.status}`, deployment));
  });

  router.get('/deployments', async (req, res) => {
    await credentials(req);
    const page = await deployments.list(req.query);
    res.json(success(`${page.items.length} deployment(s)`, page));
  });

  router.get('/deployments/:id', async (req, res) => {
    await credentials(req);
    res.json(success('Deployment', await deployments.describe(req.params.id)));
  });

  router.get('/deployments/:id/status', async (req, res) => {
    await credentials(req);
    const status = await deployments.status(req.params.id);
    res.json(success(status.ready ? 'Ready' : 'Not ready', status));
  });

  router.put('/deployments/:id', async (req, res) => {
    const [code, body] = changed(
      await deployments.update(req.params.id, req.body, await credentials(req)),
    );
    res.status(code).json(body);
  });

  router.post('/deployments/:id/promote', async (req, res) => {
    const [code, body] = changed(
      await deployments.shiftTraffic(
        req.params.id,
        'promote',
        await credentials(req),
      ),
    );
    res.status(code).json(body);
  });

  router.post('/deployments/:id/retry', async (req, res) => {
    const [code, body] = changed(
      await deployments.retry(req.params.id, await credentials(req)),
    );
    res.status(code).json(body);
  });

  router.post('/deployments/:id/rollback', async (req, res) => {
    const [code, body] = changed(
      await deployments.shiftTraffic(
        req.params.id,
        'rollback',
        await credentials(req),
      ),
    );
    res.status(code).json(body);
  });
}

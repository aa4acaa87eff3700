import type { TrainingJobs } from '../TrainingJobs';
import { ApiRouter, Credentials, success } from './types';

/** 201 when delivered at once, 202 when queued for retry, 200 for a replay. */
export function submitStatus(created: boolean, status: string) {
  if (!created) return 200;
  return status === 'queued' ? 202 : 201;
}

/** A validation result, with its summary. */
export function validationReply(result: { valid: boolean; errors: Array<{ path: string; rule: string; message: string }> }) {
  return success(
    result.valid ? 'The spec is valid' : `${result.errors.length} error(s)`,
    { valid: result.valid, errors: result.errors },
  );
}

export function bindTrainingJobEndpoints(
  router: ApiRouter,
  deps: { jobs: TrainingJobs; credentials: Credentials },
) {
  const { jobs, credentials } = deps;

  router.post('/training-jobs/validate', async (req, res) => {
    res.json(validationReply(await jobs.validate(req.body.spec, await credentials(req))));
  });

  router.post('/training-jobs', async (req, res) => {
    const { job, created } = await jobs.submit(
      req.body.spec,
      await credentials(req),
      req.header('idempotency-key'),
    );
    res.status(submitStatus(created, job.status)).json(success(`Training job ${job.status}`, job));
  });

  router.get('/training-jobs', async (req, res) => {
    await credentials(req);
    const page = await jobs.list(req.query);
    res.json(success(`${page.items.length} training job(s)`, page));
  });

  router.get('/training-jobs/:id', async (req, res) => {
    await credentials(req);
    res.json(success('Training job', await jobs.describe(req.params.id)));
  });

  router.post('/training-jobs/:id/cancel', async (req, res) => {
    const job = await jobs.cancel(req.params.id, await credentials(req));
    res.json(success(`Training job ${job.status}`, job));
  });

  router.post('/training-jobs/:id/retry', async (req, res) => {
    const job = await jobs.retry(req.params.id, await credentials(req));
    res.json(success(`Training job ${job.status}`, job));
  });
}

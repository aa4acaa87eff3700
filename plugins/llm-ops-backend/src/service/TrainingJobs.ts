import { randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  trainingJobCancelPermission,
  trainingJobRetryPermission,
  trainingJobCreatePermission,
  trainJobToArgoWorkflow,
  trainJobToMlflow,
  trainJobWorkflowName,
  TrainingJob,
  TrainingJobDetail,
  TrainingJobPage,
  validateTrainJobSpec,
  MLFLOW_TAGS,
} from '@llmops/plugin-llm-ops-common';
import { describeError } from '@llmops/plugin-llm-ops-node';
import { hashRequest } from '../database/idempotency';
import type { Filters } from '../database/SubjectTable';
import { NewOutboxItem, OutboxItem, queueItem } from '../queue/operations';
import {
  ApiContext,
  authorize,
  convertOrRefuse,
  ensureQueueCapacity,
  ownerOf,
  refuseNonCompliant,
  requeueFailedDeliveries,
  requireValid,
  validationOptions,
} from './context';
import { authorizeTrainingJob } from './trainingJobPermissions';
import { describeTrainingJob, toTrainingJob } from './views';

const KIND = 'training_jobs' as const;
const PAGE_SIZE = 50;

/** Training jobs: validated, stored, delivered to Argo and MLflow, cancelled, retried. */
export class TrainingJobs {
  constructor(private readonly ctx: ApiContext) {}

  validate(spec: unknown, credentials: BackstageCredentials) {
    return validateTrainJobSpec(spec, validationOptions(this.ctx, credentials));
  }

  /** Validates, stores and dispatches a job; delivery is retried if a tool is down. */
  async submit(
    body: unknown,
    credentials: BackstageCredentials,
    idempotencyKey?: string,
  ): Promise<{ job: TrainingJob; created: boolean }> {
    await authorize(this.ctx, trainingJobCreatePermission, credentials);
    const spec = requireValid(await this.validate(body, credentials));
    const orchestrator = this.ctx.tools.require('orchestration');
    const tracker = this.ctx.tools.find('experiment-tracking');
    await ensureQueueCapacity(this.ctx);

    const id = randomUUID();
    const conversion = { ...this.ctx.specs, jobId: id };
    // The orchestrator names the workflow after the job id (idempotency).
    const outbox: NewOutboxItem[] = [
      queueItem('submit-workflow', {
        tool: orchestrator.tool,
        dedupeKey: `${id}:submit-workflow`,
        payload: {
          workflow: convertOrRefuse(() =>
            trainJobToArgoWorkflow(spec, conversion),
          ),
        },
      }),
    ];
    if (tracker) {
      const run = trainJobToMlflow(spec, conversion);
      outbox.push(
        queueItem('create-run', {
          tool: tracker.tool,
          dedupeKey: `${id}:create-run`,
          payload: {
            experimentName: run.experiment_name,
            runName: run.run_name,
            params: run.params,
            tags: { ...run.tags, [MLFLOW_TAGS.jobId]: id },
          },
        }),
      );
    }
    const result = await this.ctx.db.trainingJobs.insert(
      {
        id,
        kind: KIND,
        owner: ownerOf(credentials),
        status: 'queued',
        spec,
        jobType: spec.job_type,
        modelFamily: spec.model_family,
      },
      outbox,
      idempotencyKey
        ? { key: idempotencyKey, requestHash: hashRequest(body) }
        : undefined,
    );
    if (result.created) await this.ctx.queue.deliverDue(id);
    const job = await this.ctx.db.trainingJobs.require(result.record.id);
    return { job: toTrainingJob(job), created: result.created };
  }

  async list(
    query: Filters[typeof KIND] & { cursor?: string; limit?: number },
  ): Promise<TrainingJobPage> {
    const { cursor, limit, ...filters } = query;
    const page = await this.ctx.db.trainingJobs.list({
      filters,
      cursor,
      limit: limit ?? PAGE_SIZE,
    });
    return {
      items: page.items.map(r => toTrainingJob(r)),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Cancels a job. One never delivered is cancelled at once; one whose
   * workflow exists, or whose submission is in flight, is `cancelling`
   * until the orchestrator confirms the workflow stopped (the lifecycle
   * tracker reads it). The stop names the workflow as the converter does,
   * so it reaches a workflow whose submission had not returned yet.
   */
  async cancel(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<TrainingJob> {
    const job = await this.ctx.db.trainingJobs.require(id);
    await authorizeTrainingJob(
      this.ctx,
      trainingJobCancelPermission,
      credentials,
      job,
    );
    if (
      ['cancelled', 'cancelling', 'succeeded', 'failed'].includes(job.status)
    ) {
      throw new ConflictError(`Job ${id} is already ${job.status}`);
    }
    // Items not claimed by a delivery never will be; one in flight may still create the workflow.
    await this.ctx.db.outbox.dropPending(id, 'cancelled before delivery');
    const submit = (await this.ctx.db.outbox.forSubject(id)).find(
      i => i.operation === 'submit-workflow',
    );
    const mayExist =
      submit?.state === 'delivered' || submit?.state === 'pending';
    if (!mayExist) {
      await this.ctx.db.trainingJobs.update(id, {
        status: 'cancelled',
        reason: 'cancelled by user before delivery',
        actor: ownerOf(credentials),
      });
      return toTrainingJob(await this.ctx.db.trainingJobs.require(id));
    }
    const workflow = job.toolState['submit-workflow'];
    const orchestrator = this.ctx.tools.require('orchestration');
    await this.ctx.db.outbox.enqueue(id, [
      queueItem('stop-workflow', {
        tool: orchestrator.tool,
        dedupeKey: `${id}:stop-workflow`,
        payload: {
          id: workflow?.id ?? trainJobWorkflowName(id),
          namespace: workflow?.namespace ?? workflowNamespace(submit),
        },
      }),
    ]);
    await this.ctx.db.trainingJobs.update(id, {
      status: 'cancelling',
      reason: `cancel asked by ${ownerOf(credentials)}`,
      actor: ownerOf(credentials),
    });
    await this.ctx.queue.deliverDue(id);
    return toTrainingJob(await this.ctx.db.trainingJobs.require(id));
  }

  /** Puts a failed job's deliveries back in the queue. */
  async retry(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<TrainingJob> {
    const job = await this.ctx.db.trainingJobs.require(id);
    await authorizeTrainingJob(
      this.ctx,
      trainingJobRetryPermission,
      credentials,
      job,
    );
    refuseNonCompliant(job);
    if (job.status === 'cancelled')
      throw new ConflictError(`Job ${id} is cancelled`);
    await requeueFailedDeliveries(this.ctx, 'trainingJobs', id, 'Job');
    return toTrainingJob(await this.ctx.db.trainingJobs.require(id));
  }

  /** The job with its history, deliveries and (when reachable) its workflow's state. */
  async describe(id: string): Promise<TrainingJobDetail> {
    const job = await this.ctx.db.trainingJobs.require(id);
    const detail = await describeTrainingJob(this.ctx, job);
    const ref = job.toolState['submit-workflow'];
    const orchestrator = this.ctx.tools.find('orchestration');
    if (!ref || !orchestrator) return detail;
    try {
      const workflowStatus = await this.ctx.tools.call(
        orchestrator,
        (a, signal) => a.getWorkflow(ref, signal),
      );
      return { ...detail, workflowStatus };
    } catch (error) {
      return { ...detail, workflowStatusError: describeError(error) };
    }
  }
}

/** The namespace a submission puts its workflow in, when it names one. */
function workflowNamespace(submit: OutboxItem): string | undefined {
  if (submit.operation !== 'submit-workflow') return undefined;
  const workflow = submit.payload.workflow as {
    metadata?: { namespace?: string };
  };
  return workflow.metadata?.namespace;
}

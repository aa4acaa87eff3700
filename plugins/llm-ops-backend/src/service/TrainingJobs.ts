import { randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  trainingJobCancelPermission,
  trainingJobCreatePermission,
  trainJobToArgoWorkflow,
  trainJobToMlflow,
  validateTrainJobSpec,
} from '@llmops/plugin-llm-ops-common';
import type { NewOutboxItem, SubjectRecord } from '../database/LlmOpsStore';
import { hashRequest } from '../database/LlmOpsStore';
import {
  ApiContext,
  authorize,
  ensureQueueCapacity,
  ownerOf,
  refuseNonCompliant,
  requireValid,
  validationOptions,
} from './context';
import { describeSubject } from './subjects';

const KIND = 'training_jobs' as const;

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
  ): Promise<{ job: SubjectRecord; created: boolean }> {
    await authorize(this.ctx, trainingJobCreatePermission, credentials);
    const spec = requireValid(await this.validate(body, credentials));
    const orchestrator = this.ctx.gateway.require('orchestration');
    const tracker = this.ctx.gateway.find('experiment-tracking');
    await ensureQueueCapacity(this.ctx);

    const id = randomUUID();
    const conversion = {
      images: this.ctx.specs.images,
      environment: this.ctx.specs.environment,
      gpuAvailable: this.ctx.specs.gpuAvailable,
    };
    // The orchestrator names the workflow after the job id (idempotency).
    const workflow = trainJobToArgoWorkflow(spec, conversion);
    const outbox: NewOutboxItem[] = [
      {
        tool: orchestrator.tool,
        operation: 'submit-workflow',
        dedupeKey: `${id}:submit-workflow`,
        payload: { workflow },
      },
    ];
    if (tracker) {
      const run = trainJobToMlflow(spec, conversion);
      outbox.push({
        tool: tracker.tool,
        operation: 'create-run',
        dedupeKey: `${id}:create-run`,
        payload: {
          experimentName: run.experiment_name,
          runName: run.run_name,
          params: run.params,
          tags: { ...run.tags, 'llmops.job_id': id },
        },
      });
    }
    const result = await this.ctx.store.insert(
      {
        id,
        kind: KIND,
        owner: ownerOf(credentials),
        status: 'queued',
        spec: spec as unknown as Record<string, unknown>,
        columns: { job_type: spec.job_type, model_family: spec.model_family },
      },
      outbox,
      idempotencyKey ? { key: idempotencyKey, requestHash: hashRequest(body) } : undefined,
    );
    if (result.created) await this.ctx.queue.deliverDue(id);
    return {
      job: (await this.ctx.store.get(KIND, result.record.id))!,
      created: result.created,
    };
  }

  async cancel(id: string, credentials: BackstageCredentials) {
    await authorize(this.ctx, trainingJobCancelPermission, credentials);
    const job = await this.ctx.store.require(KIND, id);
    if (['cancelled', 'succeeded', 'failed'].includes(job.status)) {
      throw new ConflictError(`Job ${id} is already ${job.status}`);
    }
    // Not yet delivered: it never will be. Delivered: stop the workflow.
    await this.ctx.store.dropPending(id, 'cancelled before delivery');
    const workflow = job.toolState['submit-workflow'] as
      | { id: string; namespace?: string }
      | undefined;
    if (workflow) {
      const orchestrator = this.ctx.gateway.require('orchestration');
      await this.ctx.store.enqueue(id, [
        {
          tool: orchestrator.tool,
          operation: 'stop-workflow',
          dedupeKey: `${id}:stop-workflow`,
          payload: { id: workflow.id, namespace: workflow.namespace },
        },
      ]);
    }
    await this.ctx.store.update(KIND, id, { status: 'cancelled', reason: 'cancelled by user' });
    await this.ctx.queue.deliverDue(id);
    return (await this.ctx.store.get(KIND, id))!;
  }

  /** Puts a failed job's deliveries back in the queue. */
  async retry(id: string, credentials: BackstageCredentials) {
    await authorize(this.ctx, trainingJobCreatePermission, credentials);
    const job = await this.ctx.store.require(KIND, id);
    refuseNonCompliant(job);
    if (job.status === 'cancelled') throw new ConflictError(`Job ${id} is cancelled`);
    const count = await this.ctx.store.requeueFailed(id);
    if (count === 0) throw new ConflictError(`Job ${id} has no failed delivery to retry`);
    await this.ctx.store.update(KIND, id, { status: 'queued', reason: 'retried by hand', lastError: null });
    await this.ctx.queue.deliverDue(id);
    return (await this.ctx.store.get(KIND, id))!;
  }

  /** The job with its history, tool links and (when reachable) tool state. */
  async describe(id: string) {
    const job = await this.ctx.store.require(KIND, id);
    const view = await describeSubject(this.ctx, job);
    const ref = job.toolState['submit-workflow'] as { id: string; namespace?: string } | undefined;
    const orchestrator = this.ctx.gateway.find('orchestration');
    let toolStatus: Record<string, unknown> | undefined;
    if (ref && orchestrator) {
      try {
        toolStatus = {
          [orchestrator.tool]: await this.ctx.gateway.call(orchestrator, (a, signal) =>
            a.getWorkflow(ref, signal),
          ),
        };
      } catch (error) {
        toolStatus = { [orchestrator.tool]: { unavailable: (error as Error).message } };
      }
    }
    return { ...view, toolStatus };
  }
}


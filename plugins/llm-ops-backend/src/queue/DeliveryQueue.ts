import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { isTransientFailure } from '@llmops/plugin-llm-ops-node';
import type { OutboxStore } from '../database/OutboxStore';
import type { DeliveryHandler, DeliveryHandlers } from './deliveryHandlers';
import type { OperationName, OutboxItem, OutboxItemOf } from './operations';

export interface DeliveryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claimed item is locked against other instances. */
  leaseMs: number;
  batchSize: number;
  /** More pending items than this and new submissions get a 503. */
  maxPending: number;
}

/** Reads `llmOps.queue`, with defaults. */
export function readDeliveryOptions(config: Config): DeliveryOptions {
  const c = config.getOptionalConfig('llmOps.queue');
  return {
    maxAttempts: c?.getOptionalNumber('maxAttempts') ?? 10,
    baseDelayMs: c?.getOptionalNumber('baseDelayMs') ?? 2_000,
    maxDelayMs: c?.getOptionalNumber('maxDelayMs') ?? 300_000,
    leaseMs: c?.getOptionalNumber('leaseMs') ?? 60_000,
    batchSize: c?.getOptionalNumber('batchSize') ?? 50,
    maxPending: c?.getOptionalNumber('maxPending') ?? 10_000,
  };
}

/** Exponential backoff with jitter: half to all of base·2^(attempt-1). */
export function backoffMs(attempt: number, options: DeliveryOptions, random = Math.random) {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * The durable retry queue. Accepted submissions are stored as outbox items
 * in the same transaction as the job; this delivers the due ones, retrying
 * transient failures with backoff until `maxAttempts`, then marking them
 * failed with the reason. A tool's 4xx is not retried.
 */
export class DeliveryQueue {
  constructor(
    private readonly store: OutboxStore,
    private readonly handlers: DeliveryHandlers,
    private readonly options: DeliveryOptions,
    private readonly logger: LoggerService,
    /** Called after a subject's item settles, to update its status. */
    private readonly onSettled: (subjectId: string) => Promise<void>,
    /** A blocked subject (non-compliant) waits instead of being delivered. */
    private readonly isBlocked: (subjectId: string) => Promise<boolean>,
  ) {}

  /** Delivers every due item (of one subject, if given). */
  async deliverDue(subjectId?: string): Promise<number> {
    let delivered = 0;
    for (;;) {
      const items = await this.store.claimDue(
        this.options.batchSize,
        this.options.leaseMs,
        subjectId,
      );
      if (items.length === 0) return delivered;
      const outcomes = await Promise.all(items.map(item => this.deliver(item)));
      delivered += outcomes.filter(Boolean).length;
      for (const id of new Set(items.map(item => item.subjectId))) {
        await this.onSettled(id);
      }
      if (items.length < this.options.batchSize) return delivered;
    }
  }

  /** The handler of an item's operation, typed by it. */
  private handle<K extends OperationName>(item: OutboxItemOf<K>) {
    const handler = this.handlers[item.operation as K] as DeliveryHandler<K>;
    return handler(item);
  }

  private async deliver(item: OutboxItem): Promise<boolean> {
    const attempts = item.attempts + 1;
    if (await this.isBlocked(item.subjectId)) {
      await this.store.settle(item.seq, {
        state: 'pending',
        attempts: item.attempts,
        nextAttemptAt: new Date(Date.now() + this.options.maxDelayMs).toISOString(),
        error: 'held: the subject is non-compliant',
      });
      return false;
    }
    try {
      const result = await this.handle(item);
      await this.store.settle(item.seq, { state: 'delivered', result });
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (isTransientFailure(error) && attempts < this.options.maxAttempts) {
        const next = new Date(Date.now() + backoffMs(attempts, this.options));
        await this.store.settle(item.seq, {
          state: 'pending',
          attempts,
          nextAttemptAt: next.toISOString(),
          error: reason,
        });
      } else {
        this.logger.warn(
          `Delivery of ${item.operation} for ${item.subjectId} to ${item.tool} failed after ${attempts} attempt(s): ${reason}`,
        );
        await this.store.settle(item.seq, { state: 'failed', attempts, error: reason });
      }
      return false;
    }
  }
}

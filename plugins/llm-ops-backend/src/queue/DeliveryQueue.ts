import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  isTransientFailure,
  readBreakerOptions,
  toolErrorData,
} from '@llmops/plugin-llm-ops-node';
import type { ClaimedItem, OutboxStore } from '../database/OutboxStore';
import type { DeliveryHandler, DeliveryHandlers } from './deliveryHandlers';
import type { OperationName, OutboxItemOf } from './operations';

export interface DeliveryOptions {
  /**
   * At most this many real attempts (the tool was called and failed)
   * before an item is marked failed; unset, only the deadline applies.
   */
  maxAttempts?: number;
  /** An item still undelivered this long after it was enqueued is failed. */
  giveUpAfterMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claimed item is locked against other instances. */
  leaseMs: number;
  batchSize: number;
  /** More pending items than this and new submissions get a 503. */
  maxPending: number;
}

/**
 * Reads `llmOps.queue`, with defaults. Refuses a lease no longer than the
 * circuit breaker's call timeout (`llmOps.circuitBreaker.callTimeoutMs`):
 * a claim would expire while its call may still reach the tool.
 */
export function readDeliveryOptions(config: Config): DeliveryOptions {
  const c = config.getOptionalConfig('llmOps.queue');
  const options: DeliveryOptions = {
    maxAttempts: c?.getOptionalNumber('maxAttempts'),
    giveUpAfterMs: (c?.getOptionalNumber('giveUpAfterHours') ?? 24) * 3_600_000,
    baseDelayMs: c?.getOptionalNumber('baseDelayMs') ?? 2_000,
    maxDelayMs: c?.getOptionalNumber('maxDelayMs') ?? 300_000,
    leaseMs: c?.getOptionalNumber('leaseMs') ?? 60_000,
    batchSize: c?.getOptionalNumber('batchSize') ?? 50,
    maxPending: c?.getOptionalNumber('maxPending') ?? 10_000,
  };
  const { callTimeoutMs } = readBreakerOptions(config);
  if (options.leaseMs <= callTimeoutMs) {
    throw new Error(
      `llmOps.queue.leaseMs (${options.leaseMs} ms) must be longer than llmOps.circuitBreaker.callTimeoutMs (${callTimeoutMs} ms): a delivery's claim would expire while its tool call is still running`,
    );
  }
  if (!(options.giveUpAfterMs > 0)) {
    throw new Error('llmOps.queue.giveUpAfterHours must be more than 0');
  }
  return options;
}

/** Exponential backoff with jitter: half to all of base·2^(attempt-1). */
export function backoffMs(
  attempt: number,
  options: Pick<DeliveryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random = Math.random,
) {
  const ceiling = Math.min(
    options.maxDelayMs,
    options.baseDelayMs * 2 ** (Math.max(attempt, 1) - 1),
  );
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Whether a circuit breaker refused the call without calling the tool. */
function isCircuitOpen(error: unknown) {
  return toolErrorData(error)?.reason === 'circuit-open';
}

/** How a delivery ended, as far as the loop cares. */
type Outcome = 'delivered' | 'failed' | 'retry' | 'refused';

/**
 * The durable retry queue. Accepted submissions are stored as outbox items
 * in the same transaction as the job; this delivers the due ones, a
 * subject's one at a time in enqueue order, retrying transient failures
 * with backoff until `giveUpAfterMs` after the item was enqueued (or
 * `maxAttempts` real attempts, if set), then marking them failed with the
 * reason. A rejection by an open circuit is not an attempt. A tool's 4xx
 * is not retried. Every settlement is fenced by the item's claim token.
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
    const attempted = new Set<number>();
    for (;;) {
      const items = await this.store.claimDue(
        this.options.batchSize,
        this.options.leaseMs,
        subjectId,
      );
      if (items.length === 0) return delivered;
      // one item per subject at most: a subject's next waits for this one
      const fresh = items.some(item => !attempted.has(item.seq));
      items.forEach(item => attempted.add(item.seq));
      const outcomes = await Promise.all(items.map(item => this.deliver(item)));
      delivered += outcomes.filter(o => o === 'delivered').length;
      for (const id of new Set(items.map(item => item.subjectId))) {
        await this.onSettled(id);
      }
      // Go on while a full batch may hide more, or a settled item let its
      // subject's next one through; not round an item retried at once.
      const settled = outcomes.some(o => o === 'delivered' || o === 'failed');
      if (!fresh || (items.length < this.options.batchSize && !settled)) {
        return delivered;
      }
    }
  }

  /** The handler of an item's operation, typed by it. */
  private handle<K extends OperationName>(item: OutboxItemOf<K>) {
    const handler = this.handlers[item.operation as K] as DeliveryHandler<K>;
    return handler(item);
  }

  private async deliver(item: ClaimedItem): Promise<Outcome> {
    if (await this.isBlocked(item.subjectId)) {
      return this.settle(item, 'retry', {
        state: 'pending',
        attempts: item.attempts,
        delayMs: this.options.maxDelayMs,
        error: 'held: the subject is non-compliant',
      });
    }
    try {
      const result = await this.handle(item as OutboxItemOf<OperationName>);
      return this.settle(item, 'delivered', { state: 'delivered', result });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const open = isCircuitOpen(error);
      // the breaker refused without calling the tool: not an attempt
      const attempts = open ? item.attempts : item.attempts + 1;
      const age = Date.now() - Date.parse(item.enqueuedAt);
      let giveUp: string | undefined;
      if (!isTransientFailure(error)) giveUp = 'not retried';
      else if (age >= this.options.giveUpAfterMs) {
        giveUp = `gave up ${Math.round(
          age / 60_000,
        )} min after it was enqueued`;
      } else if (
        this.options.maxAttempts !== undefined &&
        attempts >= this.options.maxAttempts
      ) {
        giveUp = `gave up after ${attempts} attempt(s)`;
      }
      if (!giveUp) {
        const retryAfterMs = open
          ? (error as { retryAfterSeconds?: number }).retryAfterSeconds
          : undefined;
        return this.settle(item, 'retry', {
          state: 'pending',
          attempts,
          delayMs:
            retryAfterMs !== undefined
              ? Math.min(this.options.maxDelayMs, retryAfterMs * 1000)
              : backoffMs(attempts, this.options),
          error: reason,
        });
      }
      this.logger.warn(
        `Delivery of ${item.operation} for ${item.subjectId} to ${item.tool} failed (${giveUp}, ${attempts} attempt(s)): ${reason}`,
      );
      return this.settle(item, 'failed', {
        state: 'failed',
        attempts,
        error: giveUp === 'not retried' ? reason : `${reason} (${giveUp})`,
      });
    }
  }

  /** Settles with the item's claim; a claim lost meanwhile is refused. */
  private async settle(
    item: ClaimedItem,
    outcome: Outcome,
    settlement: Parameters<OutboxStore['settle']>[1],
  ): Promise<Outcome> {
    if (await this.store.settle(item, settlement)) return outcome;
    this.logger.warn(
      `Delivery of ${item.operation} for ${item.subjectId} to ${item.tool} ended (${outcome}) after its claim was lost (lease expired, item dropped or claimed again): not recorded`,
    );
    return 'refused';
  }
}

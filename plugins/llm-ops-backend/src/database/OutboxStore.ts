import type { Knex } from 'knex';
import {
  isOperationName,
  NewOutboxItem,
  OutboxItem,
} from '../queue/operations';
import { fromJson, iso, OutboxRow } from './tables';

/** How a delivery attempt ended. */
export type Settlement =
  | { state: 'delivered'; result: object }
  | { state: 'pending'; attempts: number; nextAttemptAt: string; error: string }
  | { state: 'failed'; attempts: number; error: string };

function toItem(row: OutboxRow): OutboxItem {
  if (!isOperationName(row.operation)) {
    throw new Error(
      `outbox item ${row.seq} has an unknown operation ${row.operation}`,
    );
  }
  return {
    seq: Number(row.seq),
    subjectId: row.subject_id,
    tool: row.tool,
    operation: row.operation,
    payload: fromJson(row.payload, {}),
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: iso(row.next_attempt_at),
    lastError: row.last_error ?? undefined,
    result: fromJson<object | undefined>(row.result, undefined),
  } as OutboxItem;
}

/**
 * The durable delivery queue (the `outbox` table): what each accepted
 * submission still owes a tool, claimed with a lease so that two backend
 * instances never deliver the same item at once.
 */
export class OutboxStore {
  constructor(private readonly knex: Knex) {}

  /** The rows of new items; `insert` runs them in the caller's transaction. */
  static rows(subjectId: string, items: NewOutboxItem[], now: string) {
    return items.map(item => ({
      subject_id: subjectId,
      tool: item.tool,
      operation: item.operation,
      dedupe_key: item.dedupeKey,
      payload: JSON.stringify(item.payload),
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    }));
  }

  /** Adds items; one whose dedupe key is already queued is skipped. */
  async enqueue(subjectId: string, items: NewOutboxItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.knex('outbox')
      .insert(OutboxStore.rows(subjectId, items, new Date().toISOString()))
      .onConflict('dedupe_key')
      .ignore();
  }

  /**
   * Claims up to `limit` due items for `leaseMs`. A claim is a conditional
   * update, so two backend instances never deliver the same item at once.
   */
  async claimDue(
    limit: number,
    leaseMs: number,
    subjectId?: string,
  ): Promise<OutboxItem[]> {
    const now = new Date();
    const nowIso = now.toISOString();
    let q = this.knex<OutboxRow>('outbox')
      .where({ state: 'pending' })
      .andWhere('next_attempt_at', '<=', nowIso)
      .andWhere(b =>
        b.whereNull('locked_until').orWhere('locked_until', '<', nowIso),
      )
      .orderBy('seq')
      .limit(limit);
    if (subjectId) q = q.andWhere({ subject_id: subjectId });
    const candidates: OutboxRow[] = await q;
    const claimed: OutboxItem[] = [];
    const lockedUntil = new Date(now.getTime() + leaseMs).toISOString();
    for (const row of candidates) {
      const count = await this.knex('outbox')
        .where({ seq: row.seq, state: 'pending' })
        .andWhere(b =>
          b.whereNull('locked_until').orWhere('locked_until', '<', nowIso),
        )
        .update({ locked_until: lockedUntil, updated_at: nowIso });
      if (count === 1) claimed.push(toItem(row));
    }
    return claimed;
  }

  async settle(seq: number, outcome: Settlement): Promise<void> {
    const now = new Date().toISOString();
    const patch: Partial<Record<keyof OutboxRow, unknown>> = {
      state: outcome.state,
      locked_until: null,
      updated_at: now,
    };
    if (outcome.state === 'delivered') {
      patch.result = JSON.stringify(outcome.result);
      patch.last_error = null;
    } else {
      patch.attempts = outcome.attempts;
      patch.last_error = outcome.error;
      if (outcome.state === 'pending')
        patch.next_attempt_at = outcome.nextAttemptAt;
    }
    await this.knex('outbox').where({ seq }).update(patch);
  }

  /** A subject's items, oldest first. */
  async forSubject(subjectId: string): Promise<OutboxItem[]> {
    const rows: OutboxRow[] = await this.knex('outbox')
      .where({ subject_id: subjectId })
      .orderBy('seq');
    return rows.map(toItem);
  }

  /** Takes a subject's undelivered items out of the queue, with the reason. */
  async dropPending(subjectId: string, reason: string): Promise<number> {
    const nowIso = new Date().toISOString();
    // not those a delivery has claimed: in flight, they may still reach the tool
    return this.knex('outbox')
      .where({ subject_id: subjectId, state: 'pending' })
      .andWhere(b =>
        b.whereNull('locked_until').orWhere('locked_until', '<', nowIso),
      )
      .update({
        state: 'failed',
        last_error: reason,
        locked_until: null,
        updated_at: new Date().toISOString(),
      });
  }

  /** Puts a subject's failed items back in the queue, attempts reset. */
  async requeueFailed(subjectId: string): Promise<number> {
    const now = new Date().toISOString();
    return this.knex('outbox')
      .where({ subject_id: subjectId, state: 'failed' })
      .update({
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        updated_at: now,
      });
  }

  async countPending(): Promise<number> {
    const [{ count }] = await this.knex('outbox')
      .where({ state: 'pending' })
      .count({ count: '*' });
    return Number(count);
  }
}

import { randomUUID } from 'node:crypto';
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
  /** Back in the queue, due `delayMs` from now by the database's clock. */
  | { state: 'pending'; attempts: number; delayMs: number; error: string }
  | { state: 'failed'; attempts: number; error: string };

/** A claimed item: settled only with its claim token. */
export type ClaimedItem = OutboxItem & {
  /** Set at claim time; a settlement without it is refused. */
  claimToken: string;
  /** When the item was enqueued (its give-up deadline counts from then). */
  enqueuedAt: string;
};

/**
 * The database's clock, plus `plusMs`, as an SQL expression: leases are
 * compared with the database's time, never a backend instance's (whose
 * clock may be ahead or behind). SQLite stores ISO strings, so its time is
 * formatted the same way.
 */
function dbNow(knex: Knex, plusMs = 0): Knex.Raw {
  const client = String(knex.client.config.client ?? '');
  if (client.includes('sqlite')) {
    return knex.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)`, [
      `${plusMs >= 0 ? '+' : ''}${(plusMs / 1000).toFixed(3)} seconds`,
    ]);
  }
  if (client.includes('mysql')) {
    return knex.raw('TIMESTAMPADD(MICROSECOND, ?, CURRENT_TIMESTAMP(6))', [
      Math.round(plusMs * 1000),
    ]);
  }
  return knex.raw('clock_timestamp() + ?::interval', [
    `${Math.round(plusMs)} milliseconds`,
  ]);
}

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

  /**
   * In the caller's transaction: takes the subject's undelivered items of
   * the new items' operations out of the queue (state `superseded`, with
   * the reason), then adds the new ones. One a delivery has claimed is
   * left: in flight, it may still reach the tool, and the new one waits
   * behind it (a subject's items are delivered in order). How many were
   * superseded.
   */
  static async supersede(
    tx: Knex,
    subjectId: string,
    items: NewOutboxItem[],
    reason: string,
  ): Promise<number> {
    if (items.length === 0) return 0;
    const now = new Date().toISOString();
    const count = await tx('outbox')
      .where({ subject_id: subjectId, state: 'pending' })
      .whereIn('operation', [...new Set(items.map(item => item.operation))])
      .andWhere(b =>
        b.whereNull('locked_until').orWhere('locked_until', '<', dbNow(tx)),
      )
      .update({
        state: 'superseded',
        last_error: reason,
        locked_until: null,
        claim_token: null,
        updated_at: now,
      });
    await tx('outbox')
      .insert(OutboxStore.rows(subjectId, items, now))
      .onConflict('dedupe_key')
      .ignore();
    return count;
  }

  /** `supersede` in a transaction of its own (for a subject with no record). */
  replacePending(
    subjectId: string,
    items: NewOutboxItem[],
    reason: string,
  ): Promise<number> {
    return this.knex.transaction(tx =>
      OutboxStore.supersede(tx, subjectId, items, reason),
    );
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
   * Claims up to `limit` due items for `leaseMs` (by the database's clock),
   * each with a new claim token. A claim is a conditional update, so two
   * backend instances never deliver the same item at once; and only a
   * subject's oldest undelivered item is ever due, so a subject's items
   * are delivered one at a time, in the order they were enqueued.
   */
  async claimDue(
    limit: number,
    leaseMs: number,
    subjectId?: string,
  ): Promise<ClaimedItem[]> {
    const knex = this.knex;
    const unlocked = (b: Knex.QueryBuilder, table: string) =>
      b
        .whereNull(`${table}.locked_until`)
        .orWhere(`${table}.locked_until`, '<', dbNow(knex));
    // no earlier item of the same subject still waits (or is in flight)
    const first = (b: Knex.QueryBuilder, table: string) =>
      b.whereNotExists(
        knex('outbox as earlier')
          .select(knex.raw('1'))
          .whereRaw(`earlier.subject_id = ${table}.subject_id`)
          .andWhere('earlier.state', 'pending')
          .andWhereRaw(`earlier.seq < ${table}.seq`),
      );
    let q = knex<OutboxRow>('outbox')
      .where('outbox.state', 'pending')
      .andWhere('outbox.next_attempt_at', '<=', dbNow(knex))
      .andWhere(b => unlocked(b, 'outbox'))
      .modify(b => first(b, 'outbox'))
      .orderBy('outbox.seq')
      .limit(limit);
    if (subjectId) q = q.andWhere('outbox.subject_id', subjectId);
    const candidates: OutboxRow[] = await q;
    const claimed: ClaimedItem[] = [];
    for (const row of candidates) {
      const claimToken = randomUUID();
      const count = await knex('outbox')
        .where({ seq: row.seq, state: 'pending' })
        .andWhere(b => unlocked(b, 'outbox'))
        .modify(b => first(b, 'outbox'))
        .update({
          locked_until: dbNow(knex, leaseMs),
          claim_token: claimToken,
          updated_at: new Date().toISOString(),
        });
      if (count === 1) {
        claimed.push({
          ...toItem(row),
          claimToken,
          enqueuedAt: iso(row.created_at),
        });
      }
    }
    return claimed;
  }

  /**
   * Records how a claimed item's delivery ended, only if the claim still
   * holds (the item is pending with this claim token): a delivery whose
   * lease expired and whose item was claimed again, dropped or superseded
   * since is refused. Whether it was recorded.
   */
  async settle(
    claim: { seq: number; claimToken: string },
    outcome: Settlement,
  ): Promise<boolean> {
    const patch: Record<string, unknown> = {
      state: outcome.state,
      locked_until: null,
      claim_token: null,
      updated_at: new Date().toISOString(),
    };
    if (outcome.state === 'delivered') {
      patch.result = JSON.stringify(outcome.result);
      patch.last_error = null;
    } else {
      patch.attempts = outcome.attempts;
      patch.last_error = outcome.error;
      if (outcome.state === 'pending')
        patch.next_attempt_at = dbNow(this.knex, outcome.delayMs);
    }
    const count = await this.knex('outbox')
      .where({
        seq: claim.seq,
        state: 'pending',
        claim_token: claim.claimToken,
      })
      .update(patch);
    return count === 1;
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
    // not those a delivery has claimed: in flight, they may still reach the tool
    // (one whose lease expired is dropped, and its late result refused)
    return this.knex('outbox')
      .where({ subject_id: subjectId, state: 'pending' })
      .andWhere(b =>
        b
          .whereNull('locked_until')
          .orWhere('locked_until', '<', dbNow(this.knex)),
      )
      .update({
        state: 'failed',
        last_error: reason,
        locked_until: null,
        claim_token: null,
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
        locked_until: null,
        claim_token: null,
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

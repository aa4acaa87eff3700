import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';

/** The two kinds of submission the API stores. */
export type SubjectKind = 'training_jobs' | 'deployments';

export interface SubjectRecord {
  id: string;
  kind: SubjectKind;
  owner: string;
  status: string;
  spec: Record<string, unknown>;
  /** Filterable columns: job_type and model_family, or environment and model_ref. */
  columns: Record<string, string>;
  toolState: Record<string, unknown>;
  nonCompliantRules?: string[];
  lastError?: string;
  createdAt: string;
  updatedAt: string;
}

export interface OutboxItem {
  seq: number;
  subjectId: string;
  tool: string;
  operation: string;
  payload: Record<string, unknown>;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  result?: Record<string, unknown>;
}

export interface NewOutboxItem {
  tool: string;
  operation: string;
  payload: Record<string, unknown>;
  /** Unique: the same key is never enqueued (so never delivered) twice. */
  dedupeKey: string;
}

export interface ListQuery {
  filters: Record<string, string | undefined>;
  cursor?: string;
  limit: number;
}

const FILTER_COLUMNS: Record<SubjectKind, string[]> = {
  training_jobs: ['status', 'owner', 'job_type', 'model_family'],
  deployments: ['status', 'owner', 'environment', 'model_ref', 'name'],
};

const iso = (value: unknown) => new Date(value as string).toISOString();
const json = <T>(value: unknown, fallback: T): T =>
  typeof value === 'string' && value ? (JSON.parse(value) as T) : fallback;

/** The stable hash of a request body, to tell a replay from a new request. */
export function hashRequest(body: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map(k => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  };
  return createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
}

function encodeCursor(row: { created_at: unknown; id: string }) {
  return Buffer.from(JSON.stringify([iso(row.created_at), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      !Number.isNaN(Date.parse(value[0]))
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new InputError('cursor is not a cursor this API returned');
}

/** Jobs, deployments, their history, the delivery queue and cached reads. */
export class LlmOpsStore {
  static async create(database: DatabaseService): Promise<LlmOpsStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath('@llmops/plugin-llm-ops-backend', 'migrations'),
      });
    }
    return new LlmOpsStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  /**
   * Stores a new job or deployment and its delivery items in one
   * transaction. With an idempotency key, a replay of the same body returns
   * the stored record (`created: false`); another body is a conflict.
   */
  async insert(
    record: Omit<SubjectRecord, 'createdAt' | 'updatedAt' | 'toolState'>,
    outbox: NewOutboxItem[],
    idempotency?: { key: string; requestHash: string },
  ): Promise<{ record: SubjectRecord; created: boolean }> {
    const now = new Date().toISOString();
    const existing = idempotency
      ? await this.knex(record.kind)
          .where({ owner: record.owner, idempotency_key: idempotency.key })
          .first()
      : undefined;
    if (existing) return this.replay(record.kind, existing, idempotency!);
    try {
      await this.knex.transaction(async tx => {
        await tx(record.kind).insert({
          id: record.id,
          owner: record.owner,
          status: record.status,
          spec: JSON.stringify(record.spec),
          idempotency_key: idempotency?.key ?? null,
          request_hash: idempotency?.requestHash ?? null,
          tool_state: '{}',
          non_compliant_rules: record.nonCompliantRules
            ? JSON.stringify(record.nonCompliantRules)
            : null,
          last_error: null,
          created_at: now,
          updated_at: now,
          ...record.columns,
        });
        await tx('status_history').insert({
          subject_id: record.id,
          status: record.status,
          reason: 'accepted',
          at: now,
        });
        if (outbox.length) {
          await tx('outbox').insert(
            outbox.map(item => ({
              subject_id: record.id,
              tool: item.tool,
              operation: item.operation,
              dedupe_key: item.dedupeKey,
              payload: JSON.stringify(item.payload),
              state: 'pending',
              attempts: 0,
              next_attempt_at: now,
              created_at: now,
              updated_at: now,
            })),
          );
        }
      });
    } catch (error) {
      // Two identical requests raced: the loser returns the winner's record.
      if (idempotency) {
        const winner = await this.knex(record.kind)
          .where({ owner: record.owner, idempotency_key: idempotency.key })
          .first();
        if (winner) return this.replay(record.kind, winner, idempotency);
      }
      throw error;
    }
    return { record: (await this.get(record.kind, record.id))!, created: true };
  }

  private replay(
    kind: SubjectKind,
    row: Record<string, unknown>,
    idempotency: { key: string; requestHash: string },
  ) {
    if (row.request_hash !== idempotency.requestHash) {
      throw new ConflictError(
        `Idempotency-Key ${idempotency.key} was already used with a different request body`,
      );
    }
    return { record: this.toRecord(kind, row), created: false };
  }

  async get(kind: SubjectKind, id: string): Promise<SubjectRecord | undefined> {
    const row = await this.knex(kind).where({ id }).first();
    return row ? this.toRecord(kind, row) : undefined;
  }

  async require(kind: SubjectKind, id: string): Promise<SubjectRecord> {
    const record = await this.get(kind, id);
    if (!record) {
      throw new NotFoundError(
        `No ${kind === 'training_jobs' ? 'training job' : 'deployment'} with id ${id}`,
      );
    }
    return record;
  }

  async list(
    kind: SubjectKind,
    query: ListQuery,
  ): Promise<{ items: SubjectRecord[]; nextCursor?: string }> {
    let q = this.knex(kind)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit + 1);
    for (const column of FILTER_COLUMNS[kind]) {
      const value = query.filters[column];
      if (value !== undefined) q = q.where(column, value);
    }
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor);
      q = q.where(b =>
        b
          .where('created_at', '<', createdAt)
          .orWhere(b2 => b2.where('created_at', '=', createdAt).andWhere('id', '<', id)),
      );
    }
    const rows = await q;
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(row => this.toRecord(kind, row)),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]) : undefined,
    };
  }

  async listAll(kind: SubjectKind): Promise<SubjectRecord[]> {
    const rows = await this.knex(kind).select();
    return rows.map(row => this.toRecord(kind, row));
  }

  /** Changes a record's status (recording it in the history) and fields. */
  async update(
    kind: SubjectKind,
    id: string,
    change: {
      status?: string;
      reason?: string;
      spec?: Record<string, unknown>;
      columns?: Record<string, string>;
      toolState?: Record<string, unknown>;
      nonCompliantRules?: string[] | null;
      lastError?: string | null;
    },
  ): Promise<void> {
    const now = new Date().toISOString();
    await this.knex.transaction(async tx => {
      const row = await tx(kind).where({ id }).first();
      if (!row) throw new NotFoundError(`No record with id ${id}`);
      const patch: Record<string, unknown> = { updated_at: now, ...change.columns };
      if (change.status) patch.status = change.status;
      if (change.spec) patch.spec = JSON.stringify(change.spec);
      if (change.toolState) {
        patch.tool_state = JSON.stringify({
          ...json(row.tool_state, {}),
          ...change.toolState,
        });
      }
      if (change.nonCompliantRules !== undefined) {
        patch.non_compliant_rules = change.nonCompliantRules
          ? JSON.stringify(change.nonCompliantRules)
          : null;
      }
      if (change.lastError !== undefined) patch.last_error = change.lastError;
      await tx(kind).where({ id }).update(patch);
      if (change.status && change.status !== row.status) {
        await tx('status_history').insert({
          subject_id: id,
          status: change.status,
          reason: change.reason ?? null,
          at: now,
        });
      }
    });
  }

  async history(id: string) {
    const rows = await this.knex('status_history')
      .where({ subject_id: id })
      .orderBy('seq', 'asc');
    return rows.map(r => ({ status: r.status, reason: r.reason ?? undefined, at: iso(r.at) }));
  }

  async enqueue(subjectId: string, items: NewOutboxItem[]): Promise<void> {
    const now = new Date().toISOString();
    await this.knex('outbox')
      .insert(
        items.map(item => ({
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
        })),
      )
      .onConflict('dedupe_key')
      .ignore();
  }

  /**
   * Claims up to `limit` due items for `leaseMs`. A claim is a conditional
   * update, so two backend instances never deliver the same item at once.
   */
  async claimDue(limit: number, leaseMs: number, subjectId?: string): Promise<OutboxItem[]> {
    const now = new Date();
    const nowIso = now.toISOString();
    let q = this.knex('outbox')
      .where({ state: 'pending' })
      .andWhere('next_attempt_at', '<=', nowIso)
      .andWhere(b => b.whereNull('locked_until').orWhere('locked_until', '<', nowIso))
      .orderBy('seq')
      .limit(limit);
    if (subjectId) q = q.andWhere({ subject_id: subjectId });
    const candidates = await q;
    const claimed: OutboxItem[] = [];
    const lockedUntil = new Date(now.getTime() + leaseMs).toISOString();
    for (const row of candidates) {
      const count = await this.knex('outbox')
        .where({ seq: row.seq, state: 'pending' })
        .andWhere(b => b.whereNull('locked_until').orWhere('locked_until', '<', nowIso))
        .update({ locked_until: lockedUntil, updated_at: nowIso });
      if (count === 1) claimed.push(this.toOutbox(row));
    }
    return claimed;
  }

  async settle(
    seq: number,
    outcome:
      | { state: 'delivered'; result: Record<string, unknown> }
      | { state: 'pending'; attempts: number; nextAttemptAt: string; error: string }
      | { state: 'failed'; attempts: number; error: string },
  ): Promise<void> {
    const now = new Date().toISOString();
    const patch: Record<string, unknown> = {
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
      if (outcome.state === 'pending') patch.next_attempt_at = outcome.nextAttemptAt;
    }
    await this.knex('outbox').where({ seq }).update(patch);
  }

  async outboxFor(subjectId: string): Promise<OutboxItem[]> {
    const rows = await this.knex('outbox').where({ subject_id: subjectId }).orderBy('seq');
    return rows.map(row => this.toOutbox(row));
  }

  /** Takes a subject's undelivered items out of the queue, with the reason. */
  async dropPending(subjectId: string, reason: string): Promise<number> {
    return this.knex('outbox')
      .where({ subject_id: subjectId, state: 'pending' })
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
      .update({ state: 'pending', attempts: 0, next_attempt_at: now, updated_at: now });
  }

  async countPending(): Promise<number> {
    const [{ count }] = await this.knex('outbox')
      .where({ state: 'pending' })
      .count({ count: '*' });
    return Number(count);
  }

  async readCache(key: string) {
    const row = await this.knex('read_cache').where({ cache_key: key }).first();
    return row ? { data: JSON.parse(row.data), fetchedAt: iso(row.fetched_at) } : undefined;
  }

  async writeCache(key: string, data: unknown): Promise<void> {
    await this.knex('read_cache')
      .insert({ cache_key: key, data: JSON.stringify(data), fetched_at: new Date().toISOString() })
      .onConflict('cache_key')
      .merge();
  }

  private toRecord(kind: SubjectKind, row: Record<string, any>): SubjectRecord {
    return {
      id: row.id,
      kind,
      owner: row.owner,
      status: row.status,
      spec: json(row.spec, {}),
      columns: Object.fromEntries(
        FILTER_COLUMNS[kind]
          .filter(c => c !== 'status' && c !== 'owner')
          .map(c => [c, String(row[c])]),
      ),
      toolState: json(row.tool_state, {}),
      nonCompliantRules: json<string[] | undefined>(row.non_compliant_rules, undefined),
      lastError: row.last_error ?? undefined,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }

  private toOutbox(row: Record<string, any>): OutboxItem {
    return {
      seq: Number(row.seq),
      subjectId: row.subject_id,
      tool: row.tool,
      operation: row.operation,
      payload: json(row.payload, {}),
      state: row.state,
      attempts: Number(row.attempts),
      nextAttemptAt: iso(row.next_attempt_at),
      lastError: row.last_error ?? undefined,
      result: json<Record<string, unknown> | undefined>(row.result, undefined),
    };
  }
}

import type { Knex } from 'knex';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { NewOutboxItem } from '../queue/operations';
import { HistoryStore } from './HistoryStore';
import { checkReplay, Idempotency } from './idempotency';
import { OutboxStore } from './OutboxStore';
import type {
  DeploymentRecord,
  SubjectKind,
  SubjectRecord,
  TrainingJobRecord,
} from './records';
import {
  DeploymentRow,
  fromJson,
  iso,
  SubjectRow,
  TrainingJobRow,
} from './tables';

/** The filterable columns of each table. */
export interface Filters {
  training_jobs: Partial<
    Record<'status' | 'owner' | 'job_type' | 'model_family', string>
  >;
  deployments: Partial<
    Record<'status' | 'owner' | 'environment' | 'model_ref' | 'name', string>
  >;
}

/** A new record: what the caller decides; the store adds times and tool state. */
export type NewRecord<R extends SubjectRecord> = Omit<
  R,
  'createdAt' | 'updatedAt' | 'toolState'
>;

/** A change to a record; a new status is recorded in its history. */
export interface RecordChange<R extends SubjectRecord> {
  status?: string;
  reason?: string;
  /** Replaces these fields (for a deployment: spec, revision, …). */
  fields?: Partial<Omit<R, 'id' | 'kind' | 'owner' | 'toolState'>>;
  /** Merged into the tool state. */
  toolState?: R['toolState'];
  nonCompliantRules?: string[] | null;
  lastError?: string | null;
  /**
   * The transitions that led to `status`, with the tool's times, oldest
   * first (one the tracker did not see, such as `running` when a job ended
   * while the backend was down); the last is the new status.
   */
  transitions?: Array<{ status: string; reason?: string; at?: string }>;
  /** Who asked for the change, recorded in the history. */
  actor?: string;
}

/** A deployment's revision and the model (and registry version) it serves, for its history entry. */
function revisionEntry(record: object): {
  revision?: number;
  model_ref?: string;
  model_version?: string;
} {
  const { revision, spec } = record as {
    revision?: unknown;
    spec?: { model_ref?: unknown; model_version?: unknown };
  };
  if (typeof revision !== 'number') return {};
  return {
    revision,
    ...(typeof spec?.model_ref === 'string'
      ? { model_ref: spec.model_ref }
      : {}),
    ...(typeof spec?.model_version === 'string'
      ? { model_version: spec.model_version }
      : {}),
  };
}

function encodeCursor(row: { created_at: string | Date; id: string }) {
  return Buffer.from(JSON.stringify([iso(row.created_at), row.id])).toString(
    'base64url',
  );
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

function baseFields(row: SubjectRow) {
  return {
    id: row.id,
    owner: row.owner,
    status: row.status,
    nonCompliantRules: fromJson<string[] | undefined>(
      row.non_compliant_rules,
      undefined,
    ),
    lastError: row.last_error ?? undefined,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** How one table's rows become records and back. */
interface TableMapping<R extends SubjectRecord, Row extends SubjectRow> {
  kind: R['kind'];
  filterColumns: Array<keyof Row & string>;
  /** Those of the filter columns matched as a case-insensitive substring. */
  substringColumns: Array<keyof Row & string>;
  toRecord(row: Row): R;
  /** The columns of the fields given (their own columns, not the common ones). */
  toColumns(record: Partial<R>): Partial<Row>;
}

const TRAINING_JOBS: TableMapping<TrainingJobRecord, TrainingJobRow> = {
  kind: 'training_jobs',
  filterColumns: ['status', 'owner', 'job_type', 'model_family'],
  substringColumns: ['owner', 'model_family'],
  toRecord: row => ({
    kind: 'training_jobs',
    ...baseFields(row),
    spec: fromJson(row.spec, {} as TrainingJobRecord['spec']),
    jobType: row.job_type,
    modelFamily: row.model_family,
    toolState: fromJson(row.tool_state, {}),
  }),
  toColumns: r => ({
    ...(r.spec && { spec: JSON.stringify(r.spec) }),
    ...(r.jobType !== undefined && { job_type: r.jobType }),
    ...(r.modelFamily !== undefined && { model_family: r.modelFamily }),
  }),
};

const DEPLOYMENTS: TableMapping<DeploymentRecord, DeploymentRow> = {
  kind: 'deployments',
  filterColumns: ['status', 'owner', 'environment', 'model_ref', 'name'],
  // model_ref and name stay exact: the entity pages ask for their own
  substringColumns: ['owner'],
  toRecord: row => ({
    kind: 'deployments',
    ...baseFields(row),
    name: row.name,
    environment: row.environment as DeploymentRecord['environment'],
    backend: row.backend as DeploymentRecord['backend'],
    cluster: row.cluster ?? undefined,
    namespace: row.namespace ?? undefined,
    revision: Number(row.revision),
    spec: fromJson(row.spec, {} as DeploymentRecord['spec']),
    toolState: fromJson(row.tool_state, {}),
  }),
  toColumns: r => ({
    ...(r.spec && {
      spec: JSON.stringify(r.spec),
      model_ref: r.spec.model_ref,
    }),
    ...(r.name !== undefined && { name: r.name }),
    ...(r.environment !== undefined && { environment: r.environment }),
    ...(r.backend !== undefined && { backend: r.backend }),
    ...(r.cluster !== undefined && { cluster: r.cluster }),
    ...('namespace' in r && { namespace: r.namespace ?? null }),
    ...(r.revision !== undefined && { revision: r.revision }),
  }),
};

/**
 * One table of the portal's own records, typed by its kind. A new record
 * is stored with its first history entry and its queue items in one
 * transaction; an idempotency key makes a replay return the stored record.
 */
export class SubjectTable<R extends SubjectRecord, Row extends SubjectRow> {
  constructor(
    private readonly knex: Knex,
    private readonly mapping: TableMapping<R, Row>,
  ) {}

  get kind(): SubjectKind {
    return this.mapping.kind;
  }

  /**
   * Stores a new record and its delivery items in one transaction. With an
   * idempotency key, a replay of the same body returns the stored record
   * (`created: false`); another body is a conflict.
   */
  async insert(
    record: NewRecord<R>,
    outbox: NewOutboxItem[],
    idempotency?: Idempotency,
  ): Promise<{ record: R; created: boolean }> {
    const now = new Date().toISOString();
    const replayed = await this.#replay(record.owner, idempotency);
    if (replayed) return { record: replayed, created: false };
    try {
      await this.knex.transaction(async tx => {
        await tx(this.kind).insert({
          id: record.id,
          owner: record.owner,
          status: record.status,
          idempotency_key: idempotency?.key ?? null,
          request_hash: idempotency?.requestHash ?? null,
          tool_state: '{}',
          non_compliant_rules: record.nonCompliantRules
            ? JSON.stringify(record.nonCompliantRules)
            : null,
          last_error: null,
          created_at: now,
          updated_at: now,
          ...this.mapping.toColumns(record as Partial<R>),
        });
        await HistoryStore.append(tx, record.id, {
          status: record.status,
          reason: 'accepted',
          at: now,
          actor: record.owner,
          ...revisionEntry(record),
        });
        if (outbox.length) {
          await tx('outbox').insert(OutboxStore.rows(record.id, outbox, now));
        }
      });
    } catch (error) {
      // Two identical requests raced: the loser returns the winner's record.
      const winner = await this.#replay(record.owner, idempotency);
      if (winner) return { record: winner, created: false };
      throw error;
    }
    return { record: await this.require(record.id), created: true };
  }

  async #replay(
    owner: string,
    idempotency?: Idempotency,
  ): Promise<R | undefined> {
    if (!idempotency) return undefined;
    const row: Row | undefined = await this.knex(this.kind)
      .where({ owner, idempotency_key: idempotency.key })
      .first();
    if (!row) return undefined;
    checkReplay(row, idempotency);
    return this.mapping.toRecord(row);
  }

  async get(id: string): Promise<R | undefined> {
    const row: Row | undefined = await this.knex(this.kind)
      .where({ id })
      .first();
    return row ? this.mapping.toRecord(row) : undefined;
  }

  /** The deployment that drives the object at this place, if any. */
  async findPlaced(place: {
    backend: string;
    cluster: string;
    namespace: string;
    name: string;
  }): Promise<R | undefined> {
    const row: Row | undefined = await this.knex(this.kind)
      .where(place)
      .first();
    return row ? this.mapping.toRecord(row) : undefined;
  }

  async require(id: string): Promise<R> {
    const record = await this.get(id);
    if (!record) {
      throw new NotFoundError(
        `No ${
          this.kind === 'training_jobs' ? 'training job' : 'deployment'
        } with id ${id}`,
      );
    }
    return record;
  }

  /** A page of records, newest first, filtered by the filterable columns. */
  async list(query: {
    filters: Partial<Record<string, string>>;
    cursor?: string;
    limit: number;
  }): Promise<{ items: R[]; nextCursor?: string }> {
    let q = this.knex(this.kind)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit + 1);
    for (const column of this.mapping.filterColumns) {
      const value = query.filters[column];
      if (value === undefined) continue;
      if ((this.mapping.substringColumns as string[]).includes(column)) {
        const pattern = `%${value.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
        q = q.whereRaw('lower(??) like ? escape ?', [column, pattern, '\\']);
      } else {
        q = q.where(column, value);
      }
    }
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor);
      q = q.where(b =>
        b
          .where('created_at', '<', createdAt)
          .orWhere(b2 =>
            b2.where('created_at', '=', createdAt).andWhere('id', '<', id),
          ),
      );
    }
    const rows: Row[] = await q;
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(row => this.mapping.toRecord(row)),
      nextCursor:
        rows.length > query.limit
          ? encodeCursor(page[page.length - 1])
          : undefined,
    };
  }

  /** The records with one of these statuses (changed since a time, if given), oldest first. */
  async listByStatus(statuses: string[], updatedSince?: string): Promise<R[]> {
    let query = this.knex(this.kind).whereIn('status', statuses);
    if (updatedSince) query = query.where('updated_at', '>=', updatedSince);
    const rows: Row[] = await query.orderBy('created_at', 'asc');
    return rows.map(row => this.mapping.toRecord(row));
  }

  async listAll(): Promise<R[]> {
    const rows: Row[] = await this.knex(this.kind).select();
    return rows.map(row => this.mapping.toRecord(row));
  }

  /** Changes a record (recording a new status in its history). */
  async update(id: string, change: RecordChange<R>): Promise<R> {
    const updated = await this.#change(id, change);
    if (!updated) throw new NotFoundError(`No record with id ${id}`);
    return updated;
  }

  /**
   * Changes a record only if it still has the status `ifStatus` (a
   * compare-and-set), else gives undefined: two trackers that read the
   * same record never record one transition twice.
   */
  updateIf(
    id: string,
    ifStatus: string,
    change: RecordChange<R>,
  ): Promise<R | undefined> {
    return this.#change(id, change, ifStatus);
  }

  /**
   * A new revision of a deployment, only if its record is still at
   * `ifRevision` (a compare-and-set on the revision column): of two
   * changes made concurrently from one revision, the loser gets a
   * ConflictError (409) and enqueues nothing. The new revision is
   * `ifRevision + 1`; its queue items are stored in the same transaction,
   * superseding the subject's undelivered items of the same operations.
   */
  async updateRevision(
    id: string,
    ifRevision: number,
    change: RecordChange<R>,
    outbox: { items: NewOutboxItem[]; supersededReason?: string } = {
      items: [],
    },
  ): Promise<R> {
    const updated = await this.#change(id, change, undefined, {
      revision: ifRevision,
      items: outbox.items,
      reason:
        outbox.supersededReason ?? `superseded by revision ${ifRevision + 1}`,
    });
    if (!updated) {
      throw new ConflictError(
        `Record ${id} was changed meanwhile: revision ${ifRevision} is no longer its latest; reload it and try again`,
      );
    }
    return updated;
  }

  async #change(
    id: string,
    change: RecordChange<R>,
    ifStatus?: string,
    ifRevision?: { revision: number; items: NewOutboxItem[]; reason: string },
  ): Promise<R | undefined> {
    const now = new Date().toISOString();
    const status = change.transitions?.at(-1)?.status ?? change.status;
    const changed = await this.knex.transaction(async tx => {
      const row: Row | undefined = await tx(this.kind).where({ id }).first();
      if (!row) throw new NotFoundError(`No record with id ${id}`);
      if (ifStatus !== undefined && row.status !== ifStatus) return false;
      const revisionOf = (r: object) =>
        Number((r as { revision?: unknown }).revision);
      if (ifRevision && revisionOf(row) !== ifRevision.revision) return false;
      const patch: Partial<SubjectRow> = {
        updated_at: now,
        ...this.mapping.toColumns((change.fields ?? {}) as Partial<R>),
      };
      if (status) patch.status = status;
      if (change.toolState) {
        patch.tool_state = JSON.stringify({
          ...fromJson(row.tool_state, {}),
          ...change.toolState,
        });
      }
      if (change.nonCompliantRules !== undefined) {
        patch.non_compliant_rules = change.nonCompliantRules
          ? JSON.stringify(change.nonCompliantRules)
          : null;
      }
      if (change.lastError !== undefined) patch.last_error = change.lastError;
      const where: Record<string, unknown> =
        ifStatus === undefined ? { id } : { id, status: ifStatus };
      if (ifRevision) {
        where.revision = ifRevision.revision;
        (patch as Record<string, unknown>).revision = ifRevision.revision + 1;
      }
      // With ifStatus, the status is the compare of a compare-and-set: a
      // tracker that read the same row concurrently loses here.
      const count = await tx(this.kind).where(where).update(patch);
      if (count !== 1) return false;
      if (ifRevision) {
        await OutboxStore.supersede(
          tx,
          id,
          ifRevision.items,
          ifRevision.reason,
        );
      }
      if (ifRevision) {
        // every revision is in the history, even one that keeps the status
        await HistoryStore.append(tx, id, {
          status: status ?? row.status,
          reason: change.reason,
          at: now,
          actor: change.actor,
          ...revisionEntry({
            revision: ifRevision.revision + 1,
            spec: (change.fields as { spec?: unknown } | undefined)?.spec,
          }),
        });
      } else if (status && status !== row.status) {
        const entries = change.transitions ?? [
          { status, reason: change.reason },
        ];
        for (const entry of entries) {
          await HistoryStore.append(tx, id, {
            status: entry.status,
            reason: entry.reason,
            at: entry.at ?? now,
            actor: change.actor,
          });
        }
      }
      return true;
    });
    return changed ? this.require(id) : undefined;
  }
}

/** The training_jobs table. */
export const trainingJobsTable = (knex: Knex) =>
  new SubjectTable(knex, TRAINING_JOBS);
/** The deployments table. */
export const deploymentsTable = (knex: Knex) =>
  new SubjectTable(knex, DEPLOYMENTS);

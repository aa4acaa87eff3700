import type { Knex } from 'knex';
import type { HistoryEntry } from './records';
import { iso, StatusHistoryRow } from './tables';

/** Each record's status changes, with their time and reason (`status_history`). */
export class HistoryStore {
  constructor(private readonly knex: Knex) {}

  /** Records a status change, in the caller's transaction. */
  static append(
    tx: Knex.Transaction,
    subjectId: string,
    entry: { status: string; reason?: string | null } & Omit<
      HistoryEntry,
      'status' | 'reason'
    >,
  ) {
    return tx('status_history').insert({
      subject_id: subjectId,
      status: entry.status,
      reason: entry.reason ?? null,
      at: entry.at,
      actor: entry.actor ?? null,
      revision: entry.revision ?? null,
      model_ref: entry.model_ref ?? null,
      model_version: entry.model_version ?? null,
    });
  }

  /** A record's history, oldest first. */
  async list(subjectId: string): Promise<HistoryEntry[]> {
    const rows: StatusHistoryRow[] = await this.knex('status_history')
      .where({ subject_id: subjectId })
      .orderBy('seq', 'asc');
    return rows.map(r => ({
      status: r.status,
      reason: r.reason ?? undefined,
      at: iso(r.at),
      ...(r.actor ? { actor: r.actor } : {}),
      ...(r.revision !== null && r.revision !== undefined
        ? { revision: Number(r.revision) }
        : {}),
      ...(r.model_ref ? { model_ref: r.model_ref } : {}),
      ...(r.model_version ? { model_version: r.model_version } : {}),
    }));
  }
}

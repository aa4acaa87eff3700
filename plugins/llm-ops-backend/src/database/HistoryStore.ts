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
    entry: { status: string; reason?: string | null; at: string },
  ) {
    return tx('status_history').insert({
      subject_id: subjectId,
      status: entry.status,
      reason: entry.reason ?? null,
      at: entry.at,
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
    }));
  }
}

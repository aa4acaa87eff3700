import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { fromJson, iso, ReadCacheRow } from './tables';

/**
 * The last good answer of each tool read (`read_cache`), served when the
 * tool is down. Keys are hashed, so a read of any length fits the column.
 */
export class ReadCache {
  constructor(private readonly knex: Knex) {}

  async read(key: string): Promise<{ data: unknown; fetchedAt: string } | undefined> {
    const row: ReadCacheRow | undefined = await this.knex('read_cache')
      .where({ cache_key: hashKey(key) })
      .first();
    return row ? { data: fromJson(row.data, null), fetchedAt: iso(row.fetched_at) } : undefined;
  }

  async write(key: string, data: unknown): Promise<void> {
    await this.knex('read_cache')
      .insert({
        cache_key: hashKey(key),
        data: JSON.stringify(data),
        fetched_at: new Date().toISOString(),
      })
      .onConflict('cache_key')
      .merge();
  }
}

function hashKey(key: string): string {
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { fromJson, iso, ReadCacheRow } from './tables';

/** How long cached reads are kept, and how many. */
export interface ReadCacheOptions {
  /** How long an answer is served after it was fetched. Defaults to 24 h. */
  ttlMs?: number;
  /** The most answers kept; past it, the oldest go. Defaults to 10,000. */
  maxEntries?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** How often writes drop the expired and the oldest answers. */
const PRUNE_EVERY_MS = 60_000;

/**
 * The last good answer of each tool read (`read_cache`), served when the
 * tool is down, for at most `ttlMs`; at most `maxEntries` of them, the
 * oldest dropped first. Keys are hashed, so a read of any length fits the
 * column.
 */
export class ReadCache {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly #now: () => number;
  /** What this instance last wrote under each hashed key, and when. */
  readonly #written = new Map<string, { hash: string; at: number }>();
  #prunedAt = -Infinity;

  constructor(private readonly knex: Knex, options: ReadCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  async read(
    key: string,
  ): Promise<{ data: unknown; fetchedAt: string } | undefined> {
    const row: ReadCacheRow | undefined = await this.knex('read_cache')
      .where({ cache_key: hashKey(key) })
      .first();
    if (!row) return undefined;
    const fetchedAt = iso(row.fetched_at);
    if (this.#now() - Date.parse(fetchedAt) > this.ttlMs) return undefined;
    return { data: fromJson(row.data, null), fetchedAt };
  }

  /**
   * Stores an answer. An unchanged one is not rewritten, unless it is half
   * way to expiring.
   */
  async write(key: string, data: unknown): Promise<void> {
    const now = this.#now();
    const cacheKey = hashKey(key);
    const json = JSON.stringify(data);
    const hash = createHash('sha1').update(json).digest('base64');
    const last = this.#written.get(cacheKey);
    if (last?.hash === hash && now - last.at < this.ttlMs / 2) return;
    await this.knex('read_cache')
      .insert({
        cache_key: cacheKey,
        data: json,
        fetched_at: new Date(now).toISOString(),
      })
      .onConflict('cache_key')
      .merge();
    this.#written.delete(cacheKey); // re-inserted last: the map is oldest first
    this.#written.set(cacheKey, { hash, at: now });
    if (this.#written.size > this.maxEntries) {
      this.#written.delete(this.#written.keys().next().value!);
    }
    if (now - this.#prunedAt >= PRUNE_EVERY_MS) await this.prune();
  }

  /** Drops the expired answers, then the oldest past `maxEntries`. */
  async prune(): Promise<void> {
    const now = this.#now();
    this.#prunedAt = now;
    await this.knex('read_cache')
      .where('fetched_at', '<', new Date(now - this.ttlMs).toISOString())
      .delete();
    const [cutoff] = await this.knex('read_cache')
      .select('fetched_at')
      .orderBy('fetched_at', 'desc')
      .offset(this.maxEntries)
      .limit(1);
    if (cutoff) {
      await this.knex('read_cache')
        .where('fetched_at', '<=', cutoff.fetched_at)
        .delete();
    }
    // what was dropped must be written again
    this.#written.clear();
  }
}

function hashKey(key: string): string {
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

import path from 'node:path';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { ToolError } from '@llmops/plugin-llm-ops-node';
import { Knex } from 'knex';
import { storesOf } from '../database/LlmOpsDatabase';
import { ReadCache } from '../database/ReadCache';
import type { ApiContext } from '../service/context';
import { ToolData } from '../service/ToolData';
import { ToolReads } from '../service/ToolReads';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const HOUR = 3600_000;

/** The API's reads over a tracker that answers, or is down. */
function apiOver(knex: Knex, cache: ReadCache) {
  const tool = { down: false, runs: [{ id: 'r1' }] };
  const tracker = {
    tool: 'mlflow',
    category: 'experiment-tracking',
    searchRuns: async () => ({ items: tool.runs }),
  };
  const ctx = {
    db: { ...storesOf(knex), cache },
    tools: {
      require: () => tracker,
      call: async (
        adapter: unknown,
        fn: (a: unknown, signal: AbortSignal) => unknown,
      ) => {
        if (tool.down) {
          throw new ToolError({ tool: 'mlflow', reason: 'network' }, 'down');
        }
        return fn(adapter, new AbortController().signal);
      },
    },
  } as unknown as ApiContext;
  return { tool, data: new ToolData(ctx, new ToolReads(ctx)) };
}

describe.each(databases.eachSupportedId())(
  'the read cache on %p',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({
        directory: path.resolve(__dirname, '../../migrations'),
      });
    });

    it('finding 7: the read cache has a TTL and evicts the oldest answers, and its keys are hashed so a long filter fits', async () => {
      let now = Date.parse('2026-12-01T00:00:00Z');
      const cache = new ReadCache(knex, {
        ttlMs: 24 * HOUR,
        maxEntries: 3,
        now: () => now,
      });
      const { tool, data } = apiOver(knex, cache);
      const rows = () =>
        knex('read_cache').select('cache_key').orderBy('cache_key');

      // a filter of the API's longest (512), and longer: a read, not a 500
      const filter = `attributes.run_name = '${'x'.repeat(2000)}'`;
      const fresh = await data.runs('0', { filter });
      expect(fresh).toMatchObject({ stale: false, items: [{ id: 'r1' }] });
      for (const row of await rows()) {
        expect(row.cache_key).toMatch(/^sha256:[0-9a-f]{64}$/);
      }
      tool.down = true;
      expect(await data.runs('0', { filter })).toMatchObject({
        stale: true,
        items: [{ id: 'r1' }],
      });

      // an unchanged answer is rewritten before it expires
      tool.down = false;
      now += 13 * HOUR;
      await data.runs('0', { filter });
      now += 13 * HOUR;
      tool.down = true;
      expect(await data.runs('0', { filter })).toMatchObject({
        stale: true,
        items: [{ id: 'r1' }],
      });

      // past its TTL, an answer is no longer served
      now += 25 * HOUR;
      expect(await data.runs('0', { filter })).toMatchObject({
        stale: true,
        items: [],
      });

      // at most maxEntries rows: the oldest go first, the expired at once
      tool.down = false;
      for (const experiment of ['1', '2', '3', '4', '5']) {
        now += 60_000;
        await data.runs(experiment, {});
      }
      await cache.prune();
      expect(await rows()).toHaveLength(3);
      tool.down = true;
      expect((await data.runs('1', {})).items).toEqual([]);
      expect((await data.runs('5', {})).items).toEqual([{ id: 'r1' }]);
    });
  },
);

/*
 * A deployment's revisions and their queue items, on SQLite and
 * PostgreSQL: a compare-and-set on the revision (two concurrent changes
 * never get one revision number), and a new revision superseding the
 * older undelivered item of its kind in the same transaction.
 */
import path from 'node:path';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { storesOf } from '../database/LlmOpsDatabase';
import type { DeploymentRecord } from '../database/records';
import { queueItem } from '../queue/operations';
import { deploymentSpec } from '../__testUtils__/fixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const spec = (split: { old: number; new: number }) =>
  deploymentSpec(split) as unknown as DeploymentRecord['spec'];

const applyItem = (id: string, revision: number, tag = '') =>
  queueItem('set-traffic', {
    tool: 'kserve',
    dedupeKey: `${id}:traffic:${revision}${tag}`,
    payload: { name: 'd', split: { old: 0, new: 100 } },
  });

describe.each(databases.eachSupportedId())(
  'deployment revisions on %p',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({
        directory: path.resolve(__dirname, '../../migrations'),
      });
    });

    async function deployment(id: string) {
      const db = storesOf(knex);
      await db.deployments.insert(
        {
          id,
          kind: 'deployments',
          owner: 'user:default/ana',
          status: 'queued',
          name: `d-${id}`,
          environment: 'dev',
          backend: 'kserve',
          namespace: 'llm',
          cluster: 'c1',
          revision: 1,
          spec: spec({ old: 90, new: 10 }),
        },
        [applyItem(id, 1)],
      );
      return db;
    }

    it('delivery finding 4: of two changes made concurrently from one revision, one gets the next revision and the other a 409 and enqueues nothing', async () => {
      const db = await deployment('d1');
      const change = (tag: string, split: { old: number; new: number }) =>
        db.deployments.updateRevision(
          'd1',
          1,
          { status: 'queued', reason: tag, fields: { spec: spec(split) } },
          { items: [applyItem('d1', 2, tag)] },
        );
      const results = await Promise.allSettled([
        change('a', { old: 0, new: 100 }),
        change('b', { old: 100, new: 0 }),
      ]);
      const won = results.filter(r => r.status === 'fulfilled');
      const lost = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toMatchObject({ name: 'ConflictError' });
      const record = await db.deployments.require('d1');
      expect(record.revision).toBe(2);
      const items = await db.outbox.forSubject('d1');
      expect(items.map(i => i.state)).toEqual(['superseded', 'pending']);
      const winner = (won[0] as PromiseFulfilledResult<DeploymentRecord>).value;
      expect(winner.spec).toEqual(record.spec);

      // a change from the stale revision is refused too
      await expect(change('c', { old: 50, new: 50 })).rejects.toMatchObject({
        name: 'ConflictError',
      });
      expect(await db.outbox.forSubject('d1')).toHaveLength(2);
    });

    it('delivery finding 4: a new revision supersedes the older undelivered item of its kind, and leaves one in flight', async () => {
      const db = await deployment('d1');
      await db.deployments.updateRevision(
        'd1',
        1,
        { status: 'queued' },
        { items: [applyItem('d1', 2)] },
      );
      expect(
        (await db.outbox.forSubject('d1')).map(i => [i.state, i.lastError]),
      ).toEqual([
        ['superseded', 'superseded by revision 2'],
        ['pending', undefined],
      ]);

      // revision 2 is claimed (in flight): revision 3 waits behind it
      const [claimed] = await db.outbox.claimDue(10, 60_000);
      expect(claimed.payload).toBeDefined();
      await db.deployments.updateRevision(
        'd1',
        2,
        { status: 'queued' },
        { items: [applyItem('d1', 3)] },
      );
      expect((await db.outbox.forSubject('d1')).map(i => i.state)).toEqual([
        'superseded',
        'pending',
        'pending',
      ]);
      expect(await db.outbox.claimDue(10, 60_000)).toEqual([]);
    });
  },
);

/*
 * The delivery queue under outages and races, on SQLite and PostgreSQL:
 * no silent give-up while a circuit is open, settlements fenced by the
 * claim, a subject's items delivered one at a time in order.
 */
import path from 'node:path';
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CircuitBreaker, ToolError } from '@llmops/plugin-llm-ops-node';
import { Knex } from 'knex';
import { OutboxStore } from '../database/OutboxStore';
import { DeliveryQueue, readDeliveryOptions } from '../queue/DeliveryQueue';
import type { DeliveryHandlers } from '../queue/deliveryHandlers';
import { OutboxItem, queueItem } from '../queue/operations';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const HOUR = 3600_000;

const down = () =>
  new ToolError({ tool: 'kserve', reason: 'http-503' }, 'kserve: down');

/** A queue whose every operation runs `deliver`. */
function queueOver(
  knex: Knex,
  deliver: (item: OutboxItem) => Promise<object>,
  queue: Record<string, unknown> = {},
) {
  const store = new OutboxStore(knex);
  const handler = async (item: OutboxItem) => ({
    ...(await deliver(item)),
    deliveredAt: new Date().toISOString(),
  });
  const handlers = Object.fromEntries(
    [
      'submit-workflow',
      'stop-workflow',
      'create-run',
      'set-model-alias',
      'apply-deployment',
      'set-traffic',
    ].map(name => [name, handler]),
  ) as unknown as DeliveryHandlers;
  const options = readDeliveryOptions(
    new ConfigReader({
      llmOps: { queue: { baseDelayMs: 0, maxDelayMs: 0, ...queue } },
    }),
  );
  return {
    store,
    queue: new DeliveryQueue(
      store,
      handlers,
      options,
      mockServices.logger.mock(),
      async () => {},
      async () => false,
    ),
  };
}

const item = (subject: string, n: number) =>
  queueItem('set-traffic', {
    tool: 'kserve',
    dedupeKey: `${subject}:traffic:${n}`,
    payload: { name: `d-${n}`, split: { old: 0, new: 100 } },
  });

/** A promise and its resolver. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>(resolve => {
    open = resolve;
  });
  return { promise, open };
}

describe('the delivery options', () => {
  it('refuses a lease no longer than the circuit breaker call timeout', () => {
    expect(() =>
      readDeliveryOptions(
        new ConfigReader({
          llmOps: {
            queue: { leaseMs: 10_000 },
            circuitBreaker: { callTimeoutMs: 15_000 },
          },
        }),
      ),
    ).toThrow(
      /leaseMs \(10000 ms\) must be longer than llmOps\.circuitBreaker\.callTimeoutMs \(15000 ms\)/,
    );
    expect(() =>
      readDeliveryOptions(
        new ConfigReader({
          llmOps: { circuitBreaker: { callTimeoutMs: 60_000 } },
        }),
      ),
    ).toThrow(/leaseMs/);
    expect(readDeliveryOptions(new ConfigReader({})).giveUpAfterMs).toBe(
      24 * HOUR,
    );
  });
});

describe.each(databases.eachSupportedId())(
  'the delivery queue on %p',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({
        directory: path.resolve(__dirname, '../../migrations'),
      });
    });

    const enqueuedHoursAgo = (hours: number) =>
      knex('outbox').update({
        created_at: new Date(Date.now() - hours * HOUR).toISOString(),
      });

    it('delivery finding 1: rejections by an open circuit are not attempts, and an item is given up only at its deadline', async () => {
      const breaker = new CircuitBreaker('kserve', {
        failureThreshold: 1,
        cooldownMs: HOUR,
        callTimeoutMs: 1_000,
      });
      await breaker.call(() => Promise.reject(down())).catch(() => {});
      expect(breaker.state).toBe('open');
      const { store, queue } = queueOver(knex, () =>
        breaker.call(async () => ({})),
      );
      await store.enqueue('s1', [item('s1', 1)]);
      for (let i = 0; i < 25; i++) await queue.deliverDue();
      const [waiting] = await store.forSubject('s1');
      expect(waiting).toMatchObject({ state: 'pending', attempts: 0 });
      expect(waiting.lastError).toMatch(/circuit open/);

      await enqueuedHoursAgo(25);
      await queue.deliverDue();
      const [failed] = await store.forSubject('s1');
      expect(failed.state).toBe('failed');
      expect(failed.lastError).toMatch(/circuit open.*gave up/);
    });

    it('delivery finding 1: a tool that keeps failing is retried past ten attempts, until 24 h after the item was enqueued', async () => {
      const { store, queue } = queueOver(knex, async () => {
        throw down();
      });
      await store.enqueue('s1', [item('s1', 1)]);
      for (let i = 0; i < 25; i++) await queue.deliverDue();
      expect((await store.forSubject('s1'))[0]).toMatchObject({
        state: 'pending',
        attempts: 25,
      });

      await enqueuedHoursAgo(23);
      await queue.deliverDue();
      expect((await store.forSubject('s1'))[0].state).toBe('pending');

      await enqueuedHoursAgo(24);
      await queue.deliverDue();
      const [failed] = await store.forSubject('s1');
      expect(failed).toMatchObject({ state: 'failed', attempts: 27 });
      expect(failed.lastError).toMatch(/kserve: down.*gave up/);
    });

    it('delivery finding 2: a late result of a delivery whose lease expired does not turn a dropped item into delivered', async () => {
      const called = gate();
      const release = gate();
      const { store, queue } = queueOver(knex, async () => {
        called.open();
        await release.promise;
        return {};
      });
      await store.enqueue('s1', [item('s1', 1)]);
      const late = queue.deliverDue();
      await called.promise;
      // the lease runs out while the call hangs, and the item is dropped
      await knex('outbox').update({
        locked_until: new Date(Date.now() - HOUR).toISOString(),
      });
      expect(await store.dropPending('s1', 'cancelled before delivery')).toBe(
        1,
      );
      release.open();
      expect(await late).toBe(0);
      expect((await store.forSubject('s1'))[0]).toMatchObject({
        state: 'failed',
        lastError: 'cancelled before delivery',
      });
    });

    it('delivery finding 2: a late success does not overwrite what the instance that claimed the item again recorded', async () => {
      const called = gate();
      const release = gate();
      const first = queueOver(knex, async () => {
        called.open();
        await release.promise;
        return { id: 'late' };
      });
      await first.store.enqueue('s1', [item('s1', 1)]);
      const late = first.queue.deliverDue();
      await called.promise;
      await knex('outbox').update({
        locked_until: new Date(Date.now() - HOUR).toISOString(),
      });
      const second = queueOver(knex, async () => {
        throw new ToolError(
          { tool: 'kserve', reason: 'invalid-request' },
          'kserve: refused',
          {
            statusCode: 400,
          },
        );
      });
      await second.queue.deliverDue();
      release.open();
      await late;
      const [settled] = await first.store.forSubject('s1');
      expect(settled).toMatchObject({
        state: 'failed',
        lastError: 'kserve: refused',
      });
      expect(settled.result).toBeUndefined();
    });

    it("delivery finding 2: leases are by the database's clock: an instance whose clock runs ahead does not take over a claimed item", async () => {
      const called = gate();
      const release = gate();
      const first = queueOver(knex, async () => {
        called.open();
        await release.promise;
        return {};
      });
      await first.store.enqueue('s1', [item('s1', 1)]);
      const delivering = first.queue.deliverDue();
      await called.promise;
      let calls = 0;
      const second = queueOver(knex, async () => {
        calls += 1;
        return {};
      });
      // only the process clock moves: ten minutes ahead, past the lease
      jest.useFakeTimers({
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
        now: Date.now() + 10 * 60_000,
      });
      try {
        expect(await second.queue.deliverDue()).toBe(0);
      } finally {
        jest.useRealTimers();
      }
      expect(calls).toBe(0);
      release.open();
      expect(await delivering).toBe(1);
      expect((await first.store.forSubject('s1'))[0].state).toBe('delivered');
    });

    it("delivery finding 3: a subject's items are delivered one at a time, in the order they were enqueued", async () => {
      const log: string[] = [];
      const { store, queue } = queueOver(knex, async queued => {
        const { name } = queued.payload as { name: string };
        log.push(`start ${name}`);
        await new Promise(resolve => setImmediate(resolve));
        log.push(`end ${name}`);
        return {};
      });
      await store.enqueue('s1', [item('s1', 1), item('s1', 2), item('s1', 3)]);
      expect(await queue.deliverDue('s1')).toBe(3);
      expect(log).toEqual([
        'start d-1',
        'end d-1',
        'start d-2',
        'end d-2',
        'start d-3',
        'end d-3',
      ]);
    });

    it("delivery finding 3: a subject's later item waits while its earlier one is retried", async () => {
      let up = false;
      const delivered: string[] = [];
      const { store, queue } = queueOver(
        knex,
        async queued => {
          const { name } = queued.payload as { name: string };
          if (!up && name === 'd-1') throw down();
          delivered.push(name);
          return {};
        },
        { baseDelayMs: HOUR, maxDelayMs: HOUR },
      );
      await store.enqueue('s1', [item('s1', 1), item('s1', 2)]);
      await store.enqueue('s2', [item('s2', 3)]);
      await queue.deliverDue();
      expect(delivered).toEqual(['d-3']);
      expect((await store.forSubject('s1')).map(i => i.state)).toEqual([
        'pending',
        'pending',
      ]);

      up = true;
      await knex('outbox').update({
        next_attempt_at: new Date(Date.now() - HOUR).toISOString(),
      });
      await queue.deliverDue();
      expect(delivered).toEqual(['d-3', 'd-1', 'd-2']);
    });
  },
);

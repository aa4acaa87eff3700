/*
 * `yarn bench:api`, on a started backend (SQLite):
 *   1. 200 concurrent training job submissions while the orchestrator fails
 *      every other call;
 *   2. 200 concurrent promote and rollback calls on 20 canary deployments
 *      while the serving tool fails every other call.
 * Prints p50 and p95 latencies, and what the tools took: jobs lost and
 * submitted twice; traffic changes lost (a deployment whose last accepted
 * revision is not what the serving tool ends with), applied twice, and
 * applied out of order. Each must be 0; the bench exits 1 otherwise.
 * BENCH_SUBMISSIONS (200), BENCH_DEPLOYMENTS (20), BENCH_TRAFFIC_CALLS (200).
 */
import type {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { llmOpsPlugin } from '../plugin';
import { createTestTools } from './testAdapters';
import { baseModel, deploymentSpec, fineTuned, trainJobSpec } from './fixtures';

const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 200);
const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 20);
const TRAFFIC_CALLS = Number(process.env.BENCH_TRAFFIC_CALLS ?? 200);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const tools = createTestTools();
  // The mock scheduler runs tasks only when triggered, so the bench drives
  // the delivery task itself.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options: { skipTaskRunOnStartup: boolean }): ServiceFactory;
  };
  tools.orchestrator.mode = 'flaky'; // every other call fails
  const backend = await startTestBackend({
    features: [
      llmOpsPlugin,
      tools.module,
      scheduler.factory({ skipTaskRunOnStartup: true }),
      catalogServiceMock.factory({ entities: [baseModel, fineTuned] }),
      mockServices.rootConfig.factory({
        data: {
          llmOps: {
            // A flaky tool must not open the circuit for the whole run.
            circuitBreaker: {
              failureThreshold: 1_000_000,
              callTimeoutMs: 5_000,
            },
            queue: { baseDelayMs: 10, maxDelayMs: 200, maxAttempts: 50 },
            // a canary has a split to promote and roll back
            serving: { deploymentMode: 'Serverless' },
          },
        },
      }),
    ],
  });
  const server = backend.server;
  const auth = mockCredentials.user.header();

  const latencies: number[] = [];
  const accepted: string[] = [];
  const started = performance.now();
  const responses = await Promise.all(
    Array.from({ length: SUBMISSIONS }, async (_, i) => {
      const t0 = performance.now();
      const res = await request(server)
        .post('/api/llm-ops/v1/training-jobs')
        .set('authorization', auth)
        .set('Idempotency-Key', `bench-${i}`)
        .send({
          spec: trainJobSpec({
            output: { artifact_name: `bench-${i}`, save_format: 'hf' },
          }),
        });
      latencies.push(performance.now() - t0);
      if (res.status >= 200 && res.status < 300)
        accepted.push(res.body.data.id);
      return res.status;
    }),
  );
  const wall = performance.now() - started;

  // Run the scheduled delivery task until the retry queue is drained.
  const drainStart = performance.now();
  let submitted = 0;
  for (let round = 0; round < 200; round++) {
    await scheduler.triggerTask('llm-ops-delivery');
    const res = await request(server)
      .get('/api/llm-ops/v1/training-jobs?status=submitted&limit=200')
      .set('authorization', auth);
    submitted = res.body.data.items.length;
    if (submitted >= accepted.length) break;
    await new Promise(r => setTimeout(r, 50));
  }
  const drain = performance.now() - drainStart;

  const delivered = accepted.filter(id => tools.orchestrator.workflows.has(id));
  const duplicates = [...tools.orchestrator.workflows.values()].filter(
    w => w.submissions > 1,
  ).length;
  const sorted = [...latencies].sort((a, b) => a - b);
  const codes = responses.reduce<Record<number, number>>(
    (acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }),
    {},
  );
  console.log(
    `submissions: ${SUBMISSIONS} concurrent, orchestrator failing every other call`,
  );
  console.log(
    `responses: ${JSON.stringify(
      codes,
    )} (201 delivered at once, 202 queued for retry)`,
  );
  console.log(
    `latency p50: ${percentile(sorted, 50).toFixed(1)} ms, p95: ${percentile(
      sorted,
      95,
    ).toFixed(1)} ms, wall: ${wall.toFixed(0)} ms`,
  );
  console.log(
    `queue drained in ${drain.toFixed(0)} ms; delivered: ${
      delivered.length
    }, duplicates: ${duplicates}`,
  );
  const jobsLost =
    accepted.length - delivered.length + (SUBMISSIONS - accepted.length);
  console.log(`jobs lost: ${jobsLost}`);

  const traffic = await benchTraffic(server, auth, tools, scheduler);
  await backend.stop();
  if (
    jobsLost ||
    duplicates ||
    traffic.lost ||
    traffic.doubled ||
    traffic.outOfOrder
  ) {
    throw new Error('lost, doubled or out-of-order work (see above)');
  }
}

/**
 * Concurrent promote and rollback calls on canary deployments while the
 * serving tool fails every other call, then what the tool took.
 */
async function benchTraffic(
  server: any,
  auth: string,
  tools: ReturnType<typeof createTestTools>,
  scheduler: SchedulerService & { triggerTask(id: string): Promise<void> },
) {
  tools.serving.mode = 'up';
  const ids: string[] = [];
  for (let i = 0; i < DEPLOYMENTS; i++) {
    const res = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .set('authorization', auth)
      .send({ name: `bench-${i}`, environment: 'dev', spec: deploymentSpec() });
    if (res.status !== 201)
      throw new Error(`deployment ${i}: ${res.status} ${res.body.message}`);
    ids.push(res.body.data.id);
  }
  tools.serving.mode = 'flaky';

  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const latencies: number[] = [];
  // the revision each accepted (200/202) call made, by deployment
  const acceptedRevisions = new Map<string, number[]>(ids.map(id => [id, []]));
  const started = performance.now();
  const codes = await Promise.all(
    Array.from({ length: TRAFFIC_CALLS }, async (_, i) => {
      const id = ids[i % ids.length];
      // promote or rollback at random (seeded): some ask for the split a
      // deployment already has, and are refused
      const direction = random() < 0.5 ? 'promote' : 'rollback';
      const t0 = performance.now();
      const res = await request(server)
        .post(`/api/llm-ops/v1/deployments/${id}/${direction}`)
        .set('authorization', auth);
      latencies.push(performance.now() - t0);
      if (res.status === 200 || res.status === 202) {
        acceptedRevisions.get(id)!.push(res.body.data.revision);
      }
      return res.status;
    }),
  );
  const wall = performance.now() - started;

  const drainStart = performance.now();
  for (let round = 0; round < 200; round++) {
    await scheduler.triggerTask('llm-ops-delivery');
    const res = await request(server)
      .get('/api/llm-ops/v1/deployments?status=queued&limit=200')
      .set('authorization', auth);
    if (res.body.data.items.length === 0) break;
    await new Promise(r => setTimeout(r, 50));
  }
  const drain = performance.now() - drainStart;

  let lost = 0;
  let doubled = 0;
  let outOfOrder = 0;
  for (const [i, id] of ids.entries()) {
    const record = (
      await request(server)
        .get(`/api/llm-ops/v1/deployments/${id}`)
        .set('authorization', auth)
    ).body.data;
    const taken = tools.serving.trafficLog.filter(c => c.id === `bench-${i}`);
    const revisions = taken.map(c => c.revision!);
    doubled += revisions.length - new Set(revisions).size;
    outOfOrder += revisions.filter(
      (r, k) => k > 0 && r <= revisions[k - 1],
    ).length;
    const last = taken.at(-1);
    const newest = Math.max(1, ...acceptedRevisions.get(id)!);
    const { old: o, new: n } = record.spec.rollout.traffic_split;
    // the newest accepted revision is the record's, and what the tool runs
    if (
      record.revision !== newest ||
      (newest > 1 &&
        (last?.revision !== newest || last.old !== o || last.new !== n))
    ) {
      lost += 1;
    }
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const byCode = codes.reduce<Record<number, number>>(
    (acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }),
    {},
  );
  const changes = [...acceptedRevisions.values()].reduce(
    (sum, r) => sum + r.length,
    0,
  );
  console.log();
  console.log(
    `traffic: ${TRAFFIC_CALLS} concurrent promote/rollback calls on ${DEPLOYMENTS} deployments, serving tool failing every other call`,
  );
  console.log(
    `responses: ${JSON.stringify(
      byCode,
    )} (200 applied, 202 queued, 409 refused: a concurrent change won the revision, or the split is already so)`,
  );
  console.log(
    `latency p50: ${percentile(sorted, 50).toFixed(1)} ms, p95: ${percentile(
      sorted,
      95,
    ).toFixed(1)} ms, wall: ${wall.toFixed(0)} ms`,
  );
  console.log(
    `queue drained in ${drain.toFixed(0)} ms; ${changes} changes accepted, ${
      tools.serving.trafficLog.length
    } applied by the tool (a newer change supersedes one still waiting)`,
  );
  console.log(
    `traffic changes lost: ${lost}, applied twice: ${doubled}, applied out of order: ${outOfOrder}`,
  );
  return { lost, doubled, outOfOrder };
}

main()
  .then(() => process.exit(0))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });

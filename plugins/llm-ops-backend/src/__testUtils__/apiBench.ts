/*
 * `yarn bench:api`: 200 concurrent training job submissions to a started
 * backend (SQLite) while the orchestrator fails half of its calls. Prints
 * the p50 and p95 latencies and the number of jobs lost, which must be 0.
 */
import type { SchedulerService, ServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { llmOpsPlugin } from '../plugin';
import { createTestTools } from './testAdapters';
import { baseModel, fineTuned, trainJobSpec } from './fixtures';

const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 200);

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
            circuitBreaker: { failureThreshold: 1_000_000, callTimeoutMs: 5_000 },
            queue: { baseDelayMs: 10, maxDelayMs: 200, maxAttempts: 50 },
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
        .send({ spec: trainJobSpec({ output: { artifact_name: `bench-${i}`, save_format: 'hf' } }) });
      latencies.push(performance.now() - t0);
      if (res.status >= 200 && res.status < 300) accepted.push(res.body.data.id);
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
  const duplicates = [...tools.orchestrator.workflows.values()].filter(w => w.submissions > 1).length;
  const sorted = [...latencies].sort((a, b) => a - b);
  const codes = responses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
  console.log(`submissions: ${SUBMISSIONS} concurrent, orchestrator failing every other call`);
  console.log(`responses: ${JSON.stringify(codes)} (201 delivered at once, 202 queued for retry)`);
  console.log(`latency p50: ${percentile(sorted, 50).toFixed(1)} ms, p95: ${percentile(sorted, 95).toFixed(1)} ms, wall: ${wall.toFixed(0)} ms`);
  console.log(`queue drained in ${drain.toFixed(0)} ms; delivered: ${delivered.length}, duplicates: ${duplicates}`);
  console.log(`jobs lost: ${accepted.length - delivered.length + (SUBMISSIONS - accepted.length)}`);
  await backend.stop();
}

main().then(() => process.exit(0)).catch(error => {
  console.error(error);
  process.exit(1);
});

/*
 * `yarn bench:experiments`: how much slower GET /api/llm-ops/v1/experiments
 * (and a page of runs) is than MLflow's own REST API, with 10,000 runs in a
 * real MLflow server, measured in the same run with the same HTTP client.
 * Needs the test virtualenv (scripts/peers/python-venv.sh).
 */
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { python, startMlflow } from '@internal/llmops-test-utils';
import { llmOpsPlugin } from '../plugin';

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);

/** Fills MLflow's store directly (no HTTP), which is much faster than the API. */
const POPULATE = `
import json, sys, time
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
from mlflow.entities import Param, Metric, RunTag
arg = json.loads(sys.argv[1])
store = SqlAlchemyStore(arg["db"], arg["artifacts"])
exp = store.create_experiment("llama/SFT")
now = int(time.time() * 1000)
for i in range(arg["runs"]):
    run = store.create_run(exp, "bench", now, [RunTag("llmops.job_type", "SFT")], "run-%d" % i)
    store.log_batch(run.info.run_id, [Metric("loss", 1.0 / (i + 1), now, 0)], [Param("lr", "2e-5")], [])
print(json.dumps(exp))
`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function time(url: string, headers: Record<string, string>) {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t0;
}

async function main() {
  const mlflow = await startMlflow();
  const populateStart = performance.now();
  const experimentId = await python<string>(POPULATE, {
    db: `sqlite:///${path.join(mlflow.dir, 'mlflow.db')}`,
    artifacts: path.join(mlflow.dir, 'artifacts'),
    runs: RUNS,
  });
  console.log(`populated ${RUNS} runs in ${((performance.now() - populateStart) / 1000).toFixed(1)} s`);

  const backend = await startTestBackend({
    features: [
      llmOpsPlugin,
      mockServices.rootConfig.factory({
        data: { llmOps: { integrations: { mlflow: { baseUrl: mlflow.uri } } } },
      }),
    ],
  });
  const port = (backend.server.address() as AddressInfo).port;
  const portal = `http://127.0.0.1:${port}/api/llm-ops/v1`;
  const auth = { authorization: mockCredentials.user.header() };

  // The direct calls are the MLflow calls the adapter makes for each.
  const cases = [
    {
      name: 'experiments',
      portal: `${portal}/experiments?maxResults=100`,
      direct: `${mlflow.uri}/api/2.0/mlflow/experiments/search`,
      body: { max_results: 100 },
    },
    {
      name: 'runs (page of 100)',
      portal: `${portal}/experiments/${experimentId}/runs?maxResults=100`,
      direct: `${mlflow.uri}/api/2.0/mlflow/runs/search`,
      body: { experiment_ids: [experimentId], max_results: 100 },
    },
  ];
  for (const c of cases) {
    const directTimes: number[] = [];
    const portalTimes: number[] = [];
    const direct = async () => {
      const t0 = performance.now();
      const res = await fetch(c.direct, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(c.body),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${c.direct}: ${res.status}`);
      return performance.now() - t0;
    };
    for (let i = 0; i < 10; i++) {
      await direct();
      await time(c.portal, auth);
    }
    // Alternate, so that both see the same machine load.
    for (let i = 0; i < REQUESTS; i++) {
      directTimes.push(await direct());
      portalTimes.push(await time(c.portal, auth));
    }
    directTimes.sort((a, b) => a - b);
    portalTimes.sort((a, b) => a - b);
    const d50 = percentile(directTimes, 50);
    const p50 = percentile(portalTimes, 50);
    console.log(
      `${c.name}: MLflow direct p50 ${d50.toFixed(2)} ms p95 ${percentile(directTimes, 95).toFixed(2)} ms; ` +
        `portal p50 ${p50.toFixed(2)} ms p95 ${percentile(portalTimes, 95).toFixed(2)} ms; ` +
        `ratio (p50) ${(p50 / d50).toFixed(2)}x over ${REQUESTS} requests`,
    );
  }
  // The floor: an authenticated API route that calls no tool.
  const floor: number[] = [];
  for (let i = 0; i < REQUESTS; i++) floor.push(await time(`${portal}/ui`, auth));
  floor.sort((a, b) => a - b);
  console.log(
    `floor (GET /v1/ui, no tool call): p50 ${percentile(floor, 50).toFixed(2)} ms p95 ${percentile(floor, 95).toFixed(2)} ms`,
  );
  await backend.stop();
  await mlflow.stop();
}

main()
  .then(() => process.exit(0))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });

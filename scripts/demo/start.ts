/*
 * The local demo stack: the real tools the portal shows, on loopback, with a
 * small ML organisation's data that matches the example catalog.
 *
 *   node -r @backstage/cli/config/nodeTransform.cjs scripts/demo/start.ts <state dir>
 *
 * - MLflow, seeded by seed_mlflow.py (experiments, runs with metric
 *   histories, registered models with versions and aliases);
 * - a DVC repository of the example Datasets' versions (make_dvc_repo.py);
 * - the local Kubernetes cluster with Argo Workflows and KServe, when
 *   `scripts/peers/cluster.sh` has built it.
 *
 * Everything persists in the state dir, so a second start reuses it and
 * seeds nothing twice. Writes `<state dir>/app-config.demo.yaml`, which
 * points the portal at the tools, and `<state dir>/demo.json`, what the
 * browser tests read. Runs until SIGTERM or SIGINT, then stops the tools.
 *
 * Environment: LLMOPS_DEMO_MLFLOW_PORT (default 5000, or any free port when
 * taken), LLMOPS_DEMO_RUNS (runs of the first model, default 8; the
 * benchmark's 200),
 * LLMOPS_DEMO_CLUSTER=0 to leave the cluster out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  python,
  repoRoot,
  sh,
  startMlflow,
  venvBin,
} from '@internal/llmops-test-utils';

const HERE = path.join(repoRoot(), 'scripts/demo');
const log = (line: string) => console.log(`demo: ${line}`);

async function portOr(preferred: number): Promise<number | undefined> {
  const net = await import('node:net');
  const free = await new Promise<boolean>(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(preferred, '127.0.0.1', () =>
      server.close(() => resolve(true)),
    );
  });
  return free ? preferred : undefined;
}

interface Seeded {
  experiments: Array<{
    experiment: string;
    experimentId?: string;
    runIds?: string[];
    seeded: boolean;
  }>;
  seconds: number;
}

async function main() {
  const stateDir = path.resolve(process.argv[2] ?? '.llmops-demo');
  fs.mkdirSync(stateDir, { recursive: true });
  const started = Date.now();

  // The DVC repository is built while MLflow starts.
  const datasets = path.join(stateDir, 'datasets');
  const buildDatasets = async () => {
    const at = Date.now();
    const out = await sh(venvBin('python'), [
      path.join(HERE, 'make_dvc_repo.py'),
      JSON.stringify({
        dir: datasets,
        remote: path.join(stateDir, 'dvc-remote'),
        dvc: venvBin('dvc'),
      }),
    ]);
    const result = JSON.parse(out.trim().split('\n').pop()!);
    log(
      `DVC repository ${datasets} ${result.created ? 'created' : 'kept'} in ${(
        (Date.now() - at) /
        1000
      ).toFixed(1)} s`,
    );
  };
  const mlflowDir = path.join(stateDir, 'mlflow');
  fs.mkdirSync(mlflowDir, { recursive: true });
  // 0: any free port (the tests' choice)
  const preferred = Number(process.env.LLMOPS_DEMO_MLFLOW_PORT ?? 5000);
  const [mlflow] = await Promise.all([
    startMlflow({
      dir: mlflowDir,
      port: preferred ? await portOr(preferred) : undefined,
    }),
    buildDatasets(),
  ]);
  const stop = async () => {
    await mlflow.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  log(`MLflow ${mlflow.uri} up`);

  const seeded = await python<Seeded>(
    fs.readFileSync(path.join(HERE, 'seed_mlflow.py'), 'utf8'),
    {
      uri: mlflow.uri,
      runs: Number(process.env.LLMOPS_DEMO_RUNS ?? 8),
      steps: 60,
    },
  );
  const fresh = seeded.experiments.filter(e => e.seeded).length;
  log(
    fresh
      ? `MLflow seeded with ${fresh} experiments in ${seeded.seconds} s`
      : 'MLflow already holds the demo experiments',
  );

  const config = {
    llmOps: {
      integrations: {
        mlflow: { baseUrl: mlflow.uri, timeoutMs: 5000 },
        dvc: { repos: [{ name: 'datasets', url: datasets }] },
      },
    },
  };
  fs.writeFileSync(
    path.join(stateDir, 'app-config.demo.yaml'),
    `# Written by scripts/demo/start.ts: the portal's view of the demo stack.\n${stringify(
      config,
    )}`,
  );
  const first = seeded.experiments[0];
  fs.writeFileSync(
    path.join(stateDir, 'demo.json'),
    JSON.stringify(
      {
        mlflow: {
          uri: mlflow.uri,
          pgid: mlflow.process.pid,
          port: mlflow.port,
          dir: mlflow.dir,
        },
        dvc: { repo: datasets },
        experimentId: first.experimentId,
        runIds: first.runIds,
      },
      null,
      2,
    ),
  );
  log(`ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  log(`  MLflow UI        ${mlflow.uri}`);
  log(`  DVC repository   ${datasets} (remote ${stateDir}/dvc-remote)`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

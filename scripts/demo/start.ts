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
  Cluster,
  python,
  repoRoot,
  sh,
  startCluster,
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
  const wantCluster = process.env.LLMOPS_DEMO_CLUSTER !== '0';
  const [mlflow, kube] = await Promise.all([
    startMlflow({
      dir: mlflowDir,
      port: preferred ? await portOr(preferred) : undefined,
    }),
    wantCluster ? demoCluster() : undefined,
    buildDatasets(),
  ]);
  const cluster: Cluster | undefined = kube?.cluster;
  const stop = async () => {
    await Promise.all([mlflow.stop(), cluster?.stop()]);
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

  // A token only `make start`'s own seeding uses (scripts/start.sh).
  const token = process.env.LLMOPS_DEMO_TOKEN;
  const config = {
    ...(kube?.config ?? {}),
    ...(token && {
      backend: {
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token, subject: 'llmops-demo-seed' },
              accessRestrictions: [{ plugin: 'llm-ops' }, { plugin: 'catalog' }],
            },
          ],
        },
      },
    }),
    llmOps: {
      ...kube?.config.llmOps,
      // make start's seeding deploys through the API with that token
      ...(token && { serviceSubjects: ['llmops-demo-seed'] }),
      integrations: {
        mlflow: { baseUrl: mlflow.uri, timeoutMs: 5000 },
        dvc: { repos: [{ name: 'datasets', url: datasets }] },
        ...kube?.config.llmOps.integrations,
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
        ...(cluster && {
          kube: {
            url: cluster.url,
            token: cluster.token,
            caData: cluster.caData,
            argoServer: cluster.argo?.serverUrl,
          },
        }),
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
  if (cluster) {
    log(`  Kubernetes API   ${cluster.url} (kubeconfig ${cluster.kubeconfigPath})`);
    log(`  Argo server API  ${cluster.argo?.serverUrl}/api/v1 (the UI is not built here)`);
  } else {
    log(`  Kubernetes       ${kubeMissing}`);
  }
}

/** Why the cluster is not there, and what to run. */
let kubeMissing = 'left out (LLMOPS_DEMO_CLUSTER=0)';

/**
 * The local cluster of `make test` (scripts/peers/cluster.sh), when it has
 * been built: Kubernetes with kwok GPU nodes, Argo Workflows, KServe in
 * RawDeployment mode and KubeRay. It stands for the examples' `dev-cluster`.
 * Without it, training and serving are switched off with a reason that says
 * what to run.
 */
async function demoCluster() {
  const built = fs.existsSync(path.join(repoRoot(), '.llmops-test/cluster.json'));
  if (!built) {
    kubeMissing =
      'not built yet: run `make test` once (or scripts/peers/cluster.sh, about 20 minutes), then `make start` again';
    const off = { enabled: false, disabledReason: `The local Kubernetes cluster is ${kubeMissing}.` };
    return {
      cluster: undefined,
      config: { llmOps: { integrations: { argo: off, kserve: off, rayserve: off } } },
    };
  }
  const at = Date.now();
  const cluster = await startCluster({
    argo: { workflowNamespaces: ['ml-training'] },
    kserve: true,
    kuberay: true,
    log: () => {},
  });
  for (const namespace of ['llm-dev', 'ml-training']) await cluster.namespace(namespace);
  log(`Kubernetes cluster up in ${((Date.now() - at) / 1000).toFixed(0)} s`);
  const clusterConfig = {
    name: 'dev-cluster',
    url: cluster.url,
    caData: cluster.caData,
    authProvider: 'serviceAccount',
    serviceAccountToken: cluster.token,
    // no metrics-server on the local cluster
    skipMetricsLookup: true,
  };
  return {
    cluster,
    config: {
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [{ type: 'config', clusters: [clusterConfig] }],
        customResources: [
          { group: 'serving.kserve.io', apiVersion: 'v1beta1', plural: 'inferenceservices' },
          { group: 'ray.io', apiVersion: 'v1', plural: 'rayservices' },
          { group: 'argoproj.io', apiVersion: 'v1alpha1', plural: 'workflows' },
        ],
      },
      llmOps: {
        // The examples' dev environment is this cluster's llm-dev namespace.
        environments: { dev: { cluster: 'dev-cluster', namespaces: ['llm-dev'] } },
        // The training images' entrypoint, which Argo's executor needs.
        training: { command: ['llmops-train'] },
        integrations: {
          argo: {
            baseUrl: cluster.argo!.serverUrl,
            token: cluster.token,
            namespace: 'ml-training',
            timeoutMs: 5000,
          },
          kserve: { cluster: 'dev-cluster', namespace: 'llm-dev', timeoutMs: 5000 },
          rayserve: { cluster: 'dev-cluster', namespace: 'llm-dev', timeoutMs: 5000 },
        },
      },
    },
  };
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

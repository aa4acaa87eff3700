/*
 * Starts the real tools the browser tests use, on loopback: MLflow (seeded
 * with training runs, metric histories and a registered model) and a
 * Kubernetes API serving KServe's CRD. Writes an app-config overlay that
 * points the portal at them, and a state file for the tests (MLflow's
 * process group, so a test can stop it). Runs until SIGTERM, then stops them.
 *
 *   node -r @backstage/cli/config/nodeTransform.cjs e2e/peers/start.ts <results dir>
 *
 * E2E_RUNS sets how many runs the model has (default 8).
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  python,
  startKubeApiserver,
  startMlflow,
} from '@internal/llmops-test-utils';

/** Training runs of `support-assistant` with loss curves, and two registered versions. */
const SEED = `
import json, math, sys, time
from mlflow import MlflowClient
from mlflow.entities import Metric, Param
arg = json.loads(sys.argv[1])
c = MlflowClient(tracking_uri=arg["uri"], registry_uri=arg["uri"])
exp = c.create_experiment("llmops-llama-sft")
now = int(time.time() * 1000)
run_ids = []
for i in range(arg["runs"]):
    run = c.create_run(exp, run_name="support-assistant-sft-%03d" % (i + 1),
                       start_time=now - (arg["runs"] - i) * 60000,
                       tags={"llmops.artifact_name": "support-assistant", "llmops.job_type": "SFT"})
    metrics = []
    for step in range(arg["steps"]):
        loss = 2.4 * math.exp(-step / (12.0 + i)) + 0.35 + 0.01 * i
        metrics.append(Metric("loss", loss, now + step, step))
        if step % 5 == 0:
            metrics.append(Metric("eval_loss", loss + 0.12, now + step, step))
    c.log_batch(run.info.run_id, metrics=metrics,
                params=[Param("learning_rate", "%g" % (1e-5 * (i + 1))), Param("method", "lora")])
    c.set_terminated(run.info.run_id, end_time=now - (arg["runs"] - i) * 60000 + 45000)
    run_ids.append(run.info.run_id)
c.create_registered_model("support-assistant", description="Answers customer support tickets.")
for run_id in run_ids[-2:]:
    c.create_model_version("support-assistant", "runs:/%s/model" % run_id, run_id)
c.set_registered_model_alias("support-assistant", "champion", "1")
print(json.dumps({"experimentId": exp, "runIds": run_ids}))
`;

async function main() {
  const resultsDir = path.resolve(process.argv[2] ?? 'test-results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const [mlflow, kube] = await Promise.all([
    startMlflow(),
    startKubeApiserver(['kserve/serving.kserve.io_inferenceservices.yaml']),
  ]);
  const stop = async () => {
    await Promise.all([mlflow.stop(), kube.stop()]);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const seeded = await python<{ experimentId: string; runIds: string[] }>(
    SEED,
    {
      uri: mlflow.uri,
      runs: Number(process.env.E2E_RUNS ?? 8),
      steps: 60,
    },
  );
  const cluster = 'dev-cluster';
  fs.writeFileSync(
    path.join(resultsDir, 'e2e-peers.yaml'),
    stringify({
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: cluster,
                url: kube.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: kube.token,
              },
            ],
          },
        ],
        customResources: [
          {
            group: 'serving.kserve.io',
            apiVersion: 'v1beta1',
            plural: 'inferenceservices',
          },
        ],
      },
      llmOps: {
        integrations: {
          mlflow: { baseUrl: mlflow.uri, timeoutMs: 2000, retries: 0 },
          kserve: { cluster, namespace: 'llm-dev' },
        },
      },
    }),
  );
  fs.writeFileSync(
    path.join(resultsDir, 'e2e-peers.json'),
    JSON.stringify({
      mlflow: {
        uri: mlflow.uri,
        pgid: mlflow.process.pid,
        port: mlflow.port,
        dir: mlflow.dir,
      },
      kube: { url: kube.url, token: kube.token },
      ...seeded,
    }),
  );
  console.log(
    `peers ready: MLflow ${mlflow.uri} (${seeded.runIds.length} runs), Kubernetes ${kube.url}`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

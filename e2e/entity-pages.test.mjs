// Entity pages against the real MLflow and Kubernetes API that
// scripts/with-demo.sh started: a metric chart drawn from MLflow's runs,
// MLflow's own UI inside the page through the proxy, and a promotion that
// changes the InferenceService's split. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, PORTAL_URL, RESULTS_DIR, signIn } from './browser.mjs';
import { callApi, readPeers } from './peers.mjs';

const MODEL_PAGE = `${PORTAL_URL}/catalog/default/model/support-assistant-llama-3-8b`;
let context;
let peers;
before(async () => {
  peers = readPeers();
  context = await launchBrowser();
  const page = await context.newPage();
  await signIn(page);
  await page.close();
});
after(async () => {
  await context?.close();
});

const shot = (page, name) =>
  page.screenshot({ path: path.join(RESULTS_DIR, name), fullPage: true });

/** Runs a test body on a new page; on failure saves a screenshot first. */
async function onPage(name, fn) {
  const page = await context.newPage();
  try {
    await fn(page);
  } catch (error) {
    await shot(page, `${name}-failure.png`);
    throw error;
  } finally {
    await page.close();
  }
}

test('a Model page charts the loss curves of real MLflow runs', () =>
  onPage('model-runs', async page => {
    await page.goto(`${MODEL_PAGE}/runs`);
    // The newest seeded run, read from MLflow through the API.
    const newest = `support-assistant-sft-${String(
      peers.runIds.length,
    ).padStart(3, '0')}`;
    await page.getByText(newest).first().waitFor({ timeout: 60_000 });
    const chart = page.getByTestId('llmops-metric-chart');
    const lines = chart.locator('path.recharts-line-curve');
    await lines.first().waitFor({ timeout: 60_000 });
    assert.ok((await lines.count()) >= 2, 'several runs compared on one chart');
    // Each line has one point per logged step (60 steps in the seed).
    const d = await lines.first().getAttribute('d');
    assert.ok(
      d && d.split(/[LC]/).length >= 30,
      `a curve, not a dot: ${d?.slice(0, 80)}`,
    );
    await shot(page, 'model-runs-chart.png');
  }));

test('the embedded MLflow UI loads through the proxy inside the iframe', () =>
  onPage('mlflow-embed', async page => {
    await page.goto(`${MODEL_PAGE}/mlflow`);
    const frameElement = page.getByTestId('llmops-tool-ui-frame');
    await frameElement.waitFor({ timeout: 60_000 });
    const src = await frameElement.getAttribute('src');
    assert.ok(src.startsWith(`${PORTAL_URL}/api/llm-ops/ui/mlflow/`), src);
    // MLflow's own React app renders the registered model inside the frame.
    const frame = page.frameLocator('[data-testid="llmops-tool-ui-frame"]');
    await frame
      .getByText('support-assistant')
      .first()
      .waitFor({ timeout: 90_000 });
    await frame
      .getByText(/Version 2/)
      .first()
      .waitFor({ timeout: 30_000 });
    await shot(page, 'model-mlflow-embedded.png');
  }));

test('a Deployment page shows the InferenceService KServe made Ready, and its pods in the Kubernetes tab', () =>
  onPage('deployment-ready', async page => {
    const created = await callApi(PORTAL_URL, 'POST', '/deployments', {
      name: 'support-assistant-dev',
      environment: 'dev',
      namespace: 'llm-dev',
      spec: {
        kind: 'DeploymentSpec',
        model_ref: 'model:default/support-assistant-llama-3-8b',
        model_family: 'llama',
        job_type: 'SFT',
        resources: { gpus: 1, gpu_memory_gb: 24 },
        runtime: {
          max_concurrent_requests: 8,
          max_input_tokens: 4096,
          max_output_tokens: 1024,
        },
        rollout: { strategy: 'rolling', traffic_split: { old: 0, new: 100 } },
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id } = created.body.data;
    // KServe's controller reconciles it; kwok plays the kubelet.
    let live;
    for (let i = 0; i < 90 && !live?.ready; i++) {
      live = (await callApi(PORTAL_URL, 'GET', `/deployments/${id}/status`)).body.data;
      if (!live?.ready) await new Promise(r => setTimeout(r, 2_000));
    }
    assert.equal(live?.ready, true, JSON.stringify(live));
    assert.ok(live.url, 'KServe wrote the URL');

    // The page shows the URL KServe wrote, which the catalog entity lacks.
    await page.goto(`${PORTAL_URL}/catalog/default/deployment/support-assistant-dev`);
    await page.getByText(live.url).first().waitFor({ timeout: 60_000 });
    await shot(page, 'deployment-ready.png');

    // The Kubernetes plugin's tab reads the pods from the real API server.
    await page.goto(`${PORTAL_URL}/catalog/default/deployment/support-assistant-dev/kubernetes`);
    await page.getByText('support-assistant-dev-predictor').first().waitFor({ timeout: 90_000 });
    assert.equal(
      await page.getByText(/problem retrieving Kubernetes objects/i).count(),
      0,
    );
    await shot(page, 'deployment-kubernetes-pods.png');
  }));

// `make start`'s default, in the browser: scripts/with-make-start.sh runs
// scripts/start.sh (the demo stack and `yarn start`: the dev server on :3000,
// the backend on :7007), and a guest sees real data from the demo's tools.
// Screenshots go to test-results/make-start-*.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, RESULTS_DIR, signIn } from '../browser.mjs';

const APP = 'http://localhost:3000';
let context;
let page;
before(async () => {
  context = await launchBrowser();
  page = await context.newPage();
  await signIn(page, APP);
});
after(async () => {
  await context?.close();
});

const shot = name =>
  page.screenshot({
    path: path.join(RESULTS_DIR, `make-start-${name}.png`),
    fullPage: true,
  });

async function step(name, fn) {
  try {
    await fn();
    await shot(name);
  } catch (error) {
    await shot(`${name}-failure`);
    throw error;
  }
}

test('a Model page shows the runs MLflow holds, and their loss curves', () =>
  step('model-runs', async () => {
    await page.goto(
      `${APP}/catalog/default/model/support-assistant-llama-3-8b/runs`,
    );
    // the demo's newest support-assistant run (scripts/demo/seed_mlflow.py)
    await page
      .getByText('support-assistant-sft-008')
      .first()
      .waitFor({ timeout: 90_000 });
    const lines = page
      .getByTestId('llmops-metric-chart')
      .locator('path.recharts-line-curve');
    await lines.first().waitFor({ timeout: 60_000 });
    assert.ok((await lines.count()) >= 2, 'several runs on one chart');
    const d = await lines.first().getAttribute('d');
    assert.ok(d && d.split(/[LC]/).length >= 30, 'a curve of many steps');
  }));

test('a Model page shows its registered versions and aliases', () =>
  step('model-registry', async () => {
    await page.goto(`${APP}/catalog/default/model/support-assistant-llama-3-8b`);
    await page.getByText('Model registry').first().waitFor({ timeout: 60_000 });
    // the aliases seed_mlflow.py set, read from MLflow's registry
    await page.getByText(/champion/).first().waitFor({ timeout: 60_000 });
    await page.getByText(/challenger/).first().waitFor();
  }));

test('a Dataset page shows the versions DVC holds', () =>
  step('dataset-versions', async () => {
    await page.goto(`${APP}/catalog/default/dataset/support-tickets-sft`);
    const row = page.getByRole('row').filter({ hasText: 'v3' });
    // the md5 DVC computed for the demo's v3 (examples/datasets.yaml)
    await row
      .getByText('f1cf0f5609faef0e4dfcbda2fa66e572.dir')
      .waitFor({ timeout: 60_000 });
    assert.equal(
      await page.getByText(/recorded in the catalog entity/).count(),
      0,
      'live versions, not the catalog fallback',
    );
    await page.getByRole('row').filter({ hasText: 'v2' }).first().waitFor();
  }));

test('Tool health shows MLflow and DVC reachable', () =>
  step('tool-health', async () => {
    await page.goto(`${APP}/llm-ops/integrations`);
    for (const tool of ['mlflow', 'dvc']) {
      await page
        .getByRole('row')
        .filter({ hasText: tool })
        .first()
        .getByText('Reachable', { exact: true })
        .waitFor({ timeout: 60_000 });
    }
  }));

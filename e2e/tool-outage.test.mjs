// Runs last (the files run in name order): stops the real MLflow and sees
// the health page say so, and a Model page keep its last known runs under
// a stale banner.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, PORTAL_URL, RESULTS_DIR, signIn } from './browser.mjs';
import { readPeers } from './peers.mjs';

let context;
before(async () => {
  context = await launchBrowser();
});
after(async () => {
  await context?.close();
});

test('the health page shows MLflow as down once it is stopped', async () => {
  const peers = readPeers();
  const page = await context.newPage();
  try {
    await signIn(page);
    await page.goto(`${PORTAL_URL}/llm-ops/integrations`);
    const row = page.getByRole('row').filter({ hasText: 'mlflow' });
    await row
      .getByText('Reachable', { exact: true })
      .waitFor({ timeout: 60_000 });

    // The runs page once while MLflow is up, so there is something to keep.
    await page.goto(
      `${PORTAL_URL}/catalog/default/model/support-assistant-llama-3-8b/runs`,
    );
    await page.getByTestId('llmops-metric-chart').waitFor({ timeout: 60_000 });

    process.kill(-peers.mlflow.pgid, 'SIGTERM');
    for (let i = 0; i < 50; i++) {
      const up = await fetch(`${peers.mlflow.uri}/health`).then(
        r => r.ok,
        () => false,
      );
      if (!up) break;
      await new Promise(r => setTimeout(r, 200));
    }

    await page.goto(`${PORTAL_URL}/llm-ops/integrations`);
    await row
      .getByText('Unreachable', { exact: true })
      .waitFor({ timeout: 60_000 });
    assert.match(await row.innerText(), /ECONNREFUSED|timeout|network/i);
    await page.screenshot({
      path: path.join(RESULTS_DIR, 'health-mlflow-down.png'),
      fullPage: true,
    });

    // The Model page still shows the last known runs, marked stale.
    await page.goto(
      `${PORTAL_URL}/catalog/default/model/support-assistant-llama-3-8b/runs`,
    );
    await page.getByText(/Can't reach MLflow/).waitFor({ timeout: 60_000 });
    await page.getByText('support-assistant-sft-001').first().waitFor();
    await page.screenshot({
      path: path.join(RESULTS_DIR, 'model-runs-stale.png'),
      fullPage: true,
    });
  } catch (error) {
    await page.screenshot({
      path: path.join(RESULTS_DIR, 'health-failure.png'),
      fullPage: true,
    });
    throw error;
  } finally {
    await page.close();
  }
});

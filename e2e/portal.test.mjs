import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, PORTAL_URL, RESULTS_DIR, signIn } from './browser.mjs';

let context;
before(async () => {
  context = await launchBrowser();
});
after(async () => {
  await context?.close();
});

test('the catalog lists the example Models and opens a Model page', async () => {
  const page = await context.newPage();
  await signIn(page);

  await page.goto(
    `${PORTAL_URL}/catalog?filters%5Bkind%5D=model&filters%5Buser%5D=all`,
  );
  const link = page.getByRole('link', { name: 'Llama 3 8B', exact: true });
  await link.waitFor({ timeout: 60_000 });
  await page.screenshot({ path: path.join(RESULTS_DIR, 'catalog-models.png') });

  await link.click();
  await page.waitForURL(/\/catalog\/default\/model\/llama-3-8b/);
  // The Model overview card from the llm-ops plugin.
  await page.getByText('Context length').waitFor({ timeout: 60_000 });
  await page.getByText('8,192').waitFor();
  await page.getByText('hf://meta-llama/Meta-Llama-3-8B').first().waitFor();
  // The lineage graph: the base model, and the model fine-tuned from it.
  await page.getByText('Lineage and dependencies').waitFor();
  await page
    .locator('svg')
    .getByText('Support assistant (Llama 3 8B, SFT)')
    .first()
    .waitFor();
  await page.screenshot({
    path: path.join(RESULTS_DIR, 'model-page.png'),
    fullPage: true,
  });
});

test('GET /api/llm-ops/v1/health lists every tool to a signed-in caller, and only the state to anyone', async () => {
  const anonymous = await (
    await fetch(`${PORTAL_URL}/api/llm-ops/v1/health`)
  ).json();
  assert.ok(['ok', 'degraded', 'down'].includes(anonymous.data.state));
  assert.deepEqual(anonymous.data.integrations, []);
  const response = await fetch(`${PORTAL_URL}/api/llm-ops/v1/health`, {
    headers: { authorization: 'Bearer llmops-contract-test-token' },
  });
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.status, 'success');
  assert.equal(typeof body.message, 'string');
  const tools = body.data.integrations.map(i => i.tool).sort();
  assert.deepEqual(tools, [
    'argo',
    'dvc',
    'huggingface',
    'kserve',
    'mlflow',
    'rayserve',
  ]);
  for (const entry of body.data.integrations) {
    assert.equal(typeof entry.configured, 'boolean');
    assert.equal(typeof entry.reachable, 'boolean');
  }
});

test('the backend started with no error in its log', () => {
  const log = readFileSync(path.join(RESULTS_DIR, 'backend.log'), 'utf8');
  // Strip colours, then look for error-level lines.
  const lines = log.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const errors = lines.filter(line => /\s(error|fatal)\s/i.test(line));
  assert.deepEqual(errors, []);
});

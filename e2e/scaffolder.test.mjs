// The "Train a model" template in the browser: fill in the form, see a live
// validation error (from the API's shared rules) appear and clear, submit,
// and see the task finish. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, PORTAL_URL, RESULTS_DIR, signIn } from './browser.mjs';
import { callApi, readPeers } from './peers.mjs';

let context;
before(async () => {
  context = await launchBrowser();
  // One guest sign-in for the context; each test opens its own page.
  const page = await context.newPage();
  await signIn(page);
  await page.close();
});
after(async () => {
  await context?.close();
});

const shot = (page, name) =>
  page.screenshot({ path: path.join(RESULTS_DIR, name), fullPage: true });

/** `Model` matches "Model *" (a required field), never "Models". */
const labelled = label =>
  new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\w)`);

/** Picks an option of an EntityPicker (an autocomplete) by its label. */
async function pick(page, label, optionText) {
  // the label as a word: the sidebar's Models link is labelled too
  const input = page.getByLabel(labelled(label)).first();
  await input.click();
  await input.fill(optionText);
  await page
    .getByRole('option', { name: optionText, exact: true })
    .click({ timeout: 30_000 });
}

async function setNumber(page, label, value) {
  // the label as a word: the sidebar's Models link is labelled too
  const input = page.getByLabel(labelled(label)).first();
  await input.fill('');
  await input.fill(String(value));
}

test('Train a model: live validation, submit, task finishes', async () => {
  const page = await context.newPage();
  try {
    await trainAModel(page);
  } catch (error) {
    await shot(page, 'train-model-failure.png');
    throw error;
  }
});

async function trainAModel(page) {
  await page.goto(`${PORTAL_URL}/create/templates/default/train-model`);

  // Step 1: job type first (SFT by default), family from the whitelist, a
  // base model of that family, and the one dataset of the fitting type.
  await page.getByText('Job type').first().waitFor({ timeout: 60_000 });
  await pick(page, 'Base model', 'Llama 3 8B');
  // The only sft_pair dataset is selected by itself.
  await page
    .locator('input[value="dataset:default/support-tickets-sft"]')
    .waitFor({ timeout: 30_000 });
  // The dataset's versions are listed under the version field.
  await page
    .getByText(
      /Versions of dataset:default\/support-tickets-sft: (v2, v3|v3, v2)/,
    )
    .first()
    .waitFor({ timeout: 30_000 });
  await page.getByLabel('Dataset version').first().fill('v3');
  await shot(page, 'train-model-1-job.png');
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: the hyperparameters have SFT defaults; max_seq_len is bounded by
  // the base model (8192), and the live validation says so as the user types.
  const maxSeqLen = page.getByLabel('Max sequence length').first();
  await maxSeqLen.waitFor({ timeout: 30_000 });
  assert.equal(
    await page.getByLabel('Learning rate').first().inputValue(),
    '0.0002',
  );
  await page.getByText('At most 8192').first().waitFor({ timeout: 30_000 });
  await setNumber(page, 'Max sequence length', 16384);
  const error = page
    .getByTestId('llmops-spec-error')
    .filter({ hasText: 'hyperparams.max_seq_len_exceeds_base_model' });
  await error.waitFor({ timeout: 30_000 });
  assert.match(
    await error.innerText(),
    /exceeds the maxPositionEmbeddings of base model model:default\/llama-3-8b \(8192\)/,
  );
  await shot(page, 'train-model-2-live-error.png');

  await setNumber(page, 'Max sequence length', 4096);
  await error.waitFor({ state: 'detached', timeout: 30_000 });
  await shot(page, 'train-model-3-error-cleared.png');
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 3: method (lora for SFT) and resources, with defaults.
  await page.getByLabel('GPUs per node').first().waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 4: output.
  await page.getByLabel('Artifact name').first().fill('e2e-support-sft');
  await page.getByRole('button', { name: 'Review' }).click();
  await page
    .getByRole('button', { name: 'Create' })
    .waitFor({ timeout: 30_000 });
  await shot(page, 'train-model-4-review.png');
  await page.getByRole('button', { name: 'Create' }).click();

  // The task submits the job to the demo stack's Argo server and MLflow.
  await page.waitForURL(/\/create\/tasks\//, { timeout: 60_000 });
  await page
    .getByText(/The Argo workflow and the MLflow run are linked above/)
    .first()
    .waitFor({ timeout: 120_000 });
  const body = await page.locator('body').innerText();
  const [, jobId] = /Training job ([0-9a-f-]{36})/.exec(body) ?? [];
  assert.ok(jobId, 'the task names its job');
  assert.match(body, /Status: submitted/);
  await shot(page, 'train-model-5-task-finished.png');

  // Argo's controller runs it on the cluster's GPU nodes. The page, opened
  // once and never reloaded, follows it (the lifecycle tracker's signals).
  await page.goto(`${PORTAL_URL}/llm-ops/training-jobs/${jobId}`);
  const status = page.getByTestId('llmops-subject-status').first();
  await status.waitFor({ timeout: 60_000 });
  await page.waitForFunction(
    () =>
      /succeeded/.test(
        document.querySelector('[data-testid="llmops-subject-status"]')
          ?.textContent ?? '',
      ),
    undefined,
    { timeout: 240_000, polling: 1_000 },
  );
  assert.match(await status.innerText(), /succeeded/);
  const phase = page.getByRole('row').filter({ hasText: 'Workflow phase' });
  assert.match(await phase.first().innerText(), /Succeeded/);
  await shot(page, 'train-model-6-job-succeeded.png');

  // Its owner is notified, with a link to the job's page.
  await page.goto(`${PORTAL_URL}/notifications`);
  const note = page.getByText('Training job e2e-support-sft succeeded').first();
  await note.waitFor({ timeout: 60_000 });
  await shot(page, 'train-model-7-notification.png');

  // The training code registers what it made in MLflow with the job's id
  // tag (the README's tag contract): a new version of the support
  // assistant. The job records it as its output, and the catalog draws
  // dataset version -> job -> model.
  const { mlflow } = readPeers();
  const { body: job } = await callApi(
    PORTAL_URL,
    'GET',
    `/training-jobs/${jobId}`,
  );
  const runId = job.data.run.id;
  const created = await fetch(
    `${mlflow.uri}/api/2.0/mlflow/model-versions/create`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'support-assistant',
        source: `runs:/${runId}/model`,
        run_id: runId,
        tags: [{ key: 'llmops.job_id', value: jobId }],
      }),
    },
  );
  assert.equal(created.status, 200, await created.clone().text());
  const { version } = (await created.json()).model_version;

  await page.goto(`${PORTAL_URL}/llm-ops/training-jobs/${jobId}`);
  await page
    .getByText(`support-assistant version ${version}`)
    .first()
    .waitFor({ timeout: 120_000 });
  await shot(page, 'train-model-8-output.png');

  await page.getByRole('link', { name: 'In the catalog graph' }).click();
  await page.waitForURL(new RegExp(`/catalog/default/trainingjob/${jobId}`));
  const card = page.getByText(
    'No model version registered with this job id yet',
  );
  const produced = page.getByText(`version ${version}`).first();
  // The catalog's copy follows the job's events; reload until it has it.
  for (let i = 0; i < 12 && !(await produced.isVisible()); i++) {
    await page.waitForTimeout(5_000);
    await page.reload();
    await Promise.race([
      produced.waitFor({ timeout: 10_000 }),
      card.waitFor({ timeout: 10_000 }),
    ]).catch(() => {});
  }
  await produced.waitFor({ timeout: 10_000 });
  const graph = page.locator('svg');
  await graph
    .getByText('Support assistant (Llama 3 8B, SFT)')
    .first()
    .waitFor({ timeout: 60_000 });
  await graph
    .getByText('Support tickets (instruction pairs)')
    .first()
    .waitFor();
  await shot(page, 'train-model-9-lineage-graph.png');
}

test('Deploy a model: derived serve target, live checks against the model', async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${PORTAL_URL}/create/templates/default/deploy-model`);
    await page
      .getByText('Deployment name')
      .first()
      .waitFor({ timeout: 60_000 });
    await pick(page, 'Model', 'Support assistant (Llama 3 8B, SFT)');
    // The model's facts, with the serve target derived from its job type.
    await page
      .getByTestId('llmops-model-facts')
      .filter({ hasText: 'serve target GENERATION (derived)' })
      .waitFor({ timeout: 30_000 });
    // The version comes from MLflow's registry: champion (version 3 in the
    // demo registry) unless another is picked.
    await page
      .getByText("From MLflow's registry (support-assistant)")
      .waitFor({ timeout: 30_000 });
    await page
      .getByText('@champion (version 3)')
      .first()
      .waitFor({ timeout: 30_000 });
    await page
      .getByLabel('Deployment name')
      .first()
      .fill('support-assistant-e2e');
    await page.getByRole('button', { name: 'Next' }).click();

    // Resources are checked against serving.minGpuMemoryGb (24), and the
    // input tokens are bounded by the context length (8192).
    await page
      .getByLabel('Max input tokens')
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByText('At most 8192').first().waitFor({ timeout: 30_000 });
    await setNumber(page, 'Memory per GPU (GB)', 16);
    await setNumber(page, 'Max input tokens', 9000);
    const errors = page.getByTestId('llmops-spec-error');
    await errors
      .filter({ hasText: 'resources.insufficient_gpu' })
      .waitFor({ timeout: 30_000 });
    await errors
      .filter({ hasText: 'runtime.max_input_tokens_exceeds_model' })
      .waitFor({ timeout: 30_000 });
    await shot(page, 'deploy-model-1-live-errors.png');

    // The step cannot be left while an error shows.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForTimeout(1_000);
    assert.equal(await page.getByLabel('Max input tokens').count(), 1);

    await setNumber(page, 'Memory per GPU (GB)', 80);
    await setNumber(page, 'Max input tokens', 4096);
    await errors.first().waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Strategy').first().waitFor({ timeout: 30_000 });
    await shot(page, 'deploy-model-2-rollout.png');

    // Rolling (the default, which KServe's RawDeployment mode enforces): apply.
    await page.getByRole('button', { name: 'Review' }).click();
    await page
      .getByRole('button', { name: 'Create' })
      .waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/create\/tasks\//, { timeout: 60_000 });
    await page
      .getByText(/deployed|Deployment/)
      .first()
      .waitFor({ timeout: 120_000 });
    await shot(page, 'deploy-model-3-task.png');

    // KServe's controller reconciles it; the portal reports it Ready.
    const peers = readPeers();
    const isvc = `${peers.kube.url}/apis/serving.kserve.io/v1beta1/namespaces/llm-dev/inferenceservices/support-assistant-e2e`;
    let ready = false;
    for (let i = 0; i < 90 && !ready; i++) {
      const found = await callApi(
        PORTAL_URL,
        'GET',
        '/deployments?name=support-assistant-e2e',
      );
      const [deployment] = found.body.data?.items ?? [];
      if (deployment) {
        // the alias was pinned to the version it pointed at
        assert.equal(deployment.spec.model_version, '3');
        const status = await callApi(
          PORTAL_URL,
          'GET',
          `/deployments/${deployment.id}/status`,
        );
        ready = status.body.data?.ready === true;
      }
      if (!ready) await page.waitForTimeout(2_000);
    }
    assert.ok(ready, `the InferenceService ${isvc} became Ready`);
  } catch (error) {
    await shot(page, 'deploy-model-failure.png');
    throw error;
  }
});

// `yarn bench:model-page`: how long a Model page with 200 MLflow runs takes
// to become interactive in Chromium (the runs table filled, the chart drawn,
// the run checkboxes enabled), measured from navigation start in the page's
// own clock. Needs the built app (yarn workspace app build); the script
// starts the real MLflow (seeded with LLMOPS_DEMO_RUNS=200 runs) and the portal.
import { launchBrowser, PORTAL_URL, signIn } from '../browser.mjs';
import { readPeers } from '../peers.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const peers = readPeers();
const runs = peers.runIds.length;
const newest = `support-assistant-sft-${String(runs).padStart(3, '0')}`;
const url = `${PORTAL_URL}/catalog/default/model/support-assistant-llama-3-8b/runs`;

const context = await launchBrowser();
try {
  const page = await context.newPage();
  await signIn(page);
  const times = [];
  for (let round = 0; round <= ROUNDS; round++) {
    await page.goto('about:blank');
    await page.goto(url);
    await page.getByText(newest).first().waitFor({ timeout: 120_000 });
    await page
      .locator('[data-testid="llmops-metric-chart"] path.recharts-line-curve')
      .first()
      .waitFor({ timeout: 120_000 });
    await page.getByRole('checkbox').first().waitFor({ state: 'visible' });
    const ms = await page.evaluate(() => performance.now());
    // The table's pager, such as "1-5 of 200": every run was loaded.
    const shown = await page.evaluate(
      () => document.body.innerText.match(/\d+-\d+ of \d+/)?.[0] ?? '',
    );
    if (round === 0) {
      console.log(
        `warm-up (cold bundle cache): ${ms.toFixed(
          0,
        )} ms; runs in MLflow: ${runs}; table pager: ${shown}`,
      );
    } else {
      times.push(ms);
    }
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)];
  console.log(
    `Model page with ${runs} runs, time to interactive over ${times.length} loads: ` +
      `p50 ${p50.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times
        .at(-1)
        .toFixed(0)} ms`,
  );
} finally {
  await context.close();
}

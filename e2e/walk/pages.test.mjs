// The pages an ML engineer opens first, walked with the tools up (the demo
// stack) or, with LLMOPS_WALK_TOOLS=down, with every tool unreachable. Each
// page fails on a console error, a failed request, a serious or critical
// axe-core violation, and, with the tools down, any "has no" claim.
// Screenshots: test-results/walk-<up|down>-<page>.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, signIn } from '../browser.mjs';
import { PAGES, walkPage } from './walk.mjs';

const toolsDown = process.env.LLMOPS_WALK_TOOLS === 'down';
const prefix = `walk-${toolsDown ? 'down' : 'up'}`;
let context;
before(async () => {
  context = await launchBrowser();
  const page = await context.newPage();
  await signIn(page);
  await page.close();
});
after(async () => {
  await context?.close();
});

for (const spec of PAGES) {
  test(`${spec.name} (${spec.path}) with the tools ${
    toolsDown ? 'down' : 'up'
  }`, async () => {
    const findings = await walkPage(context, spec, { toolsDown, prefix });
    if (findings.length > 0) {
      assert.fail(`${spec.path}:\n  ${findings.join('\n  ')}`);
    }
  });
}

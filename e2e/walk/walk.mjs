// Walks the pages an ML engineer opens first, as the browser tests do: each
// page is loaded, given time to settle, screenshotted, and checked for
// console errors, failed requests, "has no" claims while the tools are down,
// and serious or critical accessibility violations (axe-core).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PORTAL_URL, RESULTS_DIR } from '../browser.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The pages walked, each with a text that shows it has rendered. */
export const PAGES = [
  { name: 'home', path: '/', ready: 'Models by family' },
  {
    name: 'models',
    path: '/llm-ops/models',
    ready: 'Support assistant (Llama 3 8B, SFT)',
  },
  {
    name: 'datasets',
    path: '/llm-ops/datasets',
    ready: 'Support tickets (instruction pairs)',
  },
  {
    name: 'serving',
    path: '/llm-ops/serving',
    ready: 'Support assistant (prod, canary)',
  },
  {
    name: 'model',
    path: '/catalog/default/model/support-assistant-llama-3-8b',
    ready: 'Model registry',
    check: lineageIcons,
  },
  {
    name: 'model-runs',
    path: '/catalog/default/model/support-assistant-llama-3-8b/runs',
    ready: /Metric history|No training runs/,
  },
  {
    name: 'dataset',
    path: '/catalog/default/dataset/support-tickets-sft',
    ready: 'Dataset versions',
  },
  {
    name: 'deployment',
    path: '/catalog/default/deployment/support-assistant-prod',
    ready: 'Support assistant (prod, canary)',
  },
  {
    name: 'training-jobs',
    path: '/llm-ops/training-jobs',
    ready: 'Model family',
  },
  {
    name: 'deployments',
    path: '/llm-ops/deployments',
    ready: 'Model ref (exact)',
  },
  {
    name: 'template-train',
    path: '/create/templates/default/train-model',
    ready: 'Train',
  },
  {
    name: 'template-deploy',
    path: '/create/templates/default/deploy-model',
    ready: 'Deploy',
  },
  {
    name: 'template-promote',
    path: '/create/templates/default/promote-deployment',
    ready: 'Promote',
  },
];

/** Every node of the lineage graph draws its kind's icon. */
async function lineageIcons(page) {
  const nodes = 'svg#dependency-graph g[data-testid="node"]';
  // the graph lays itself out after the cards have loaded
  await page.locator(nodes).first().waitFor({ timeout: 15_000 });
  const [all, withIcon] = await page.evaluate(selector => {
    const found = [...document.querySelectorAll(selector)];
    return [found.length, found.filter(n => n.querySelector('svg')).length];
  }, nodes);
  return withIcon === all
    ? []
    : [`lineage: ${withIcon} of ${all} nodes draw a kind icon`];
}

// Requests a page may lose without that being the page's fault: the browser
// aborts in-flight reads when the test moves on.
const IGNORED_FAILURES = [/net::ERR_ABORTED/];

/**
 * The one violation not counted, printed instead: Backstage UI's header tabs
 * (the scaffolder's "Templates" tab, `bui-Tab` links) point `aria-controls`
 * at a tab panel they never render. It is in @backstage/ui, not this repo;
 * anything else on those elements still counts.
 */
function isKnownUpstream(v) {
  return (
    v.id === 'aria-valid-attr-value' &&
    v.targets.every(
      t => t.includes('<a class="bui-Tab') && t.includes('aria-controls='),
    )
  );
}

/**
 * Opens one page and returns what went wrong on it: a list of findings,
 * empty when the page is clean.
 */
export async function walkPage(context, spec, { toolsDown, prefix }) {
  const page = await context.newPage();
  const findings = [];
  page.on('console', msg => {
    if (msg.type() === 'error') findings.push(`console error: ${msg.text()}`);
    // the app's icons are elements, never deprecated components
    if (/registered as IconComponent/.test(msg.text())) {
      findings.push(`console ${msg.type()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', error => findings.push(`page error: ${error.message}`));
  page.on('requestfailed', request => {
    const failure = request.failure()?.errorText ?? 'failed';
    if (!IGNORED_FAILURES.some(re => re.test(failure))) {
      findings.push(
        `request failed: ${request.method()} ${request.url()} (${failure})`,
      );
    }
  });
  page.on('response', response => {
    if (response.status() >= 400) {
      findings.push(
        `request failed: ${response
          .request()
          .method()} ${response.url()} answered ${response.status()}`,
      );
    }
  });
  try {
    await page.goto(`${PORTAL_URL}${spec.path}`);
    // a text of the page's own, never one the sidebar also shows
    await page
      .getByText(spec.ready, { exact: false })
      .first()
      .waitFor({ timeout: 60_000 });
    // Cards load on their own; wait until no progress bar is left.
    await page
      .waitForFunction(
        () =>
          document.querySelectorAll(
            '[data-testid="progress"], [role="progressbar"]',
          ).length === 0,
        undefined,
        { timeout: 30_000 },
      )
      .catch(() => findings.push('a progress bar was still shown after 30 s'));
    await page.waitForTimeout(500);
    if (spec.check) findings.push(...(await spec.check(page)));
    await page.screenshot({
      path: path.join(RESULTS_DIR, `${prefix}-${spec.name}.png`),
      fullPage: true,
    });
    const text = await page.locator('body').innerText();
    if (toolsDown) {
      for (const line of text.split('\n')) {
        if (/\bhas no\b/i.test(line))
          findings.push(`says "has no" with the tools down: ${line.trim()}`);
      }
    }
    // evaluated, not a script tag: the portal's CSP rightly refuses inline scripts
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, {
        resultTypes: ['violations'],
      });
      return result.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes
            .slice(0, 3)
            .map(
              n =>
                `${n.target.join(' ')} ${n.html.slice(0, 160)} ${
                  n.failureSummary ?? ''
                }`,
            ),
        }));
    });
    for (const v of violations) {
      const text = `axe ${v.impact} ${v.id}: ${v.help} (${v.targets.join(
        '; ',
      )})`;
      if (isKnownUpstream(v))
        console.log(`known upstream, not counted: ${text}`);
      else findings.push(text);
    }
  } catch (error) {
    findings.push(`did not render: ${error.message.split('\n')[0]}`);
    await page
      .screenshot({
        path: path.join(RESULTS_DIR, `${prefix}-${spec.name}-failure.png`),
        fullPage: true,
      })
      .catch(() => {});
  } finally {
    await page.close();
  }
  return findings;
}

// Launches Debian's Chromium through playwright-core; never a downloaded browser.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const PORTAL_URL = process.env.PORTAL_URL ?? 'http://localhost:7007';
export const RESULTS_DIR = path.resolve(
  new URL('..', import.meta.url).pathname,
  'test-results',
);

export async function launchBrowser() {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'llmops-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Opens the portal and signs in as a guest. */
export async function signIn(page, url = PORTAL_URL) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Enter' }).click({ timeout: 60_000 });
  await page
    .getByRole('link', { name: 'Catalog', exact: true })
    .first()
    .waitFor({ timeout: 60_000 });
}

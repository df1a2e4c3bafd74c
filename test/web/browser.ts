import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The web app in a real browser: Debian's Chromium driven by playwright-core (Playwright's own downloads are not
 * reachable here). Its headless shell (`chromium-headless-shell`, the same Blink engine without the desktop browser
 * around it; what Playwright itself runs headless) when installed, else the full `chromium`: the shell costs about a
 * sixth less CPU on the browser tests (current-weeks lane: 61 s against 69–73 s of CPU, 2026-12-07), and the suite is
 * bound by CPU. `CHROMIUM_PATH` chooses another. No browser is a failure with the install command, never a skip.
 */
export const executablePath =
  process.env['CHROMIUM_PATH'] ?? ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((path) => existsSync(path)) ?? '/usr/bin/chromium';
const installHint = `No Chromium at ${executablePath}: install it with \`sudo apt-get install -y chromium-headless-shell\` (.ci/run does this), or point CHROMIUM_PATH at one.`;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(executablePath)) throw new Error(installHint);
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

/** What a page did that it must not: requests to any other origin than the app, the API and the sign-in, console errors. */
export interface Watch {
  foreignRequests: string[];
  errors: string[];
}

/** A browser context that records every request leaving the allowed origins and every console error. */
export async function openContext(
  browser: Browser,
  allowedOrigins: string[],
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; watch: Watch }> {
  const context = await browser.newContext({ locale: 'sv-SE', timezoneId: 'Europe/Stockholm', ...options });
  // A hang guard, not a speed limit (as the suite's testTimeout): on a loaded 2-core machine a page and the system
  // behind it answer many times slower than on a quiet one, and Playwright's own 30 s would fail a test that is right.
  context.setDefaultTimeout(120_000);
  const watch: Watch = { foreignRequests: [], errors: [] };
  context.on('request', (r) => {
    const url = r.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (!allowedOrigins.some((o) => url.startsWith(`${o}/`) || url === o)) watch.foreignRequests.push(url);
  });
  context.on('page', (page) => {
    page.on('console', (m) => {
      // Chromium logs every 4xx the app received; those are answers the app shows (a 409, a 400), not errors.
      if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
        watch.errors.push(m.text());
    });
    page.on('pageerror', (e) => watch.errors.push(e.message));
  });
  return { context, watch };
}

/** Signs in through the local OpenID provider's page, as a person would: open the app, pick the account. */
export async function signIn(page: Page, webUrl: string, who: string, path = '/'): Promise<void> {
  await page.goto(`${webUrl}${path}`);
  await page.getByRole('button', { name: new RegExp(`^Logga in som ${who}\\b`) }).click();
  await page.waitForURL((url) => url.origin === new URL(webUrl).origin && !url.searchParams.has('code'));
}

/** axe-core with the WCAG 2.1 A and AA rules: zero violations, listed by rule and element when there are any. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(' | ')}`,
  );
  expect(found, `axe on ${what}`).toEqual([]);
}

/**
 * Screenshots for the README and docs (docs/screenshots), made by the browser tests at the moments they show, so they
 * stay true to the app: `npm run screenshots` writes them. A plain `npm test` does not, so it leaves the working tree
 * as it found it (and spends no time encoding pictures).
 */
export const screenshotDir = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.IKB_SCREENSHOTS) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: false });
}

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, launchBrowser, openContext, signIn } from './browser.js';

const { webUrl, apiUrl } = inject('web');
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe('signing in through the local OpenID provider', () => {
  it('serves the app with the CloudFront security headers and its config.json', async () => {
    const res = await fetch(`${webUrl}/veckan`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`connect-src 'self' ${apiUrl}`);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const config = (await (await fetch(`${webUrl}/config.json`)).json()) as { apiUrl: string; oidc: { authority: string } };
    expect(config).toMatchObject({ apiUrl, oidc: { authority: `${apiUrl}/oidc`, clientId: 'ikb-planner-web' } });
    expect((await fetch(`${webUrl}/assets/nothing.js`)).status).toBe(404);
  });

  it('shows the provider’s sign-in page, accessible, and lands the coordinator in the console', async () => {
    const { context, watch } = await openContext(browser, [webUrl, apiUrl]);
    const page = await context.newPage();
    await page.goto(`${webUrl}/`);
    await expect.poll(() => page.url()).toContain('/oidc/interaction/');
    await expectAccessible(page, 'the sign-in page');
    await page.getByRole('button', { name: /^Logga in som sara\b/ }).click();
    await page.waitForURL(`${webUrl}/`);
    await expect.poll(() => page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Veckan' }).isVisible()).toBe(true);
    await expectAccessible(page, 'the start page');
    expect(watch.foreignRequests).toEqual([]);
    expect(watch.errors).toEqual([]);
    // Nothing in the browser's storage but the provider's short-lived redirect state (removed on return).
    const stored = await page.evaluate(() => ({ local: Object.keys(localStorage), session: Object.keys(sessionStorage) }));
    expect(stored).toEqual({ local: [], session: [] });
    await context.close();
  });

  it('ends the session at the provider on Logga ut', async () => {
    const { context } = await openContext(browser, [webUrl, apiUrl]);
    const page = await context.newPage();
    await signIn(page, webUrl, 'sara');
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('button', { name: 'Ja, logga ut' }).click();
    // The provider sends the browser back to the app, which asks for a sign-in at once: the session is over. (A goto of
    // our own here raced that redirect on a loaded machine.)
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/'));
    await context.close();
  });

  it('gives a therapist their own view, never the console', async () => {
    const { context } = await openContext(browser, [webUrl, apiUrl]);
    const page = await context.newPage();
    await signIn(page, webUrl, 'anna', '/veckan');
    // /veckan is the therapist's own week here (their menu, their schedule), not the console's board.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toBe('Veckan');
    expect(await page.getByRole('navigation', { name: 'Meny' }).getByRole('link', { name: 'Idag' }).count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Huvudmeny' }).count()).toBe(0);
    await context.close();
  });
});

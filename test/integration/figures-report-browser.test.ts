import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse, Caller } from '../helpers/api.js';
import { call, useTable } from '../helpers/api.js';
import { activeFamily, familyBody, seedTeam } from '../helpers/fixtures.js';
import { launchBrowser } from '../web/browser.js';

/**
 * The printable report opened in a real browser: Debian's Chromium driven by playwright-core, as the web app's tests
 * open it (test/web/browser.ts). No browser is a failure with the install command, never a skip.
 */

useTable();
let coordinator: Caller;
let browser: Browser;
const team = 'rep-browser';
const period = { from: '2026-09', to: '2026-11' };

interface VisitOut {
  id: string;
  version: number;
}
const book = async (family: string, kind: string, day: string): Promise<VisitOut> => {
  const res = await call('POST', '/visits', { as: coordinator, body: { family, kind, start: `${day}T16:00`, end: `${day}T17:00` } });
  if (res.status !== 201) throw new Error(res.text);
  return res.body as VisitOut;
};
const done = async (v: VisitOut) =>
  expect((await call('POST', `/visits/${v.id}/outcome`, { as: coordinator, body: { version: v.version, status: 'done' } })).status).toBe(200);

beforeAll(async () => {
  browser = await launchBrowser();
  ({ coordinator } = await seedTeam(team));
  // Two completed cases: 3 and 2 family-weeks in November, one declined referral.
  await activeFamily(coordinator, 'BRW-2026-01');
  for (const day of ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-09', '2026-11-10', '2026-11-16'])
    await done(await book('BRW-2026-01', 'family', day));
  await activeFamily(coordinator, 'BRW-2026-02', 'erik', 'lina', { place: 'Kalmar', startDate: '2026-11-09' });
  for (const day of ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-16', '2026-11-17'])
    await done(await book('BRW-2026-02', 'joint', day));
  for (const code of ['BRW-2026-01', 'BRW-2026-02']) {
    const fam = (await call('GET', `/families/${code}`, { as: coordinator })).body as { version: number };
    const res = await call('POST', `/families/${code}/status`, {
      as: coordinator,
      body: {
        to: 'completed',
        version: fam.version,
        endDate: '2026-11-22',
        completionType: 'as_planned',
        outcomes: { schoolAttendance: 'increased' },
      },
    });
    if (res.status !== 200) throw new Error(res.text);
  }
  expect((await call('POST', '/families', { as: coordinator, body: familyBody('BRW-2026-03') })).status).toBe(201);
  expect(
    (await call('POST', '/families/BRW-2026-03/status', { as: coordinator, body: { to: 'declined', version: 1, reason: 'outside_target_group' } }))
      .status,
  ).toBe(200);
}, 300_000);
afterAll(async () => {
  await browser?.close();
});

/** Opens a report response as the browser would receive it (status, headers — including the CSP — and body), collecting console errors. */
async function open(res: ApiResponse): Promise<{ page: Page; errors: string[] }> {
  expect(res.status).toBe(200);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.route('http://ikb.test/**', (route) => route.fulfill({ status: res.status, headers: res.headers, body: res.text }));
  await page.goto('http://ikb.test/figures/report', { waitUntil: 'load' });
  return { page, errors };
}

/** Page count and page size (points) of a PDF, from its page objects' MediaBox. */
function pdfPages(pdf: Buffer): { pages: number; sizes: [number, number][] } {
  const text = pdf.toString('latin1');
  const sizes = [...text.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map(
    (m) => [Number(m[1]), Number(m[2])] as [number, number],
  );
  const pages = [...text.matchAll(/\/Type\s*\/Page(?!s)/g)].length;
  return { pages, sizes };
}

describe('the report in a real headless browser (Chromium)', () => {
  it('renders every chart with the right number of marks, without console errors, and prints to A4', async () => {
    const { page, errors } = await open(await call('GET', `/figures/report?from=${period.from}&to=${period.to}`, { as: coordinator }));
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    expect(await page.locator('script').count()).toBe(0);
    // Started/completed per month: two columns per month (3 months), plus the two legend keys.
    expect(await page.locator('svg.monthly-chart rect.bar:not(.key)').count()).toBe(6);
    // Referrals by municipality: one bar per team place.
    const byPlace = page.locator('figure.chart-figure', { has: page.locator('figcaption', { hasText: 'Remisser per kommun' }) });
    expect(await byPlace.locator('rect.bar').count()).toBe(4);
    // One small chart per case, with one point per family-week, and a drawn line and target band.
    const cases = page.locator('figure.case');
    expect(await cases.count()).toBe(2);
    expect(await cases.nth(0).locator('circle.point').count()).toBe(3);
    expect(await cases.nth(1).locator('circle.point').count()).toBe(2);
    expect(await cases.nth(0).locator('figcaption').innerText()).toContain('Ärende A');
    const band = await cases.nth(0).locator('rect.target-band').boundingBox();
    expect(band?.height).toBeGreaterThan(5);
    const line = await cases.nth(0).locator('path.line').boundingBox();
    expect(line?.width).toBeGreaterThan(50);
    // Bars have their rendered size: 2 started in November is twice as tall as… nothing in September (0).
    const heights = await page
      .locator('svg.monthly-chart rect.bar.started:not(.key)')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    expect(heights[0]).toBe(0);
    expect(heights[2]).toBeGreaterThan(20);
    // Every section is laid out (visible, non-empty) and the outcome charts exist.
    expect(await page.locator('section').count()).toBe(8);
    expect(await page.locator('#resultat svg.bar-chart').count()).toBe(9);

    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, sizes } = pdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(8); // a page break between sections
    expect(sizes.length).toBeGreaterThan(0);
    for (const [w, h] of sizes) {
      expect(Math.abs(w - 595.28)).toBeLessThan(2); // 210 mm
      expect(Math.abs(h - 841.89)).toBeLessThan(2); // 297 mm
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shared: hidden cells are equal hatched stubs, not drawn to scale, and there are no per-case charts', async () => {
    const { page, errors } = await open(await call('GET', `/figures/report?from=${period.from}&to=${period.to}&share=true`, { as: coordinator }));
    expect(await page.locator('figure.case').count()).toBe(0);
    const hidden = page.locator('rect.bar.hidden');
    expect(await hidden.count()).toBeGreaterThan(3);
    const widths = await page
      .locator('svg.bar-chart rect.bar.hidden')
      .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().width * 10)));
    expect(new Set(widths).size).toBe(1);
    expect(await hidden.first().getAttribute('fill')).toBe('url(#hatch)');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdfPages(pdf).sizes.every(([w, h]) => Math.abs(w - 595.28) < 2 && Math.abs(h - 841.89) < 2)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});

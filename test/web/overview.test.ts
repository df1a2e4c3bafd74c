import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiAs, visitsOfWeek } from './api.js';
import { expectAccessible, launchBrowser, openContext, screenshot, signIn } from './browser.js';
import type { Watch } from './browser.js';

/** The coordinator's start page (attention, Logga förfrågan) and Utvärdering (figures, downloads, retention): tasks 7 and 8. */
const { webUrl, apiUrl } = inject('web');
const week = (plus: number) => DateTime.now().setZone('Europe/Stockholm').plus({ weeks: plus }).toFormat("kkkk-'W'WW");
let browser: Browser;
let page: Page;
let watch: Watch;

beforeAll(async () => {
  browser = await launchBrowser();
  const opened = await openContext(browser, [webUrl, apiUrl], { viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  watch = opened.watch;
  page = await opened.context.newPage();
  await signIn(page, webUrl, 'sara', '/');
});
afterAll(async () => {
  expect(watch.foreignRequests).toEqual([]);
  expect(watch.errors).toEqual([]);
  await browser?.close();
});

describe('Översikt: what needs attention', () => {
  it('lists a visit left standing in an absence, with the way to its repair', async () => {
    const v = (await visitsOfWeek(week(1))).find((x) => x.status === 'planned' && x.staff.includes('lina'));
    if (!v) throw new Error('no visit of lina next week in the demo data');
    const day = v.startLocal.slice(0, 10);
    expect((await apiAs('sara', 'POST', '/staff/lina/absences', { from: day, to: day, kind: 'training' })).status).toBe(201);
    await page.goto(`${webUrl}/`);
    const list = page.getByRole('heading', { name: 'Behöver uppmärksamhet' }).locator('..').getByRole('list');
    const item = list.getByRole('listitem').filter({ hasText: v.family }).filter({ hasText: 'lina är frånvarande' });
    await item.first().waitFor();
    await expect
      .poll(() =>
        item
          .first()
          .getByRole('link', { name: /Föreslå omplanering/ })
          .getAttribute('href'),
      )
      .toBe(`/veckan?v=${week(1)}&omplanera=1`);
    await expectAccessible(page, 'the start page with attention items');
    await screenshot(page, 'overview');
  });

  it('logs an inquiry in two clicks: the API has it, categories only', async () => {
    const before = (
      await apiAs<{ inquiries: unknown[] }>('sara', 'GET', `/inquiries?from=${DateTime.now().toISODate()}&to=${DateTime.now().toISODate()}`)
    ).body.inquiries.length;
    await page.goto(`${webUrl}/`);
    await page.getByRole('button', { name: 'Logga förfrågan' }).click();
    const dialog = page.getByRole('dialog', { name: 'Logga förfrågan' });
    await expectAccessible(page, 'the inquiry dialog');
    await dialog.getByRole('button', { name: 'Spara förfrågan' }).click();
    await dialog.getByText(/Förfrågan är loggad/).waitFor();
    const after = (
      await apiAs<{ inquiries: { kind: string; channel: string }[] }>(
        'sara',
        'GET',
        `/inquiries?from=${DateTime.now().toISODate()}&to=${DateTime.now().toISODate()}`,
      )
    ).body.inquiries;
    expect(after.length).toBe(before + 1);
    expect(after).toContainEqual(expect.objectContaining({ kind: 'inquiry', channel: 'in_passing' }));
    await dialog.getByRole('button', { name: 'Klar' }).click();
  });
});

describe('Utvärdering: figures, report, CSV, retention', () => {
  it('shows the pilot’s figures as the slides count them, and downloads the report and CSV signed in', async () => {
    await page.goto(`${webUrl}/utvardering`);
    await page.getByRole('button', { name: 'Piloten 2023–2025' }).click();
    const table = page.getByRole('table', { name: /Siffror 2023-01–2025-12/ });
    await table.waitFor();
    const row = (name: string) =>
      table
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
        .getByRole('cell');
    const figures = (await apiAs<{ cases: { started: number }; referrals: { declined: number } }>('sara', 'GET', '/figures?from=2023-01&to=2025-12'))
      .body;
    expect(figures.cases.started).toBe(13);
    await expect.poll(() => row('Ärenden som startade').textContent()).toBe('13');
    await expect.poll(() => row('– avböjda').textContent()).toBe(String(figures.referrals.declined));
    await expectAccessible(page, 'the evaluation page');
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Ladda ner rapporten' }).click()]);
    expect(report.suggestedFilename()).toBe('ikb-rapport-2023-01–2025-12.html');
    expect(readFileSync(await report.path(), 'utf8')).toMatch(/<html[^>]*lang="sv"/);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Ladda ner CSV' }).click()]);
    expect(readFileSync(await csv.path(), 'utf8').charCodeAt(0)).toBe(0xfeff);
    await page.getByRole('table', { name: /Kvitton på gallringar/ }).waitFor();
  });
});

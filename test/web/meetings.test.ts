import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiAs } from './api.js';
import { expectAccessible, launchBrowser, openContext, screenshot, signIn } from './browser.js';
import type { Watch } from './browser.js';

/*
 * Task 6 of issue 21 as the coordinator does it: Möten. Everything happens on the Wednesdays of the weeks 14, 16 and 18
 * weeks from now, where neither the demo's series (Tuesdays, Thursdays) nor the other browser tests (this week and the
 * next few) book anything, and within the 26 weeks a new series books at once. IKB_MEETINGS_WEEKS moves it (e.g. 15
 * or 20) for a re-run against a long-running system.
 */
const { webUrl, apiUrl } = inject('web');
const offset = Number(process.env['IKB_MEETINGS_WEEKS'] ?? 14);
const thisMonday = DateTime.now().setZone('Europe/Stockholm').setLocale('sv-SE').startOf('week');
const wed = (weeks: number) => thisMonday.plus({ weeks, days: 2 });
const [w14, w16, w18] = [wed(offset), wed(offset + 2), wed(offset + 4)];
const date = (d: DateTime) => d.toISODate() ?? '';
const day = (d: DateTime) => d.toFormat('ccc d/M');
const at = (d: DateTime, time: string) => `${date(d)}T${time}`;
const weekOf = (d: DateTime) => `v. ${d.weekNumber} ${d.weekYear} (`;
const from = date(w14.startOf('month'));
const to = date(w18.endOf('month'));
const monthOf = (d: DateTime) => d.toFormat('LLLL yyyy');

/** The API's state as the coordinator reads it (test/web/api.ts). */
const api = <T>(path: string, init: { method?: string; body?: unknown } = {}) => apiAs<T>('sara', init.method ?? 'GET', path, init.body);
interface MeetingRecord {
  id: string;
  title: string;
  kind: string;
  mode: string;
  place?: string;
  address?: string;
  videoLink?: string;
  staff: string[];
  external: { name: string; email: string; organisation: string }[];
  startLocal: string;
  endLocal: string;
  status: string;
  seriesId?: string;
  detached: boolean;
  version: number;
}
const inRange = async () =>
  (await api<{ meetings: MeetingRecord[] }>(`/meetings?from=${from}&to=${to}`)).body.meetings
    .sort((a, b) => a.startLocal.localeCompare(b.startLocal))
    .filter(
      (m) =>
        [w14, w16, w18].map(date).includes(m.startLocal.slice(0, 10)) &&
        !['Information till BUP', 'Kommunmöte Emmaboda', 'Nationell IKB-avstämning'].includes(m.title),
    );

let browser: Browser;
let context: BrowserContext;
let watch: Watch;
let page: Page;
const writes: { method: string; path: string; idempotencyKey: string | undefined }[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  ({ context, watch } = await openContext(browser, [webUrl, apiUrl], { viewport: { width: 1400, height: 1000 } }));
  page = await context.newPage();
  page.on('request', (r: Request) => {
    if (r.url().startsWith(apiUrl) && !['GET', 'OPTIONS'].includes(r.method()))
      writes.push({ method: r.method(), path: new URL(r.url()).pathname, idempotencyKey: r.headers()['idempotency-key'] });
  });
  await signIn(page, webUrl, 'sara', '/moten');
  await page.getByRole('heading', { name: 'Möten', level: 1 }).waitFor();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

const dialog = (name: string) => page.getByRole('dialog', { name });
const apiAnswer = (path: RegExp, method = 'POST') =>
  page.waitForResponse((r) => r.url().startsWith(apiUrl) && path.test(new URL(r.url()).pathname) && r.request().method() === method);
/** Shows the month (or week) that holds a date, through the page's own date field. */
async function goTo(d: DateTime): Promise<void> {
  await page.getByLabel('Gå till datum').fill(date(d));
  await page.getByRole('table', { name: new RegExp(`^Teamets möten (${monthOf(d)}|${weekOf(d).replace(/[.()]/g, '\\$&')})`) }).waitFor();
}
const meetingRow = (day: string, time: string) => page.getByRole('row').filter({ hasText: day }).filter({ hasText: time });

describe('Möten: meetings and series with partners', () => {
  it('shows the team’s meetings of a week, navigates by week and to a date, accessible', async () => {
    await page.getByRole('table', { name: /^Teamets möten v\. / }).waitFor();
    await expectAccessible(page, 'Möten');
    await page.getByLabel('Gå till datum').fill(date(w14));
    await page.getByText(weekOf(w14)).first().waitFor();
    await page.getByRole('button', { name: 'Nästa ›' }).click();
    await page
      .getByText(weekOf(w14.plus({ weeks: 1 })))
      .first()
      .waitFor();
    await page.getByRole('button', { name: '‹ Föregående' }).click();
    await page.getByText(weekOf(w14)).first().waitFor();
    expect(page.url()).toBe(`${webUrl}/moten`);
    expect(await page.title()).toBe('Möten – IKB Planner');
  });

  it('Nytt möte: refuses a personal identity number, shows the API’s 400 beside the e-mail, then books it with a partner', async () => {
    await page.getByRole('button', { name: 'Nytt möte' }).click();
    const form = dialog('Nytt möte');
    await form.waitFor();
    await expectAccessible(page, 'the Nytt möte dialog');
    await form.getByRole('textbox', { name: /^Rubrik/ }).fill('Konsultation Nybro');
    await form.getByLabel('Datum', { exact: true }).fill(date(w14));
    await form.getByLabel('Från', { exact: true }).fill('09:00');
    await form.getByLabel('Till', { exact: true }).fill('10:00');
    await form.getByRole('combobox', { name: 'Kommun' }).selectOption('Nybro');
    await form.getByRole('textbox', { name: /^Adress/ }).fill('Stadshuset, Nybro');
    await form.getByRole('checkbox', { name: /^Erik/ }).check();
    await form.getByRole('button', { name: 'Lägg till extern deltagare' }).click();
    await form.getByRole('textbox', { name: 'Namn 1' }).fill('Kontakt Nybro');
    const email = form.getByRole('textbox', { name: 'E-post 1' });
    await email.fill('kontakt@nybro.example');
    await form.getByRole('textbox', { name: 'Organisation 1' }).fill('Nybro kommun');
    await screenshot(page, 'meeting-form');

    await form.getByRole('textbox', { name: /^Rubrik/ }).fill('Konsultation 121212-1212');
    const before = writes.length;
    await form.getByRole('button', { name: 'Boka mötet' }).click();
    await form.getByText(/Får inte innehålla ett personnummer/).waitFor();
    expect(writes.length, 'nothing was sent').toBe(before);

    await form.getByRole('textbox', { name: /^Rubrik/ }).fill('Konsultation Nybro');
    await email.fill('kontakt@nybro..example');
    const refused = apiAnswer(/^\/meetings$/);
    await form.getByRole('button', { name: 'Boka mötet' }).click();
    expect((await refused).status()).toBe(400);
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ').pop() ?? ''}"]`).textContent(), 'the API’s message beside the field').toMatch(/email/i);
    await expectAccessible(page, 'the Nytt möte dialog with the API’s field error');
    await email.fill('kontakt@nybro.example');
    const booked = apiAnswer(/^\/meetings$/);
    await form.getByRole('button', { name: 'Boka mötet' }).click();
    expect((await booked).status()).toBe(201);
    await page.getByText(/^Mötet är bokat: Konsultation Nybro/).waitFor();
    await meetingRow(day(w14), '09:00–10:00').waitFor();
    const [meeting] = (await inRange()).filter((m) => m.title === 'Konsultation Nybro');
    expect(meeting).toMatchObject({
      kind: 'consultation',
      mode: 'onsite',
      place: 'Nybro',
      address: 'Stadshuset, Nybro',
      staff: ['sara', 'erik'],
      startLocal: at(w14, '09:00'),
      endLocal: at(w14, '10:00'),
      status: 'planned',
    });
    expect(meeting?.external).toEqual([{ name: 'Kontakt Nybro', email: 'kontakt@nybro.example', organisation: 'Nybro kommun' }]);
  });

  it('Ny mötesserie: a preset fills the form; every other Wednesday for five weeks books three occurrences', async () => {
    await page.getByRole('button', { name: 'Ny mötesserie' }).click();
    const form = dialog('Ny mötesserie');
    await form.waitFor();
    const often = form.getByRole('combobox', { name: 'Hur ofta' });
    await form.getByRole('button', { name: 'Nationell avstämning varje månad' }).click();
    expect(await often.inputValue()).toBe('m2');
    await form.getByRole('button', { name: 'BUP-information varje vecka' }).click();
    expect(await often.inputValue()).toBe('w1');
    await form.getByRole('textbox', { name: /^Rubrik/ }).fill('');
    await form.getByRole('button', { name: 'Kommunmöte varannan vecka' }).click();
    expect(await often.inputValue()).toBe('w2');
    expect(await form.getByRole('textbox', { name: /^Rubrik/ }).inputValue()).toBe('Kommunmöte');
    expect(await form.getByRole('combobox', { name: 'Veckodag' }).inputValue()).toBe('2');
    await expectAccessible(page, 'the Ny mötesserie dialog');
    await form.getByRole('textbox', { name: /^Rubrik/ }).fill('Kommunmöte Nybro');
    await form.getByRole('combobox', { name: 'Veckodag' }).selectOption('3');
    await form.getByLabel('Tid', { exact: true }).fill('14:00');
    await form.getByLabel('Första datum').fill(date(w14.startOf('week')));
    await form.getByLabel(/^Sista datum/).fill(date(w18));
    await form.getByRole('radio', { name: 'Digitalt' }).check();
    await form.getByRole('textbox', { name: 'Videolänk' }).fill('https://video.example/nybro');
    const created = apiAnswer(/^\/meeting-series$/);
    await form.getByRole('button', { name: 'Boka serien' }).click();
    expect((await created).status()).toBe(201);
    await form.getByText(/Serien är bokad: Kommunmöte Nybro, varannan vecka, onsdag 14:00, 60 min\. 3 tillfällen bokade/).waitFor();
    await form.getByRole('button', { name: 'Klar' }).click();
    await meetingRow(day(w14), '14:00–15:00').waitFor();
    const series = (await inRange()).filter((m) => m.title === 'Kommunmöte Nybro');
    expect(series.map((m) => m.startLocal)).toEqual([at(w14, '14:00'), at(w16, '14:00'), at(w18, '14:00')]);
    expect(series.every((m) => m.kind === 'municipality' && m.mode === 'online' && m.seriesId === series[0]?.seriesId)).toBe(true);
  });

  it('moves one occurrence and cancels another (Avboka)', async () => {
    await page.getByRole('button', { name: 'Månad' }).click();
    await page.getByText(monthOf(w14)).first().waitFor();
    await expectAccessible(page, 'Möten, a month');
    await goTo(w16);
    await meetingRow(day(w16), '14:00–15:00').getByRole('button', { name: 'Ändra' }).click();
    const change = dialog('Ändra möte');
    await change.waitFor();
    expect(await change.getByRole('radio', { name: 'Bara detta tillfälle' }).isChecked()).toBe(true);
    await expectAccessible(page, 'the Ändra möte dialog');
    await change.getByLabel('Från', { exact: true }).fill('15:00');
    await change.getByLabel('Till', { exact: true }).fill('16:00');
    await change.getByRole('button', { name: 'Spara tillfället' }).click();
    await page.getByText(/^Mötet är ändrat: Kommunmöte Nybro/).waitFor();
    await meetingRow(day(w16), '15:00–16:00').waitFor();

    await goTo(w18);
    await meetingRow(day(w18), '14:00–15:00').getByRole('button', { name: 'Avboka' }).click();
    const cancel = dialog('Avboka möte');
    await cancel.waitFor();
    await expectAccessible(page, 'the Avboka dialog');
    const cancelled = apiAnswer(/\/cancel$/);
    await cancel.getByRole('button', { name: 'Avboka' }).click();
    expect((await cancelled).status()).toBe(200);
    await page.getByText(/^Mötet är avbokat: Kommunmöte Nybro/).waitFor();
    await goTo(w14);

    const series = (await inRange()).filter((m) => m.title === 'Kommunmöte Nybro');
    expect(series.map((m) => [m.startLocal, m.status, m.detached])).toEqual([
      [at(w14, '14:00'), 'planned', false],
      [at(w16, '15:00'), 'planned', true],
      [at(w18, '14:00'), 'cancelled', false],
    ]);
  });

  it('a change made meanwhile gives a 409 with the latest shown and the form kept; the retry keeps the other change', async () => {
    const [read] = (await inRange()).filter((m) => m.title === 'Konsultation Nybro');
    await meetingRow(day(w14), '09:00–10:00').getByRole('button', { name: 'Ändra' }).click();
    const change = dialog('Ändra möte');
    await change.waitFor();
    await change.getByLabel('Till', { exact: true }).fill('10:30');
    expect(
      (await api(`/meetings/${read?.id ?? ''}`, { method: 'PATCH', body: { version: read?.version, title: 'Konsultation Nybro kommun' } })).status,
    ).toBe(200);
    const stale = apiAnswer(/^\/meetings\/[^/]+$/, 'PATCH');
    await change.getByRole('button', { name: 'Spara tillfället' }).click();
    expect((await stale).status()).toBe(409);
    await change.getByText(/Någon annan har ändrat detta under tiden/).waitFor();
    await change.getByText(/Senaste versionen: Konsultation Nybro kommun/).waitFor();
    expect(await change.getByLabel('Till', { exact: true }).inputValue(), 'nothing lost from the form').toBe('10:30');
    await expectAccessible(page, 'the Ändra möte dialog after a 409');
    await change.getByRole('button', { name: 'Visa det senaste' }).click();
    const saved = apiAnswer(/^\/meetings\/[^/]+$/, 'PATCH');
    await change.getByRole('button', { name: 'Spara tillfället' }).click();
    expect((await saved).status()).toBe(200);
    const [after] = (await inRange()).filter((m) => m.id === read?.id);
    expect(after).toMatchObject({ title: 'Konsultation Nybro kommun', endLocal: at(w14, '10:30') });
  });

  it('changes the series from one occurrence on: a new rule from that date', async () => {
    const before = (await inRange()).filter((m) => m.title === 'Kommunmöte Nybro');
    await meetingRow(day(w14), '14:00–15:00').getByRole('button', { name: 'Ändra' }).click();
    const change = dialog('Ändra möte');
    await change.waitFor();
    await change.getByRole('radio', { name: 'Detta och alla följande tillfällen' }).check();
    await change.getByLabel('Tid', { exact: true }).fill('13:30');
    await expectAccessible(page, 'the Ändra möte dialog for the series');
    const changed = apiAnswer(/^\/meeting-series\/[^/]+\/change$/);
    await change.getByRole('button', { name: 'Ändra serien' }).click();
    expect((await changed).status()).toBe(200);
    await page
      .getByText(new RegExp(`^Serien är ändrad från ${w14.toFormat('d MMM yyyy').replace('.', '\\.')}: varannan vecka, onsdag 13:30`))
      .waitFor();
    // The old series ends the day before (its first date was the Monday before), the successor takes over from here.
    const old = await api<{ status: string; replacedBy?: string; spec: { untilDate?: string } }>(`/meeting-series/${before[0]?.seriesId ?? ''}`);
    expect(old.body).toMatchObject({ replacedBy: expect.any(String), spec: { untilDate: date(w14.minus({ days: 1 })) } });
    const successor = (await inRange()).filter((m) => m.seriesId === old.body.replacedBy && m.status === 'planned');
    expect(successor.map((m) => m.startLocal)).toEqual([at(w14, '13:30'), at(w16, '13:30'), at(w18, '13:30')]);
    const seriesWrites = writes.filter((w) => w.path.startsWith('/meeting-series') || w.path.endsWith('/cancel') || w.path === '/meetings');
    expect(
      seriesWrites.every((w) => w.idempotencyKey),
      'every POST carries an Idempotency-Key',
    ).toBe(true);
  });

  it('Utskick lists the invitation the partner got', async () => {
    await meetingRow(day(w14), '09:00–10:30').getByRole('button', { name: 'Utskick' }).click();
    const sent = dialog('Utskick för mötet');
    await sent.waitFor();
    await sent.getByRole('table', { name: /Inbjudningar/ }).waitFor();
    expect(await sent.getByRole('cell', { name: /^(inbjudan|uppdaterad inbjudan)$/ }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'the Utskick dialog');
    await sent.getByRole('button', { name: 'Stäng' }).click();
  });

  it('made no third-party request and logged no console error', () => {
    expect(watch.foreignRequests).toEqual([]);
    expect(watch.errors.filter((e) => !/the server responded with a status of (400|409)/.test(e))).toEqual([]);
  });
});

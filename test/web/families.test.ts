import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiAs } from './api.js';
import { expectAccessible, launchBrowser, openContext, signIn } from './browser.js';
import type { Watch } from './browser.js';

/*
 * Task 5 of issue 21 as the coordinator does it: Familjer. Codes KAL-2026-81 … 89 are this file's own, so it shares the
 * running system with the other browser tests without colliding.
 */
const { webUrl, apiUrl } = inject('web');
const referred = 'KAL-2026-81'; // registered through the form
const toDecline = 'KAL-2026-82'; // registered through the API, declined in the page
const zone = 'Europe/Stockholm';
const today = DateTime.now().setZone(zone);

/** The API's state as the coordinator reads it (test/web/api.ts). */
const api = <T>(path: string, init: { method?: string; body?: unknown } = {}) => apiAs<T>('sara', init.method ?? 'GET', path, init.body);
interface FamilyRecord {
  code: string;
  status: string;
  version: number;
  familyTherapist: string;
  individualTherapist: string;
  windows: { weekday: number; start: string; end: string }[];
  treatmentStart?: string;
  treatmentEnd?: string;
  declineReason?: string;
  completion?: { type: string; outcomes?: Record<string, string> };
}
const family = async (code: string) => (await api<FamilyRecord>(`/families/${code}`)).body;

let browser: Browser;
let context: BrowserContext;
let watch: Watch;
let page: Page;
const writes: { method: string; path: string; idempotencyKey: string | undefined; body: unknown }[] = [];

beforeAll(async () => {
  for (const code of [referred, toDecline]) expect((await api(`/families/${code}`)).status, `${code} must be free`).toBe(404);
  const created = await api('/families', {
    method: 'POST',
    body: {
      code: toDecline,
      place: 'Nybro',
      referral: { source: 'bup', date: today.minus({ days: 3 }).toISODate() },
      ageAtStart: 14,
      familyTherapist: 'anna',
      individualTherapist: 'bo',
      sessions: [{ kind: 'family', count: 2, minutes: 90 }],
      minSessions: 2,
      windows: [{ weekday: 1, start: '15:00', end: '19:00' }],
    },
  });
  expect(created.status).toBe(201);
  browser = await launchBrowser();
  ({ context, watch } = await openContext(browser, [webUrl, apiUrl], { viewport: { width: 1400, height: 1000 } }));
  page = await context.newPage();
  page.on('request', (r: Request) => {
    if (!r.url().startsWith(apiUrl) || r.method() === 'GET' || r.method() === 'OPTIONS') return;
    writes.push({
      method: r.method(),
      path: new URL(r.url()).pathname,
      idempotencyKey: r.headers()['idempotency-key'],
      body: r.postDataJSON() as unknown,
    });
  });
  await signIn(page, webUrl, 'sara', '/familjer');
  await page.getByRole('heading', { name: 'Familjer', level: 1 }).waitFor();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

const dialog = (name: string | RegExp) => page.getByRole('dialog', { name });
const rowOf = (code: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: code, exact: true }) });
const apiAnswer = (path: string, method = 'POST') =>
  page.waitForResponse((r) => r.url().startsWith(`${apiUrl}${path}`) && r.request().method() === method);

describe('Familjer: a case through its course in the console', () => {
  it('lists the families by status, accessible, with nothing personal in the URL or title', async () => {
    await page.getByRole('heading', { name: /^Remitterade/ }).waitFor();
    for (const name of [/^Remitterade/, /^Antagna/, /^Pågående/, 'Överlämningar', 'Avslutade och avböjda'])
      expect(await page.getByRole('heading', { name }).count()).toBe(1);
    await rowOf(toDecline).waitFor();
    expect(page.url()).toBe(`${webUrl}/familjer`);
    expect(await page.title()).toBe('Familjer – IKB Planner');
    await expectAccessible(page, 'Familjer');
  });

  it('Ny remiss refuses a name and a personal identity number before sending, shows the API’s 400 beside its field, then registers the code', async () => {
    await page.getByRole('button', { name: 'Ny remiss' }).click();
    const form = dialog('Ny remiss');
    await form.waitFor();
    await expect.poll(() => form.getByText('pseudonyma kod').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'the Ny remiss dialog');
    const code = form.getByRole('textbox', { name: 'Ärendekod' });
    const submit = form.getByRole('button', { name: 'Registrera remissen' });
    const before = writes.length;

    await code.fill('Anna Svensson');
    await submit.click();
    await expect.poll(() => form.getByText(/ser ut som ett namn/).isVisible()).toBe(true);
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    // A Swedish test identity number (Skatteverket's 19121212-1212): valid date and checksum.
    await code.fill('19121212-1212');
    await submit.click();
    await expect.poll(() => form.getByText(/ser ut som ett personnummer/).isVisible()).toBe(true);
    expect(writes.length, 'nothing was sent').toBe(before);
    await expectAccessible(page, 'the Ny remiss dialog with field errors');

    await code.fill(referred);
    await form.getByRole('combobox', { name: 'Kommun' }).selectOption('Kalmar');
    await form.getByRole('spinbutton', { name: /^Ålder vid start/ }).fill('15');
    await form.getByRole('combobox', { name: 'Kön (valfritt)' }).selectOption('girl');
    await form.getByRole('combobox', { name: 'Familjeterapeut' }).selectOption('anna');
    await form.getByRole('combobox', { name: 'Individualterapeut' }).selectOption('bo');
    // More visits required than the mix holds: only the API knows this rule, and its 400 lands beside the field.
    const minSessions = form.getByRole('spinbutton', { name: 'Minst antal besök per vecka' });
    await minSessions.fill('9');
    const refused = apiAnswer('/families');
    await submit.click();
    expect((await refused).status()).toBe(400);
    await expect.poll(() => minSessions.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await minSessions.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ').pop() ?? ''}"]`).textContent()).toMatch(/minSessions \(9\) exceeds/);
    expect(await code.inputValue(), 'nothing lost from the form').toBe(referred);

    await minSessions.fill('4');
    const created = apiAnswer('/families');
    await submit.click();
    expect((await created).status()).toBe(201);
    await page.getByText(`Remissen ${referred} är registrerad.`).waitFor();
    await rowOf(referred).waitFor();
    const stored = await family(referred);
    expect(stored).toMatchObject({ status: 'referred', familyTherapist: 'anna', individualTherapist: 'bo', version: 1 });
    expect(stored.windows).toHaveLength(5);
    const post = writes.filter((w) => w.path === '/families');
    expect(post.every((w) => w.idempotencyKey && /^[0-9a-f-]{36}$/.test(w.idempotencyKey))).toBe(true);
    expect(new Set(post.map((w) => w.idempotencyKey)).size, 'a corrected form is a new action').toBe(post.length);
  });

  it('Anta, then Starta behandling with another pair and fewer visiting days', async () => {
    await rowOf(referred).getByRole('button', { name: 'Anta' }).click();
    const accept = dialog(`Anta ${referred}`);
    await accept.waitFor();
    await expectAccessible(page, 'the Anta dialog');
    await accept.getByRole('button', { name: 'Anta' }).click();
    await page.getByText(`${referred} är antagen.`).waitFor();
    expect((await family(referred)).status).toBe('accepted');

    await rowOf(referred).getByRole('button', { name: 'Starta behandling' }).click();
    const start = dialog(`Starta behandling ${referred}`);
    await start.waitFor();
    await expectAccessible(page, 'the Starta behandling dialog');
    // Fifteen weeks ago, so the case is in its last two weeks now and gets a handover proposal below.
    await start.getByLabel('Första behandlingsdag').fill(today.minus({ weeks: 15 }).toISODate() ?? '');
    await start.getByRole('combobox', { name: 'Familjeterapeut' }).selectOption('erik');
    await start.getByRole('combobox', { name: 'Individualterapeut' }).selectOption('lina');
    await start.getByRole('checkbox', { name: 'fredag' }).uncheck();
    await start.getByLabel('måndag från').fill('16:00');
    await start.getByRole('button', { name: 'Starta behandling' }).click();
    await page.getByText(new RegExp(`Behandlingen för ${referred} startar`)).waitFor();
    const active = await family(referred);
    expect(active).toMatchObject({
      status: 'active',
      familyTherapist: 'erik',
      individualTherapist: 'lina',
      treatmentStart: today.minus({ weeks: 15 }).toISODate(),
    });
    expect(active.windows.map((w) => w.weekday)).toEqual([1, 2, 3, 4]);
    expect(active.windows[0]).toEqual({ weekday: 1, start: '16:00', end: '20:00' });
  });

  it('shows the case among the handover proposals and books its handover meeting', async () => {
    const row = page.getByRole('region', { name: 'Överlämningar' }).getByRole('row').filter({ hasText: referred });
    await row.waitFor();
    const slot = row.getByRole('button', { name: /^Boka / }).first();
    const useSlot = (await slot.count()) > 0;
    await (useSlot ? slot : row.getByRole('button', { name: /Annan tid|Boka \(ingen/ })).click();
    const book = dialog('Boka överlämningsmöte');
    await book.waitFor();
    if (!useSlot) {
      await book.getByLabel('Datum', { exact: true }).fill(today.plus({ weeks: 1 }).set({ weekday: 2 }).toISODate() ?? '');
      await book.getByLabel('Från', { exact: true }).fill('10:00');
      await book.getByLabel('Till', { exact: true }).fill('11:00');
    }
    await book.getByRole('radio', { name: 'Digitalt' }).check();
    await book.getByRole('textbox', { name: 'Videolänk' }).fill('https://video.example/overlamning');
    await book.getByRole('textbox', { name: 'Namn 1' }).fill('Mottagare BUP');
    await book.getByRole('textbox', { name: 'E-post 1' }).fill('mottagning@bup.example');
    await expectAccessible(page, 'the handover booking dialog');
    const booked = apiAnswer('/meetings');
    await book.getByRole('button', { name: 'Boka mötet' }).click();
    expect((await booked).status()).toBe(201);
    await page.getByText(new RegExp(`Överlämningsmötet för ${referred} är bokat`)).waitFor();
    await row.getByText(/^Bokat /).waitFor();
    const from = today.startOf('week').toISODate() ?? '';
    const to = today.startOf('week').plus({ days: 13 }).toISODate() ?? '';
    const { body } = await api<{ meetings: { kind: string; family?: string; staff: string[]; external: { email: string }[]; status: string }[] }>(
      `/meetings?from=${from}&to=${to}`,
    );
    const handover = body.meetings.filter((m) => m.kind === 'handover' && m.family === referred);
    expect(handover).toHaveLength(1);
    expect(handover[0]).toMatchObject({ staff: ['erik', 'lina'], external: [{ email: 'mottagning@bup.example' }], status: 'planned' });
  });

  it('Avsluta records the completion type and the discharge outcomes', async () => {
    await rowOf(referred).getByRole('button', { name: 'Avsluta' }).click();
    const complete = dialog(`Avsluta behandling ${referred}`);
    await complete.waitFor();
    await complete.getByRole('combobox', { name: 'Hur behandlingen avslutades' }).selectOption('as_planned');
    await complete.getByRole('combobox', { name: 'Skolnärvaro' }).selectOption('increased');
    await complete.getByRole('combobox', { name: 'Bor hemma' }).selectOption('yes');
    await expectAccessible(page, 'the Avsluta dialog');
    await complete.getByRole('button', { name: 'Avsluta behandling' }).click();
    await page.getByText(`Behandlingen för ${referred} är avslutad.`).waitFor();
    const done = await family(referred);
    expect(done).toMatchObject({
      status: 'completed',
      treatmentEnd: today.toISODate(),
      completion: { type: 'as_planned', outcomes: { schoolAttendance: 'increased', livingAtHome: 'yes' } },
    });
  });

  it('Avböj after someone else changed the case: the 409 shows the latest, the chosen reason stays, the retry declines', async () => {
    await rowOf(toDecline).getByRole('button', { name: 'Avböj' }).click();
    const decline = dialog(`Avböj ${toDecline}`);
    await decline.waitFor();
    await decline.getByRole('combobox', { name: 'Skäl' }).selectOption('no_capacity');
    const read = await family(toDecline);
    expect((await api(`/families/${toDecline}`, { method: 'PATCH', body: { version: read.version, ageAtStart: 15 } })).status).toBe(200);

    const stale = apiAnswer(`/families/${toDecline}/status`);
    await decline.getByRole('button', { name: 'Avböj' }).click();
    expect((await stale).status()).toBe(409);
    await decline.getByText(/Någon annan har ändrat detta under tiden/).waitFor();
    await decline.getByText(/Senaste versionen \(2, du läste 1\)/).waitFor();
    expect(await decline.getByRole('combobox', { name: 'Skäl' }).inputValue()).toBe('no_capacity');
    await expectAccessible(page, 'the Avböj dialog after a 409');
    await decline.getByRole('button', { name: 'Visa det senaste' }).click();
    const retried = apiAnswer(`/families/${toDecline}/status`);
    await decline.getByRole('button', { name: 'Avböj' }).click();
    expect((await retried).status()).toBe(200);
    await page.getByText(`${toDecline} är avböjd (Ingen plats i teamet).`).waitFor();
    expect(await family(toDecline)).toMatchObject({ status: 'declined', declineReason: 'no_capacity', version: 3 });
    const statusWrites = writes.filter((w) => w.path.endsWith('/status'));
    expect(
      statusWrites.every((w) => w.idempotencyKey),
      'every status change carries an Idempotency-Key',
    ).toBe(true);
    expect(statusWrites.every((w) => typeof (w.body as { version?: unknown }).version === 'number')).toBe(true);
  });

  it('made no third-party request and logged no console error', () => {
    expect(watch.foreignRequests).toEqual([]);
    expect(watch.errors.filter((e) => !/the server responded with a status of (400|409)/.test(e))).toEqual([]);
  });
});

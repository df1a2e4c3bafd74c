import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, therapistOf, useTable } from '../helpers/api.js';
import { activeFamily, familyBody, seedTeam } from '../helpers/fixtures.js';
import { dbFromEnv } from '../../shared/store/client.js';
import { foldCaseFigures } from '../../shared/store/figures.js';
import { queryPrefix } from '../../shared/store/query.js';

useTable();
let coordinator: Caller;
const team = 'rep-team';

interface VisitOut {
  id: string;
  version: number;
}
type Json = Record<string, Record<string, unknown>>;

const book = async (family: string, kind: string, day: string, hour = 16): Promise<VisitOut> => {
  const res = await call('POST', '/visits', { as: coordinator, body: { family, kind, start: `${day}T${hour}:00`, end: `${day}T${hour + 1}:00` } });
  if (res.status !== 201) throw new Error(res.text);
  return res.body as VisitOut;
};
const done = async (v: VisitOut) =>
  expect((await call('POST', `/visits/${v.id}/outcome`, { as: coordinator, body: { version: v.version, status: 'done' } })).status).toBe(200);
const complete = async (code: string, endDate: string, outcomes: Record<string, string>) => {
  const fam = (await call('GET', `/families/${code}`, { as: coordinator })).body as { version: number };
  const res = await call('POST', `/families/${code}/status`, {
    as: coordinator,
    body: { to: 'completed', version: fam.version, endDate, completionType: 'as_planned', outcomes },
  });
  expect(res.status, res.text).toBe(200);
};
const report = (query: string, as: Caller = coordinator) => call('GET', `/figures/report?${query}`, { as });
const json = async (query: string) => (await call('GET', `/figures?${query}`, { as: coordinator })).body as Json;
/** The value each bar of a chart shows, from the `<title>` of its mark ("label: value"). */
const barValues = (html: string, caption: string): Record<string, string> => {
  const start = html.indexOf(`<figcaption>${caption}</figcaption>`);
  if (start < 0) throw new Error(`no chart "${caption}"`);
  const svg = html.slice(start, html.indexOf('</svg>', start));
  return Object.fromEntries(
    [...svg.matchAll(/<rect class="bar[^"]*"[^>]*><title>([^<]*): ([^<(]*?)(?: \(dolt[^<]*)?<\/title>/g)].map((m) => [m[1], m[2]]),
  );
};
const period = 'from=2026-10&to=2026-11';

beforeAll(async () => {
  ({ coordinator } = await seedTeam(team));
  // Case 1: three weeks in November (5, 4, 2 visits done), completed with outcomes.
  await activeFamily(coordinator, 'REP-2026-01');
  const weeks = [
    ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'],
    ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12'],
    ['2026-11-16', '2026-11-17'],
  ];
  for (const days of weeks) for (const day of days) await done(await book('REP-2026-01', 'family', day));
  const cancelled = await book('REP-2026-01', 'family', '2026-11-18');
  expect(
    (await call('POST', `/visits/${cancelled.id}/cancel`, { as: coordinator, body: { version: cancelled.version, by: 'family', reason: 'illness' } }))
      .status,
  ).toBe(200);
  await complete('REP-2026-01', '2026-11-22', { schoolAttendance: 'increased', continuedCare: 'both', kaa: 'yes', mentalHealth: 'better' });
  // Case 2 (another pair, Kalmar, referred by BUP): two weeks, completed.
  await activeFamily(coordinator, 'REP-2026-02', 'erik', 'lina', {
    place: 'Kalmar',
    referral: { source: 'bup', date: '2026-10-05' },
    startDate: '2026-11-09',
  });
  for (const day of ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19'])
    await done(await book('REP-2026-02', 'individual', day));
  await complete('REP-2026-02', '2026-11-22', { schoolAttendance: 'increased', continuedCare: 'bup' });
  // Three declined referrals (a group big enough to stay visible when shared).
  for (const n of ['03', '04', '05']) {
    expect((await call('POST', '/families', { as: coordinator, body: familyBody(`REP-2026-${n}`) })).status).toBe(201);
    expect(
      (await call('POST', `/families/REP-2026-${n}/status`, { as: coordinator, body: { to: 'declined', version: 1, reason: 'no_capacity' } })).status,
    ).toBe(200);
  }
}, 300_000);

describe('GET /figures/report', () => {
  it('is a Swedish HTML page with inline SVG and no script, whose numbers equal the JSON', async () => {
    const res = await report(period);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const html = res.text;
    expect(html).toMatch(/^<!doctype html>\n<html lang="sv">/);
    expect(html).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
    for (const heading of [
      'Översikt',
      'Remisser',
      'Ungdomarna',
      'Genomförda besök',
      'Avbokningar och uteblivna besök',
      'Avslut och vårdtid',
      'Resultat av IKB',
    ])
      expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toContain('@page { size: A4;');

    const f = await json(period);
    expect(barValues(html, 'Remisser per avsändare')).toEqual({ Socialtjänsten: '4', BUP: '1' });
    expect(barValues(html, 'Remisser per kommun')).toEqual({ Kalmar: '1', Emmaboda: '4', Torsås: '0', Borgholm: '0' });
    expect(barValues(html, 'Beslut om remisserna')).toEqual({ Antagna: String(f['referrals']?.['accepted']), Avvisade: '3', 'Ej beslutade': '0' });
    expect(barValues(html, 'Avvisade remisser per skäl')).toMatchObject({ 'Ingen plats': '3', 'Utanför målgruppen': '0' });
    expect(barValues(html, 'Avbokade besök per vem som avbokade')).toEqual({ 'Av familjen': '1', 'Av teamet': '0', 'Uteblivet besök': '0' });
    expect(barValues(html, 'Skolnärvaro jämfört med start')).toMatchObject({ Ökad: '2', Oförändrad: '0' });
    expect(barValues(html, 'Fortsatt stöd efter IKB')).toMatchObject({
      'Endast BUP': '1',
      'Både BUP och socialtjänsten': '1',
      'Endast socialtjänsten': '0',
    });
    expect(f['delivery']).toMatchObject({ familyWeeks: 5, visitsDone: 19 });
    expect(barValues(html, 'Genomförda besök per slag')).toEqual({ Familjebesök: '11', 'Individuella besök': '8', 'Gemensamma besök': '0' });
    // Started and completed per month: two columns per month, the totals those of the JSON.
    const monthly = barValues(html, 'Påbörjade och avslutade ärenden per månad');
    expect(monthly).toEqual({ 'Påbörjade okt. 2026': '0', 'Avslutade okt. 2026': '0', 'Påbörjade nov. 2026': '2', 'Avslutade nov. 2026': '2' });
    expect(f['cases']).toMatchObject({ started: 2, completed: 2 });
    expect(html).toContain(
      '<tr><th scope="row">2026</th><td class="n">2</td><td class="n">2</td><td class="n">2</td><td class="n">5</td><td class="n">3</td><td class="n">0</td></tr>',
    );
    expect(html).toContain('Median 16,5 dagar'); // (20 + 13) / 2 days, with a decimal comma
  });

  it('draws one delivery chart per live case, lettered A, B … by start; codes only when asked for', async () => {
    const html = (await report(period)).text;
    const cases = [...html.matchAll(/<figure class="case"><figcaption><strong>Ärende ([^<]+)<\/strong> · (\d+) familjeveckor/g)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(cases).toEqual([
      ['A', 3],
      ['B', 2],
    ]);
    expect(html.match(/<circle class="point/g)).toHaveLength(5);
    expect(html).not.toContain('REP-2026'); // no case code in the lettered report
    const withCodes = (await report(`${period}&codes=true`)).text;
    expect([...withCodes.matchAll(/<strong>Ärende ([^<]+)<\/strong>/g)].map((m) => m[1])).toEqual(['REP-2026-01', 'REP-2026-02']);
  });

  it('shared: small cells hidden at the team’s threshold, hatched and not to scale; no per-case charts', async () => {
    const html = (await report(`${period}&share=true`)).text;
    expect(html).toContain('för spridning');
    expect(html).not.toContain('<figure class="case">');
    expect(html).not.toContain('<figcaption>Per år</figcaption>');
    expect(html).not.toContain('<figcaption>Familjeveckor efter antal genomförda besök</figcaption>');
    // Issue 24 §6: the monthly chart of hatched stubs said nothing when shared: left out, and the notice says so.
    expect(html).not.toContain('Påbörjade och avslutade ärenden per månad</figcaption>');
    expect(html).toContain('diagrammet per månad');
    expect(barValues(html, 'Remisser per avsändare')).toEqual({ Socialtjänsten: 'x', BUP: '≤3' });
    // 4 and 1: the 1 is hidden, and the 4 with it, so the total cannot give it away.
    expect(barValues(html, 'Remisser per kommun')).toEqual({ Kalmar: '≤3', Emmaboda: 'x', Torsås: '0', Borgholm: '0' });
    const widths = [...html.matchAll(/<rect class="bar hidden" [^>]*width="([\d.]+)"/g)].map((m) => m[1]);
    expect(widths.length).toBeGreaterThan(4);
    expect(new Set(widths).size).toBe(1); // every hidden bar the same stub, whatever it hides
    // Three declined for lack of room, at threshold 3: hidden, and labelled truly (it used to say "<3").
    expect(barValues(html, 'Avvisade remisser per skäl')).toMatchObject({ 'Ingen plats': '≤3' });
    expect(html).toContain('antal från 1 till 3 visas som ≤3');
    expect(html).toContain('Streckade staplar är dolda små tal');
    const f = (await call('GET', `/figures?${period}&share=true`, { as: coordinator })).body as Json;
    expect(f['referrals']).toMatchObject({ declined: '≤3', byPlace: { Kalmar: '≤3', Emmaboda: 'x' } });
    const csv = (await call('GET', `/figures/csv?${period}&share=true`, { as: coordinator })).text;
    expect(csv).toContain(';≤3\r\n');
    expect(csv).not.toMatch(/;<\d/);
  });

  it('the threshold is a team setting: validated, version-checked, audited, and used by the report and the CSV', async () => {
    const path = `/teams/${team}/retention`;
    expect((await call('GET', path, { as: coordinator })).body).toMatchObject({ version: 0, smallCellThreshold: 3 });
    const bad = await call('PUT', path, { as: coordinator, body: { version: 0, smallCellThreshold: 11 } });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(['smallCellThreshold']);
    expect(fieldPaths((await call('PUT', path, { as: coordinator, body: { version: 0, smallCellThreshold: 0 } })).body)).toEqual([
      'smallCellThreshold',
    ]);
    expect(fieldPaths((await call('PUT', path, { as: coordinator, body: { version: 0, smallCellThreshold: 2.5 } })).body)).toEqual([
      'smallCellThreshold',
    ]);
    expect((await call('PUT', path, { as: coordinator, body: { version: 4, smallCellThreshold: 2 } })).status).toBe(409);
    const saved = await call('PUT', path, { as: coordinator, body: { version: 0, smallCellThreshold: 2 } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, smallCellThreshold: 2, caseMonths: 12 });
    const audit = await queryPrefix(dbFromEnv(), `TEAM#${team}#AUDIT`, 'RETENTION#');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ before: { smallCellThreshold: 3 }, after: { smallCellThreshold: 2 } });

    const html = (await report(`${period}&share=true`)).text;
    expect(html).toContain('antal från 1 till 2 visas som ≤2');
    expect(barValues(html, 'Avvisade remisser per skäl')).toMatchObject({ 'Ingen plats': '3' });
    expect(barValues(html, 'Remisser per avsändare')).toEqual({ Socialtjänsten: 'x', BUP: '≤2' });
    const csv = (await call('GET', `/figures/csv?${period}&share=true`, { as: coordinator })).text;
    expect(csv).toContain(';≤2\r\n');
    expect(csv).not.toContain(';≤3\r\n');
    expect(((await call('GET', `/figures?${period}&share=true`, { as: coordinator })).body as Json)['referrals']).toMatchObject({
      accepted: '≤2',
      declined: 'x',
    });
    // The internal versions stay exact.
    expect(barValues((await report(period)).text, 'Remisser per avsändare')).toEqual({ Socialtjänsten: '4', BUP: '1' });
    expect((await call('PUT', path, { as: coordinator, body: { version: 1, smallCellThreshold: 3 } })).status).toBe(200);
  });

  it('bad requests are field-level 400s; a therapist is refused', async () => {
    const cases: [string, string[]][] = [
      [`${period}&share=true&codes=true`, ['query.codes']],
      ['from=2026-13&to=2026-12', ['query.from']],
      ['from=2026-11&to=2026-10', ['query.to']],
      ['from=2026-11', ['query.to']],
      [`${period}&codes=yes`, ['query.codes']],
      [`${period}&chart=pie`, ['query']],
    ];
    for (const [q, fields] of cases) {
      const res = await report(q);
      expect(res.status, q).toBe(400);
      expect(fieldPaths(res.body), q).toEqual(fields);
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    }
    expect((await report(period, therapistOf(team, 'anna'))).status).toBe(403);
  });

  it('after the purge folds a case, its weeks stay in the totals, the case loses its chart and the report says so', async () => {
    const before = await json(period);
    expect(await foldCaseFigures(dbFromEnv(), team, 'REP-2026-01', '2026-12-01')).toBe('folded');
    expect(await json(period)).toEqual(before);
    const html = (await report(period)).text;
    expect([...html.matchAll(/<strong>Ärende ([^<]+)<\/strong>/g)].map((m) => m[1])).toEqual(['A']);
    expect(html).toContain('3 familjeveckor i perioden hör till ärenden vars personuppgifter redan gallrats');
    expect(barValues(html, 'Genomförda besök per slag')).toEqual({ Familjebesök: '11', 'Individuella besök': '8', 'Gemensamma besök': '0' });
  });
});

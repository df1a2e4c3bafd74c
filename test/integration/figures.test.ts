import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, useTable } from '../helpers/api.js';
import { activeFamily, familyBody, seedTeam } from '../helpers/fixtures.js';
import { dbFromEnv } from '../../shared/store/client.js';
import { discardCaseFigures, foldCaseFigures } from '../../shared/store/figures.js';
import { queryPrefix } from '../../shared/store/query.js';

useTable();
let coordinator: Caller;
const team = 'fig-team';
beforeAll(async () => {
  ({ coordinator } = await seedTeam(team));
});

interface VisitOut {
  id: string;
  version: number;
}
type Json = Record<string, Record<string, unknown>>;

const book = async (family: string, kind: string, day: string): Promise<VisitOut> => {
  const res = await call('POST', '/visits', { as: coordinator, body: { family, kind, start: `${day}T16:00`, end: `${day}T17:00` } });
  if (res.status !== 201) throw new Error(res.text);
  return res.body as VisitOut;
};
const done = async (v: VisitOut) =>
  expect((await call('POST', `/visits/${v.id}/outcome`, { as: coordinator, body: { version: v.version, status: 'done' } })).status).toBe(200);
const figures = async (from: string, to: string, extra = '') => call('GET', `/figures?from=${from}&to=${to}${extra}`, { as: coordinator });

describe('figures through the real handlers', () => {
  it('reflects visits, cancellations, completion with outcomes and inquiries in the next request; bad periods are 400', async () => {
    await activeFamily(coordinator, 'FIG-2026-01'); // referred 2026-10-01, started Mon 2026-11-02
    for (const day of ['2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'])
      await done(await book('FIG-2026-01', day === '2026-11-06' ? 'individual' : 'family', day));
    await done(await book('FIG-2026-01', 'joint', '2026-11-10'));
    const cancelled = await book('FIG-2026-01', 'family', '2026-11-11');
    expect(
      (
        await call('POST', `/visits/${cancelled.id}/cancel`, {
          as: coordinator,
          body: { version: cancelled.version, by: 'family', reason: 'illness' },
        })
      ).status,
    ).toBe(200);
    const noShow = await book('FIG-2026-01', 'family', '2026-11-12');
    expect(
      (await call('POST', `/visits/${noShow.id}/outcome`, { as: coordinator, body: { version: noShow.version, status: 'no_show' } })).status,
    ).toBe(200);

    const active = (await figures('2026-11', '2026-11')).body as Json;
    expect(active['cases']).toMatchObject({ started: 1, activeDuring: 1, completed: 0 });
    expect(active['delivery']).toMatchObject({
      familyWeeks: 3,
      visitsDone: 5,
      weeksAtTarget: 1,
      weeksBelowTarget: 2,
      byKind: { family: 3, individual: 1, joint: 1 },
    });
    expect(active['cancellations']).toMatchObject({ byFamily: 1, byTeam: 0, noShow: 1, byReason: { illness: 1 } });
    expect((await figures('2026-10', '2026-10')).body).toMatchObject({
      referrals: { received: 1, accepted: 1, pending: 0, bySource: { socialtjanst: 1, bup: 0 }, byPlace: { Emmaboda: 1, Kalmar: 0 } },
    });

    const fam = (await call('GET', '/families/FIG-2026-01', { as: coordinator })).body as { version: number };
    const bad = await call('POST', '/families/FIG-2026-01/status', {
      as: coordinator,
      body: { to: 'completed', version: fam.version, endDate: '2026-10-01', completionType: 'as_planned' },
    });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(['endDate']);
    const missing = await call('POST', '/families/FIG-2026-01/status', { as: coordinator, body: { to: 'completed', version: fam.version } });
    expect(fieldPaths(missing.body)).toEqual(['completionType']);
    const completed = await call('POST', '/families/FIG-2026-01/status', {
      as: coordinator,
      body: {
        to: 'completed',
        version: fam.version,
        endDate: '2026-11-22',
        completionType: 'ended_early_family',
        outcomes: { schoolAttendance: 'increased', continuedCare: 'both', livingAtHome: 'yes', mentalHealth: 'better' },
      },
    });
    expect(completed.status).toBe(200);
    const after = (await figures('2026-11', '2026-11')).body as Json;
    expect(after['cases']).toMatchObject({ completed: 1, byCompletion: { ended_early_family: 1, as_planned: 0 } });
    expect(after['lengthOfStayDays']).toEqual({ median: 20, min: 20, max: 20 });
    expect(after['outcomes']).toMatchObject({
      schoolAttendance: { increased: 1 },
      continuedCare: { both: 1 },
      livingAtHome: { yes: 1 },
      mentalHealth: { better: 1 },
      kaa: { unknown: 1 },
    });
    const corrected = await call('PUT', '/families/FIG-2026-01/completion', {
      as: coordinator,
      body: { version: (completed.body as { version: number }).version, completionType: 'as_planned' },
    });
    expect(corrected.status).toBe(200);
    expect(((await figures('2026-11', '2026-11')).body as Json)['cases']).toMatchObject({ byCompletion: { ended_early_family: 0, as_planned: 1 } });

    const inquiry = await call('POST', '/inquiries', {
      as: coordinator,
      body: { date: '2026-11-05', kind: 'consultation', channel: 'in_passing', source: 'school', municipality: 'Torsås', outcome: 'advice_given' },
    });
    expect(inquiry.status).toBe(201);
    const badInquiry = await call('POST', '/inquiries', {
      as: coordinator,
      body: {
        date: '2026-11-05',
        kind: 'chat',
        channel: 'in_passing',
        source: 'school',
        municipality: 'Göteborg',
        outcome: 'advice_given',
        note: 'Anna',
      },
    });
    expect(badInquiry.status).toBe(400);
    expect(((await figures('2026-11', '2026-11')).body as Json)['inquiries']).toMatchObject({
      total: 1,
      byKind: { consultation: 1, inquiry: 0 },
      bySource: { school: 1 },
      byOutcome: { advice_given: 1 },
    });
    const { id, version } = inquiry.body as VisitOut;
    expect((await call('PATCH', `/inquiries/${id}`, { as: coordinator, body: { version, kind: 'inquiry' } })).status).toBe(200);
    expect((await call('DELETE', `/inquiries/${id}?version=1`, { as: coordinator })).status).toBe(409);
    expect((await call('DELETE', `/inquiries/${id}?version=2`, { as: coordinator })).status).toBe(204);
    expect(((await figures('2026-11', '2026-11')).body as Json)['inquiries']).toMatchObject({ total: 0 });

    for (const q of ['from=2026-13&to=2026-12', 'from=2026-11&to=2026-10', 'from=2010-01&to=2026-12', 'from=2026-01']) {
      expect((await call('GET', `/figures?${q}`, { as: coordinator })).status).toBe(400);
    }
    const shared = (await figures('2026-11', '2026-11', '&share=true')).body as Json;
    expect(shared['cases']).toMatchObject({ started: '≤3' });
  });

  it('de-linked tally: counted once, nothing on the case or in its audit names a category', async () => {
    await activeFamily(coordinator, 'FIG-2026-02');
    const fam = (await call('GET', '/families/FIG-2026-02', { as: coordinator })).body as { version: number };
    const tally = await call('POST', '/families/FIG-2026-02/tally', {
      as: coordinator,
      body: { version: fam.version, concerns: ['self_harm', 'low_school_attendance'], diagnoses: ['adhd'] },
    });
    expect(tally.status).toBe(200);
    expect(
      (await call('POST', '/families/FIG-2026-02/tally', { as: coordinator, body: { version: fam.version + 1, concerns: ['drugs'], diagnoses: [] } }))
        .status,
    ).toBe(409);
    expect(
      (
        await call('POST', '/families/FIG-2026-02/tally', {
          as: coordinator,
          body: { version: fam.version + 1, concerns: ['made_up'], diagnoses: ['adhd', 'adhd'] },
        })
      ).status,
    ).toBe(400);
    const f = (await figures('2026-01', '2026-12')).body as { tallies: Record<string, Record<string, number>> };
    expect(f.tallies['2026']).toMatchObject({ cases: 1, 'concern:self_harm': 1, 'concern:low_school_attendance': 1, 'diagnosis:adhd': 1 });
    const caseText = JSON.stringify([
      (await call('GET', '/families/FIG-2026-02', { as: coordinator })).body,
      (await call('GET', '/families/FIG-2026-02/audit', { as: coordinator })).body,
    ]);
    for (const word of ['self_harm', 'adhd', 'low_school']) expect(caseText).not.toContain(word);
    const tallyItems = await queryPrefix(dbFromEnv(), `TEAM#${team}`, 'FIGTALLY#');
    // Only counters: no timestamp, no version, no case reference.
    expect(Object.keys(tallyItems[0] ?? {}).filter((k) => !['pk', 'sk', 'cases'].includes(k) && !/^(concern|diagnosis):[a-z_]+$/.test(k))).toEqual(
      [],
    );
  });

  it('figures for several periods are identical before and after folding every closed case; folding is exactly once', async () => {
    const created = await call('POST', '/families', { as: coordinator, body: familyBody('FIG-2026-03') });
    expect(created.status).toBe(201);
    expect(
      (await call('POST', '/families/FIG-2026-03/status', { as: coordinator, body: { to: 'declined', version: 1, reason: 'outside_target_group' } }))
        .status,
    ).toBe(200);
    const periods = [
      ['2026-01', '2026-12'],
      ['2026-10', '2026-10'],
      ['2026-11', '2026-11'],
      ['2025-06', '2027-05'],
      ['2026-12', '2027-01'],
    ];
    const before = await Promise.all(periods.map(async ([f, t]) => (await figures(f ?? '', t ?? '')).body));
    const db = dbFromEnv();
    // Two concurrent purges of the same case: exactly one folds.
    const outcomes = await Promise.all([
      foldCaseFigures(db, team, 'FIG-2026-01', '2026-11-23'),
      foldCaseFigures(db, team, 'FIG-2026-01', '2026-11-23'),
    ]);
    expect(outcomes.sort()).toEqual(['already', 'folded']);
    expect(await foldCaseFigures(db, team, 'FIG-2026-03', '2026-11-23')).toBe('folded');
    expect(await foldCaseFigures(db, team, 'FIG-2026-03', '2026-11-23')).toBe('already');
    const after = await Promise.all(periods.map(async ([f, t]) => (await figures(f ?? '', t ?? '')).body));
    expect(after).toEqual(before);
    expect((await queryPrefix(db, `TEAM#${team}`, 'FIGCASE#')).map((i) => i['sk'])).toEqual(['FIGCASE#FIG-2026-02']);
    // A folded case's figures cannot be resurrected by a late write to the case.
    const fam = (await call('GET', '/families/FIG-2026-01', { as: coordinator })).body as { version: number };
    expect(
      (await call('PUT', '/families/FIG-2026-01/completion', { as: coordinator, body: { version: fam.version, completionType: 'other' } })).status,
    ).toBe(409);
    expect(await discardCaseFigures(db, team, 'FIG-2026-02')).toBe('discarded');
    expect(await discardCaseFigures(db, team, 'FIG-2026-02')).toBe('already');
  });
});

describe('figures CSV', () => {
  it('opens in Swedish Excel: UTF-8 BOM, semicolons, å/ä/ö intact, one row per figure and breakdown', async () => {
    const res = await call('GET', '/figures/csv?from=2026-01&to=2026-12', { as: coordinator });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.text.startsWith('\ufeff')).toBe(true);
    const lines = res.text
      .slice(1)
      .split('\r\n')
      .filter(Boolean)
      .map((l) => l.split(';'));
    expect(lines[1]).toEqual(['Område', 'Figur', 'Uppdelning', 'Värde']);
    expect(lines).toContainEqual(['Remisser', 'byPlace', 'Torsås', '0']);
    expect(lines).toContainEqual(['Ärenden', 'started', '', expect.stringMatching(/^\d+$/)]);
    expect(lines.every((l) => l.length === 4)).toBe(true);
    const shared = await call('GET', '/figures/csv?from=2026-01&to=2026-12&share=true', { as: coordinator });
    expect(shared.text).toContain(';≤3\r\n');
  });
});

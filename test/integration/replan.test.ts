import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, therapistOf, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

useTable();
let coordinator: Caller;
const team = 'replan-team';

interface StoredVisit {
  id: string;
  family: string;
  kind: string;
  staff: string[];
  start: string;
  startLocal: string;
  endLocal: string;
  version: number;
  status: string;
}
interface Move {
  visit: string;
  version: number;
  family: string;
  staff: string[];
  startLocal: string;
  endLocal: string;
  start: string;
  end: string;
  extraTravelMinutes: number;
}
interface Proposal {
  affected: { visit: string; version: number; staff: string[]; startLocal: string; absence: { staffId: string } }[];
  moves: Move[];
  unplaced: { visit: string; reason: string }[];
  stats: { affected: number; moved: number; unplaced: number };
}

// Two visits a day are allowed, so a week with two days lost still has room for most of them.
beforeAll(async () => {
  ({ coordinator } = await seedTeam(team));
  await activeFamily(coordinator, 'RPL-2026-01', 'anna', 'bo', { place: 'Emmaboda', maxSessionsPerDay: 2 });
  await activeFamily(coordinator, 'RPL-2026-02', 'anna', 'bo', { place: 'Kalmar', maxSessionsPerDay: 2 });
  await activeFamily(coordinator, 'RPL-2026-03', 'erik', 'lina', { place: 'Borgholm', maxSessionsPerDay: 2 });
  // Families treated across the spring DST change (Sunday 28 March 2027).
  await activeFamily(coordinator, 'RPL-2027-04', 'erik', 'lina', { place: 'Kalmar', maxSessionsPerDay: 2, startDate: '2027-03-01' });
});

// Without the absence flag (the visits are compared with the ones read before the absence was recorded).
const weekVisits = async (week: string) =>
  ((await call('GET', '/visits', { as: coordinator, query: { week } })).body as { visits: (StoredVisit & { absentStaff?: string[] })[] }).visits
    .filter((v) => v.status === 'planned')
    .map(({ absentStaff: _absent, ...v }) => v);

/** Plans and commits the week, then makes `staffId` absent on the two days with most of their visits. */
async function plannedWeekWithAbsence(week: string, staffId: string): Promise<{ before: StoredVisit[]; dates: string[] }> {
  const proposal = (await call('POST', `/weeks/${week}/plan`, { as: coordinator })).body as { result: { visits: unknown[] } };
  const committed = await call('POST', `/weeks/${week}/plan/commit`, { as: coordinator, body: { visits: proposal.result.visits } });
  expect(committed.status).toBe(200);
  const before = await weekVisits(week);
  const days = [...new Set(before.filter((v) => v.staff.includes(staffId)).map((v) => v.startLocal.slice(0, 10)))].sort();
  expect(days.length).toBeGreaterThan(0);
  const dates = days.slice(0, 2);
  const absence = await call('POST', `/staff/${staffId}/absences`, { as: coordinator, body: { from: dates[0], to: dates.at(-1), kind: 'sick' } });
  expect(absence.status).toBe(201);
  return { before, dates };
}

describe('POST /weeks/{week}/replan', () => {
  it('keeps every valid visit, re-places the knocked-out ones by the same staff outside the absence, and commits them', async () => {
    const { before, dates } = await plannedWeekWithAbsence('2026-W50', 'bo');
    const res = await call('POST', '/weeks/2026-W50/replan', { as: coordinator });
    expect(res.status).toBe(200);
    const proposal = res.body as Proposal;
    const hit = before.filter((v) => v.staff.includes('bo') && dates.includes(v.startLocal.slice(0, 10)));
    expect(proposal.affected.map((a) => a.visit).sort()).toEqual(hit.map((v) => v.id).sort());
    expect(proposal.stats.moved + proposal.stats.unplaced).toBe(hit.length);
    expect(proposal.moves.length).toBeGreaterThan(0);
    for (const m of proposal.moves) {
      const was = hit.find((v) => v.id === m.visit);
      expect(m.staff).toEqual(was?.staff);
      expect(dates).not.toContain(m.start.slice(0, 10));
      expect(m.start >= '2026-12-07' && m.start < '2026-12-14').toBe(true);
    }
    for (const u of proposal.unplaced) expect(u.reason).toMatch(/\w/);
    // Nothing booked by the proposal.
    expect(await weekVisits('2026-W50')).toEqual(before);

    const commit = await call('POST', '/weeks/2026-W50/replan/commit', {
      as: coordinator,
      body: { moves: proposal.moves.map(({ visit, version, start, end }) => ({ visit, version, start, end })) },
    });
    expect(commit.status).toBe(200);
    const after = await weekVisits('2026-W50');
    for (const v of before) {
      const now = after.find((a) => a.id === v.id);
      const move = proposal.moves.find((m) => m.visit === v.id);
      if (move) expect(now).toMatchObject({ startLocal: move.start, endLocal: move.end, version: v.version + 1 });
      else expect(now).toEqual(v);
    }
    // A second proposal finds only what could not be re-placed.
    const again = (await call('POST', '/weeks/2026-W50/replan', { as: coordinator })).body as Proposal;
    expect(again.affected.map((a) => a.visit).sort()).toEqual(proposal.unplaced.map((u) => u.visit).sort());
  });

  it('is a 409 with nothing moved when one of the visits changed after the proposal', async () => {
    const { before } = await plannedWeekWithAbsence('2026-W51', 'anna');
    const proposal = (await call('POST', '/weeks/2026-W51/replan', { as: coordinator })).body as Proposal;
    expect(proposal.moves.length).toBeGreaterThan(1);
    const [first] = proposal.moves;
    if (!first) throw new Error('no move');
    // Meanwhile the family cancels the first one.
    const cancelled = await call('POST', `/visits/${first.visit}/cancel`, {
      as: coordinator,
      body: { version: first.version, by: 'family', reason: 'illness' },
    });
    expect(cancelled.status).toBe(200);
    const commit = await call('POST', '/weeks/2026-W51/replan/commit', {
      as: coordinator,
      body: { moves: proposal.moves.map(({ visit, version, start, end }) => ({ visit, version, start, end })) },
    });
    expect(commit.status).toBe(409);
    expect(commit.text).toContain(first.visit);
    const after = await weekVisits('2026-W51');
    expect(after).toEqual(before.filter((v) => v.id !== first.visit));
  });

  it('lets exactly one of two racing commits of the same proposal through', async () => {
    const { before } = await plannedWeekWithAbsence('2026-W49', 'lina');
    const proposal = (await call('POST', '/weeks/2026-W49/replan', { as: coordinator })).body as Proposal;
    expect(proposal.moves.length).toBeGreaterThan(0);
    const body = { moves: proposal.moves.map(({ visit, version, start, end }) => ({ visit, version, start, end })) };
    const results = await Promise.all([1, 2].map(() => call('POST', '/weeks/2026-W49/replan/commit', { as: coordinator, body })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = await weekVisits('2026-W49');
    for (const v of before) {
      const move = proposal.moves.find((m) => m.visit === v.id);
      expect(after.find((a) => a.id === v.id)?.version).toBe(move ? v.version + 1 : v.version);
    }
  });

  it('re-places in a DST week with the right offsets (2027-W13, summer time from Sunday 28 March)', async () => {
    const { dates } = await plannedWeekWithAbsence('2027-W13', 'lina');
    const proposal = (await call('POST', '/weeks/2027-W13/replan', { as: coordinator })).body as Proposal;
    expect(proposal.affected.length).toBeGreaterThan(0);
    expect(proposal.moves.length).toBeGreaterThan(0);
    const commit = await call('POST', '/weeks/2027-W13/replan/commit', {
      as: coordinator,
      body: { moves: proposal.moves.map(({ visit, version, start, end }) => ({ visit, version, start, end })) },
    });
    expect(commit.status).toBe(200);
    for (const v of (commit.body as { moved: StoredVisit[] }).moved) {
      expect(dates).not.toContain(v.startLocal.slice(0, 10));
      expect(v.start).toBe(DateTime.fromISO(v.startLocal, { zone: 'Europe/Stockholm' }).toUTC().toISO());
      expect(DateTime.fromISO(v.start).setZone('Europe/Stockholm').offset).toBe(120);
    }
  });

  it('answers field-level 400s, a 403 for therapists and a 400 for a week that has passed', async () => {
    const bad = await call('POST', '/weeks/2026-W50/replan/commit', { as: coordinator, body: { moves: [] } });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(['moves']);
    const wrong = await call('POST', '/weeks/2026-W50/replan/commit', {
      as: coordinator,
      body: {
        moves: [
          { visit: 'nope', version: 1, start: '2026-12-21T15:00', end: '2026-12-21T16:00' },
          { visit: 'nope2', version: 1, start: '2027-03-28T02:30', end: '2027-03-28T03:30' },
        ],
      },
    });
    expect(wrong.status).toBe(400);
    expect(fieldPaths(wrong.body)).toEqual(expect.arrayContaining(['moves[0].start', 'moves[0].visit', 'moves[1].visit', 'moves[1].start']));
    expect((await call('POST', '/weeks/2026-W50/replan', { as: therapistOf(team, 'anna') })).status).toBe(403);
    const past = await call('POST', '/weeks/2026-W40/replan', { as: coordinator });
    expect(past.status).toBe(400);
    expect(fieldPaths(past.body)).toEqual(['path.week']);
  });
});

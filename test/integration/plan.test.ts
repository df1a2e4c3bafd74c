import { beforeAll, describe, expect, it } from 'vitest';
import { validatePlan } from '../../shared/domain/planning/index.js';
import type { PlanningProblem, PlanningResult } from '../../shared/schemas/planning.js';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, therapistOf, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';
import { proposeWeek } from '../../shared/use-cases/plan.js';

useTable();
let coordinator: Caller;
const team = 'plan-team';

interface Proposal {
  problem: PlanningProblem;
  result: PlanningResult;
}

beforeAll(async () => {
  ({ coordinator } = await seedTeam(team));
  await activeFamily(coordinator, 'PLN-2026-01', 'anna', 'bo', { place: 'Emmaboda' });
  await activeFamily(coordinator, 'PLN-2026-02', 'anna', 'lina', { place: 'Kalmar' });
  await activeFamily(coordinator, 'PLN-2026-03', 'erik', 'lina', { place: 'Borgholm' });
});

const propose = async (week: string, as: Caller = coordinator) => call('POST', `/weeks/${week}/plan`, { as });

describe('POST /weeks/{week}/plan', () => {
  it('builds the problem from stored data and returns a valid proposal without booking anything', async () => {
    const res = await propose('2026-W49');
    expect(res.status).toBe(200);
    const { problem, result } = res.body as Proposal;
    expect(problem.families.map((f) => f.id).sort()).toEqual(['PLN-2026-01', 'PLN-2026-02', 'PLN-2026-03']);
    expect(problem.staff.map((s) => s.id).sort()).toEqual(['anna', 'bo', 'erik', 'lina']);
    expect(problem.travelMinutes['Kalmar']?.['Emmaboda']).toBe(45);
    expect(validatePlan(problem, result)).toEqual([]);
    expect(result.stats.sessionsPlaced).toBeGreaterThan(0);
    // The exact phase (HiGHS) ran and says whether (a) and (b) are proven optimal; a small team's week always is.
    expect(result.stats.sessionsProvenOptimal).toBe(true);
    expect(result.stats.sessionsBelowMinimum).toBe(0);
    expect(((await call('GET', '/visits', { as: coordinator, query: { week: '2026-W49' } })).body as { visits: unknown[] }).visits).toEqual([]);
  });

  it('counts bookings, meetings and absences as busy blocks and sessions already booked as done', async () => {
    const booked = await call('POST', '/visits', {
      as: coordinator,
      body: { family: 'PLN-2026-02', kind: 'family', start: '2026-12-08T15:00', end: '2026-12-08T16:30' },
    });
    expect(booked.status).toBe(201);
    await call('POST', '/staff/bo/absences', { as: coordinator, body: { from: '2026-12-09', to: '2026-12-10', kind: 'training' } });
    await call('POST', '/meetings', {
      as: coordinator,
      body: {
        title: 'BUP-information',
        kind: 'bup_information',
        mode: 'onsite',
        place: 'Kalmar',
        address: 'BUP Kalmar',
        staff: ['lina'],
        start: '2026-12-07T09:00',
        end: '2026-12-07T10:00',
      },
    });
    const { problem, result } = (await propose('2026-W50')).body as Proposal;
    const anna = problem.staff.find((s) => s.id === 'anna');
    expect(anna?.busy).toContainEqual(expect.objectContaining({ start: '2026-12-08T15:00', end: '2026-12-08T16:30', place: 'Kalmar' }));
    expect(problem.staff.find((s) => s.id === 'bo')?.busy).toContainEqual(
      expect.objectContaining({ start: '2026-12-09T00:00', end: '2026-12-11T00:00' }),
    );
    expect(problem.staff.find((s) => s.id === 'lina')?.busy).toContainEqual(expect.objectContaining({ start: '2026-12-07T09:00', place: 'Kalmar' }));
    expect(problem.families.find((f) => f.id === 'PLN-2026-02')?.sessions.find((s) => s.kind === 'family')?.count).toBe(1);
    expect(validatePlan(problem, result)).toEqual([]);
    expect(result.visits.filter((v) => v.staff.includes('bo') && (v.start.startsWith('2026-12-09') || v.start.startsWith('2026-12-10')))).toEqual([]);
  });

  it('keeps holidays free: nothing on Christmas Eve or Christmas Day', async () => {
    const { problem, result } = (await propose('2026-W52')).body as Proposal;
    expect(problem.holidays).toEqual(expect.arrayContaining(['2026-12-24', '2026-12-25']));
    expect(result.visits.filter((v) => v.start.startsWith('2026-12-24') || v.start.startsWith('2026-12-25'))).toEqual([]);
    expect(validatePlan(problem, result)).toEqual([]);
  });

  it('commits a proposal, and a re-plan of the same week proposes nothing that overlaps the bookings', async () => {
    // Some visits booked by hand first: the proposal must work around the family's own day limit and the
    // therapists' daily maximum, or its commit would collide.
    for (const [family, kind, start, end] of [
      ['PLN-2026-02', 'family', '2026-12-15T15:00', '2026-12-15T16:30'],
      ['PLN-2026-01', 'individual', '2026-12-16T15:00', '2026-12-16T16:00'],
      ['PLN-2026-03', 'joint', '2026-12-14T16:00', '2026-12-14T17:30'],
    ] as const) {
      expect((await call('POST', '/visits', { as: coordinator, body: { family, kind, start, end } })).status).toBe(201);
    }
    const first = (await propose('2026-W51')).body as Proposal;
    expect(first.result.visits.length).toBeGreaterThan(0);
    const committed = await call('POST', '/weeks/2026-W51/plan/commit', { as: coordinator, body: { visits: first.result.visits } });
    expect(committed.status).toBe(200);
    const outcome = committed.body as { booked: { visits: { startLocal: string; endLocal: string; staff: string[] }[] }[]; collided: unknown[] };
    expect(outcome.collided).toEqual([]);
    const bookedVisits = outcome.booked.flatMap((b) => b.visits);
    expect(bookedVisits).toHaveLength(first.result.visits.length);

    const again = (await propose('2026-W51')).body as Proposal;
    expect(validatePlan(again.problem, again.result)).toEqual([]);
    for (const proposed of again.result.visits) {
      for (const booked of bookedVisits.filter((b) => b.staff.some((s) => proposed.staff.includes(s)))) {
        expect(proposed.start >= booked.endLocal || proposed.end <= booked.startLocal).toBe(true);
      }
    }
    // Sessions booked are no longer requested.
    expect(again.result.stats.sessionsRequested).toBe(first.result.stats.sessionsRequested - bookedVisits.length);
  });

  it('plans only what is left of the current week', async () => {
    // The test clock stands at Monday 23 November 2026, 09:00 in Stockholm.
    const { problem, result, plannedFrom } = (await propose('2026-W48')).body as Proposal & { plannedFrom?: string };
    expect(plannedFrom).toBe('2026-11-23T09:15');
    expect(problem.staff.every((s) => s.workingHours.every((h) => h.weekday > 1 || h.start >= '09:15'))).toBe(true);
    expect(result.visits.every((v) => v.start >= '2026-11-23T09:15')).toBe(true);
    expect(validatePlan(problem, result)).toEqual([]);
  });

  it('refuses to plan a week that has passed with a 400 on the week that says so (issue 13)', async () => {
    // The test clock stands at Monday 23 November 2026: week 47 ended the day before.
    const res = await propose('2026-W47');
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toEqual(['path.week']);
    expect(JSON.stringify(res.body)).toContain('has passed');
  });

  it('on a Thursday names the passed days as the cause, not "does not work Mon–Wed" (issue 13)', async () => {
    const thursday = { ...defaultDeps(), now: () => new Date('2026-12-10T13:00:00Z') }; // Thu 10 Dec 2026, 14:00 in Stockholm
    const principal = { subject: 'c', teamId: team, staffId: 'coord', groups: new Set(['coordinator'] as const) };
    const { result, plannedFrom } = await proposeWeek(thursday, principal, '2026-W50');
    expect(plannedFrom).toBe('2026-12-10T14:15');
    expect(result.shortfalls.length).toBeGreaterThan(0);
    for (const s of result.shortfalls) {
      expect(s.reason).toContain('Mon 7 Dec–Thu 10 Dec 14:15 has passed');
      expect(s.reason).not.toMatch(/does not work Mon/);
    }
  });

  it('answers 400 for a malformed week and 403 for a therapist', async () => {
    const bad = await propose('2026-W60');
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(['path.week']);
    expect((await propose('2026-W49', therapistOf(team, 'anna'))).status).toBe(403);
  });
});

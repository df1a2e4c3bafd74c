import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import type * as routeDefs from '../../shared/http/route-defs.js';
import type { CommitPlanBody } from '../../shared/schemas/plan-proposal.js';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, tableItems, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

// Issue 21: the console sends back what POST /weeks/{week}/plan returned. The commit used to refuse it (`problem`,
// `result` unrecognised keys; then `week`, `shortfalls`, `stats`), and a week already booked gave 0 visits with no word
// why, whose commit was "Too small: expected array to have >=1 items".
useTable();
let coordinator: Caller;

type Proposal = z.output<typeof routeDefs.proposePlan.response>;

beforeAll(async () => {
  ({ coordinator } = await seedTeam('shapes'));
  await activeFamily(coordinator, 'SHP-2026-01', 'anna', 'bo', { place: 'Emmaboda' });
  await activeFamily(coordinator, 'SHP-2026-02', 'erik', 'lina', { place: 'Kalmar' });
});

const propose = async (week: string): Promise<Proposal> => {
  const res = await call('POST', `/weeks/${week}/plan`, { as: coordinator });
  expect(res.status, res.text).toBe(200);
  return res.body as Proposal;
};
const commit = (week: string, body: unknown) => call('POST', `/weeks/${week}/plan/commit`, { as: coordinator, body });
const bookedIn = async (week: string) =>
  ((await call('GET', '/visits', { as: coordinator, query: { week } })).body as { visits: { family: string; kind: string; startLocal: string }[] })
    .visits;

describe('POST /weeks/{week}/plan/commit takes the proposal as POST /weeks/{week}/plan returns it', () => {
  it('the type of the proposal is a valid commit body (what a generated client sees)', () => {
    expectTypeOf<Proposal>().toExtend<z.input<typeof CommitPlanBody>>();
    expectTypeOf<Proposal['result']>().toExtend<z.input<typeof CommitPlanBody>>();
  });

  it('books the whole proposal sent back unchanged', async () => {
    const proposal = await propose('2026-W49');
    expect(proposal.result.visits.length).toBeGreaterThan(0);
    const res = await commit('2026-W49', proposal);
    expect(res.status, res.text).toBe(200);
    const outcome = res.body as { booked: { family: string; visits: unknown[] }[]; collided: unknown[] };
    expect(outcome.collided).toEqual([]);
    expect(outcome.booked.flatMap((b) => b.visits)).toHaveLength(proposal.result.visits.length);
    expect(await bookedIn('2026-W49')).toHaveLength(proposal.result.visits.length);
  });

  it('books the planner’s result sent alone (week, visits, shortfalls, stats)', async () => {
    const { result } = await propose('2026-W50');
    const res = await commit('2026-W50', result);
    expect(res.status, res.text).toBe(200);
    expect(await bookedIn('2026-W50')).toHaveLength(result.visits.length);
  });

  it('still books the old shape, {"visits": result.visits}', async () => {
    const { result } = await propose('2026-W51');
    const res = await commit('2026-W51', { visits: result.visits });
    expect(res.status, res.text).toBe(200);
    expect(await bookedIn('2026-W51')).toHaveLength(result.visits.length);
  });

  it('books a chosen subset: the proposal with `families`', async () => {
    const proposal = await propose('2027-W02');
    const res = await commit('2027-W02', { ...proposal, families: ['SHP-2026-02'] });
    expect(res.status, res.text).toBe(200);
    const booked = await bookedIn('2027-W02');
    expect(booked.length).toBe(proposal.result.visits.filter((v) => v.family === 'SHP-2026-02').length);
    expect(new Set(booked.map((v) => v.family))).toEqual(new Set(['SHP-2026-02']));
  });

  it('refuses a proposal for another week, a family it does not hold, and two lists at once: 400 on the field, nothing written', async () => {
    const proposal = await propose('2027-W03');
    const before = await tableItems();
    const otherWeek = await commit('2027-W04', proposal);
    expect(otherWeek.status).toBe(400);
    expect(fieldPaths(otherWeek.body)).toContain('result.week');
    const unknownFamily = await commit('2027-W03', { ...proposal, families: ['SHP-2026-99'] });
    expect(unknownFamily.status).toBe(400);
    expect(fieldPaths(unknownFamily.body)).toEqual(['families[0]']);
    const both = await commit('2027-W03', { ...proposal, visits: proposal.result.visits });
    expect(both.status).toBe(400);
    expect(fieldPaths(both.body)).toContain('visits');
    expect(await tableItems()).toEqual(before);
  });
});

describe('a week that is already planned', () => {
  it('the proposal says so: sessions already booked per family and kind, and what is left to place', async () => {
    const proposal = await propose('2026-W49');
    expect(proposal.result.visits).toEqual([]);
    const booked = await bookedIn('2026-W49');
    expect(proposal.alreadyBooked).toEqual(
      expect.arrayContaining(
        ['SHP-2026-01', 'SHP-2026-02'].map((family) =>
          expect.objectContaining({
            family,
            booked: booked.filter((v) => v.family === family).length,
            byKind: {
              family: booked.filter((v) => v.family === family && v.kind === 'family').length,
              individual: booked.filter((v) => v.family === family && v.kind === 'individual').length,
              joint: booked.filter((v) => v.family === family && v.kind === 'joint').length,
            },
            toPlace: 0,
          }),
        ),
      ),
    );
    expect(proposal.summary).toEqual({ sessionsBooked: booked.length, sessionsToPlace: 0, alreadyPlanned: true });
    expect(proposal.note).toMatch(/2026-W49 is already planned/);
  });

  it('committing that empty proposal is a 400 that says the week is already planned, not "Too small", and writes nothing', async () => {
    const proposal = await propose('2026-W49');
    const before = await tableItems();
    const res = await commit('2026-W49', proposal);
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toEqual(['result.visits']);
    expect(res.text).toMatch(/already planned/);
    expect(res.text).not.toMatch(/Too small/);
    const old = await commit('2026-W49', { visits: [] });
    expect(old.status).toBe(400);
    expect(old.text).toMatch(/already planned/);
    expect(await tableItems()).toEqual(before);
  });

  it('a week partly booked: the proposal places only what is left and says how much was already booked', async () => {
    const single = await call('POST', '/visits', {
      as: coordinator,
      body: { family: 'SHP-2026-01', kind: 'family', start: '2027-01-19T15:00', end: '2027-01-19T16:30' },
    });
    expect(single.status, single.text).toBe(201);
    const proposal = await propose('2027-W03');
    const entry = proposal.alreadyBooked.find((b) => b.family === 'SHP-2026-01');
    expect(entry).toMatchObject({ booked: 1, byKind: { family: 1, individual: 0, joint: 0 } });
    expect(proposal.summary.alreadyPlanned).toBe(false);
    expect(proposal.summary.sessionsToPlace).toBe(proposal.result.stats.sessionsRequested);
    expect(proposal.note).toMatch(/1 session already booked/);
  });
});

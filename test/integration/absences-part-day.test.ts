import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

useTable();
let coordinator: Caller;
const team = 'partday-team';

beforeAll(async () => {
  ({ coordinator } = await seedTeam(team));
  await activeFamily(coordinator, 'PDA-2026-01', 'anna', 'bo', {
    place: 'Kalmar',
    maxSessionsPerDay: 3,
    windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '19:00' })),
  });
});

const absence = (staffId: string, body: unknown) => call('POST', `/staff/${staffId}/absences`, { as: coordinator, body });
const book = (start: string, end: string, kind = 'family') =>
  call('POST', '/visits', { as: coordinator, body: { family: 'PDA-2026-01', kind, start, end } });

describe('part-day absences (local date-times)', () => {
  it('records a dentist 13:00–15:00 beside whole days, lists only what it overlaps, and blocks only those hours', async () => {
    const before = await book('2026-12-15T13:30', '2026-12-15T15:00');
    const morning = await book('2026-12-15T09:00', '2026-12-15T10:00', 'joint');
    expect([before.status, morning.status]).toEqual([201, 201]);
    const res = await absence('anna', { start: '2026-12-15T13:00', end: '2026-12-15T15:00', kind: 'other' });
    expect(res.status).toBe(201);
    const body = res.body as {
      from: string;
      to: string;
      startLocal: string;
      endLocal: string;
      start: string;
      end: string;
      affected: { ref: string }[];
    };
    expect(body).toMatchObject({
      from: '2026-12-15',
      to: '2026-12-15',
      startLocal: '2026-12-15T13:00',
      endLocal: '2026-12-15T15:00',
      start: '2026-12-15T12:00:00.000Z',
      end: '2026-12-15T14:00:00.000Z',
    });
    expect(body.affected.map((e) => e.ref)).toEqual([`visit:${(before.body as { id: string }).id}`]);
    // The repair proposal knocks out only the visit inside it and re-places it outside it.
    const replan = (await call('POST', '/weeks/2026-W51/replan', { as: coordinator })).body as {
      affected: { visit: string }[];
      moves: { visit: string; start: string; end: string }[];
    };
    expect(replan.affected.map((a) => a.visit)).toEqual([(before.body as { id: string }).id]);
    for (const m of replan.moves) expect(m.end <= '2026-12-15T13:00' || m.start >= '2026-12-15T15:00').toBe(true);
    // Inside it: refused; after it (and before it), on the same day: booked.
    expect((await book('2026-12-15T14:00', '2026-12-15T14:45', 'joint')).status).toBe(409);
    expect((await book('2026-12-15T16:00', '2026-12-15T17:00', 'joint')).status).toBe(201);
    // Another part of the same day does not overlap; a whole day over it does.
    expect((await absence('anna', { start: '2026-12-15T17:30', end: '2026-12-15T18:30', kind: 'training' })).status).toBe(201);
    const whole = await absence('anna', { from: '2026-12-15', to: '2026-12-16', kind: 'sick' });
    expect(whole.status).toBe(409);
    expect(whole.text).toMatch(/2026-12-15T(13:00–2026-12-15T15:00|17:30–2026-12-15T18:30)/);
  });

  it('the planner and the alternatives treat it as a blocked interval, not a lost day', async () => {
    expect((await absence('bo', { start: '2026-12-21T09:00', end: '2026-12-21T12:00', kind: 'other' })).status).toBe(201);
    const plan = (await call('POST', '/weeks/2026-W52/plan', { as: coordinator })).body as {
      problem: { staff: { id: string; busy: { start: string; end: string; label?: string }[] }[] };
      result: { visits: { staff: string[]; start: string; end: string }[] };
    };
    const bo = plan.problem.staff.find((s) => s.id === 'bo');
    expect(bo?.busy).toContainEqual(expect.objectContaining({ start: '2026-12-21T09:00', end: '2026-12-21T12:00', label: 'absence:other' }));
    for (const v of plan.result.visits.filter((x) => x.staff.includes('bo')))
      expect(v.start >= '2026-12-21T12:00' || v.end <= '2026-12-21T09:00').toBe(true);
    // Alternatives for a Monday visit of bo's: none in 09:00–12:00, some after it that day.
    const visit = await book('2026-12-21T13:00', '2026-12-21T14:00', 'individual');
    expect(visit.status).toBe(201);
    const alts = (await call('GET', `/visits/${(visit.body as { id: string }).id}/alternatives`, { as: coordinator })).body as {
      alternatives: { start: string; end: string }[];
    };
    const monday = alts.alternatives.filter((a) => a.start.startsWith('2026-12-21'));
    for (const a of monday) expect(a.start >= '2026-12-21T12:00').toBe(true);
  });

  it('converts local times across both DST changes', async () => {
    const spring = await absence('erik', { start: '2027-03-28T01:00', end: '2027-03-28T04:00', kind: 'other' });
    expect(spring.status).toBe(201);
    expect(spring.body).toMatchObject({ start: '2027-03-28T00:00:00.000Z', end: '2027-03-28T02:00:00.000Z', from: '2027-03-28', to: '2027-03-28' });
    const autumn = await absence('erik', { start: '2027-10-31T01:00', end: '2027-10-31T04:00', kind: 'other' });
    expect(autumn.status).toBe(201);
    expect(autumn.body).toMatchObject({ start: '2027-10-30T23:00:00.000Z', end: '2027-10-31T03:00:00.000Z' });
    const gap = await absence('erik', { start: '2027-03-28T02:30', end: '2027-03-28T05:00', kind: 'other' });
    expect(gap.status).toBe(400);
    expect(fieldPaths(gap.body)).toEqual(['start']);
  });

  it('answers field-level 400s: one form only, both ends, end after start, the span cap', async () => {
    const cases: [unknown, string[]][] = [
      [{ from: '2026-12-01', start: '2026-12-01T13:00', end: '2026-12-01T15:00', kind: 'other' }, ['from']],
      [{ start: '2026-12-01T13:00', kind: 'other' }, ['end']],
      [{ start: '2026-12-01T15:00', end: '2026-12-01T13:00', kind: 'other' }, ['end']],
      [{ start: '2026-12-01T13:00', end: '2028-01-01T13:00', kind: 'other' }, ['end']],
      [{ kind: 'other' }, ['from', 'to']],
      [{ start: '2026-12-01 13:00', end: '2026-12-01T15:00', kind: 'other' }, ['start']],
    ];
    for (const [body, paths] of cases) {
      const res = await absence('lina', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(fieldPaths(res.body), JSON.stringify(body)).toEqual(paths);
    }
  });
});

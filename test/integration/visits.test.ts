import { beforeAll, describe, expect, it } from 'vitest';
import { dbFromEnv } from '../../shared/store/client.js';
import { staffDaysBetween } from '../../shared/store/schedule.js';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, therapistOf, useTable } from '../helpers/api.js';
import { activeFamily, familyBody, seedTeam, teamBody } from '../helpers/fixtures.js';

useTable();
let coordinator: Caller;
const team = 'visit-team';

interface VisitOut {
  id: string;
  version: number;
  status: string;
  start: string;
  end: string;
  startLocal: string;
  staff: string[];
  week: string;
  place: string;
}

beforeAll(async () => {
  ({ coordinator } = await seedTeam(team));
  await activeFamily(coordinator, 'VIS-2026-01', 'anna', 'bo', { startDate: '2026-10-19', treatmentWeeks: 26 });
  await activeFamily(coordinator, 'VIS-2026-02', 'anna', 'lina', { place: 'Kalmar' });
  await activeFamily(coordinator, 'VIS-2026-03', 'erik', 'lina', { place: 'Torsås', startDate: '2026-10-19', treatmentWeeks: 26 });
});

const book = (family: string, kind: string, start: string, end: string, as: Caller = coordinator) =>
  call('POST', '/visits', { as, body: { family, kind, start, end } });

/**
 * A staff member's days in [from, to], checked from both sides: the guard items the bookings wrote hold exactly the
 * visits the records say are booked (not cancelled), and no two engagements of a day overlap or leave less than the
 * travel time between their places, taken from the matrix the team was created with (test/helpers/fixtures.ts), not
 * from the code under test. An overlap is a gap below zero.
 */
async function assertNoDoubleBooking(staffId: string, from: string, to: string): Promise<void> {
  const travel = teamBody(team).travelMinutes;
  const listed = await call('GET', '/visits', { as: coordinator, query: { staff: staffId, from, to } });
  expect(listed.status).toBe(200);
  const booked = (listed.body as { visits: VisitOut[] }).visits.filter((v) => v.status !== 'cancelled');
  const days = await staffDaysBetween(dbFromEnv(), team, staffId, from, to);
  const guarded = days.flatMap((d) => d.engagements.filter((e) => e.type === 'visit').map((e) => e.ref.replace(/^visit:/, '')));
  expect(guarded.sort(), `${staffId}'s guards hold exactly the booked visits`).toEqual(booked.map((v) => v.id).sort());
  for (const day of days) {
    const sorted = [...day.engagements].sort((a, b) => a.start.localeCompare(b.start));
    for (const [i, next] of sorted.entries()) {
      const previous = sorted[i - 1];
      if (!previous) continue;
      const gap = (Date.parse(next.start) - Date.parse(previous.end)) / 60_000;
      const need = travel[previous.place]?.[next.place];
      expect(need, `travel ${previous.place} → ${next.place}`).toBeDefined();
      expect(
        gap,
        `${staffId} ${day.date}: ${previous.ref} (${previous.place}) ends ${previous.end}, ${next.ref} (${next.place}) starts ${next.start}`,
      ).toBeGreaterThanOrEqual(need ?? Infinity);
    }
  }
}

describe('visits', () => {
  it('books a visit staffed by the family’s pair, stored in UTC and shown in local time', async () => {
    const res = await book('VIS-2026-01', 'joint', '2026-11-24T15:30', '2026-11-24T17:00');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      family: 'VIS-2026-01',
      kind: 'joint',
      staff: ['anna', 'bo'],
      place: 'Emmaboda',
      start: '2026-11-24T14:30:00.000Z',
      end: '2026-11-24T16:00:00.000Z',
      startLocal: '2026-11-24T15:30',
      week: '2026-W48',
      status: 'planned',
      version: 1,
    });
    const id = (res.body as VisitOut).id;
    expect((await call('GET', `/visits/${id}`, { as: coordinator })).body).toMatchObject({ id, version: 1 });
  });

  it('handles summer time: a visit in the October DST week keeps its wall-clock time', async () => {
    const before = await book('VIS-2026-03', 'family', '2026-10-23T16:00', '2026-10-23T17:30');
    const after = await book('VIS-2026-03', 'family', '2026-10-26T16:00', '2026-10-26T17:30');
    expect((before.body as VisitOut).start).toBe('2026-10-23T14:00:00.000Z');
    expect((after.body as VisitOut).start).toBe('2026-10-26T15:00:00.000Z');
    const gap = await book('VIS-2026-03', 'family', '2027-03-28T02:30', '2027-03-28T03:30');
    expect(gap.status).toBe(400);
    expect(fieldPaths(gap.body)).toEqual(['start']);
  });

  it('refuses a double booking of a therapist, and a visit too close to reach in time (409)', async () => {
    expect((await book('VIS-2026-02', 'family', '2026-11-25T15:00', '2026-11-25T16:30')).status).toBe(201);
    const overlap = await book('VIS-2026-01', 'family', '2026-11-25T16:00', '2026-11-25T17:30');
    expect(overlap.status).toBe(409);
    expect((overlap.body as { error: { message: string } }).error.message).toMatch(/anna already has a visit \(VIS-2026-02, Kalmar\)/);
    // Kalmar → Emmaboda takes 45 minutes: 16:30 + 45 = 17:15 is the earliest start.
    const tooClose = await book('VIS-2026-01', 'family', '2026-11-25T17:00', '2026-11-25T18:30');
    expect(tooClose.status).toBe(409);
    expect((tooClose.body as { error: { message: string } }).error.message).toMatch(/travel between Kalmar and Emmaboda takes 45 min/);
    expect((await book('VIS-2026-01', 'family', '2026-11-25T17:15', '2026-11-25T18:45')).status).toBe(201);
  });

  it('refuses a second visit the same day for a family with maxSessionsPerDay 1, and a visit while a therapist is absent', async () => {
    expect((await book('VIS-2026-03', 'individual', '2026-11-26T15:00', '2026-11-26T16:00')).status).toBe(201);
    expect((await book('VIS-2026-03', 'family', '2026-11-26T18:00', '2026-11-26T19:00')).status).toBe(409);
    await call('POST', '/staff/erik/absences', { as: coordinator, body: { from: '2026-12-07', to: '2026-12-09', kind: 'sick' } });
    const absent = await book('VIS-2026-03', 'family', '2026-12-08T15:00', '2026-12-08T16:30');
    expect(absent.status).toBe(409);
    expect((absent.body as { error: { message: string } }).error.message).toMatch(/erik is absent/);
  });

  it('names bad input field by field and books nothing', async () => {
    const res = await call('POST', '/visits', {
      as: coordinator,
      body: { family: 'VIS-2026-01', kind: 'group', start: '2026-11-27 15:00', end: '2026-11-27T14:00' },
    });
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toEqual(expect.arrayContaining(['kind', 'start']));
    const unknown = await book('NOPE-2026-01', 'family', '2026-11-27T15:00', '2026-11-27T16:00');
    expect(unknown.status).toBe(400);
    expect(fieldPaths(unknown.body)).toEqual(['family']);
    await call('POST', '/families', { as: coordinator, body: familyBody('VIS-2026-09') });
    expect((await book('VIS-2026-09', 'family', '2026-11-27T15:00', '2026-11-27T16:00')).status).toBe(409);
  });

  it('moves with the version read; stale versions are 409; the old time is freed', async () => {
    const created = (await book('VIS-2026-02', 'individual', '2026-12-01T15:00', '2026-12-01T16:00')).body as VisitOut;
    const moved = await call('PATCH', `/visits/${created.id}`, {
      as: coordinator,
      body: { version: 1, start: '2026-12-02T15:00', end: '2026-12-02T16:00' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ version: 2, startLocal: '2026-12-02T15:00' });
    expect(
      (await call('PATCH', `/visits/${created.id}`, { as: coordinator, body: { version: 1, start: '2026-12-03T15:00', end: '2026-12-03T16:00' } }))
        .status,
    ).toBe(409);
    // lina's 1 Dec slot is free again.
    expect((await book('VIS-2026-03', 'individual', '2026-12-01T15:00', '2026-12-01T16:00')).status).toBe(201);
    expect(
      (
        await call('PATCH', '/visits/00000000-0000-0000-0000-000000000000', {
          as: coordinator,
          body: { version: 1, start: '2026-12-03T15:00', end: '2026-12-03T16:00' },
        })
      ).status,
    ).toBe(404);
  });

  it('cancels with who and why; a cancelled visit cannot be moved; outcomes only once started', async () => {
    const created = (await book('VIS-2026-02', 'family', '2026-11-10T15:00', '2026-11-10T16:30')).body as VisitOut;
    const done = await call('POST', `/visits/${created.id}/outcome`, { as: coordinator, body: { version: 1, status: 'done' } });
    expect(done.body).toMatchObject({ status: 'done', version: 2 });

    const future = (await book('VIS-2026-02', 'family', '2027-01-12T15:00', '2027-01-12T16:30')).body as VisitOut;
    expect((await call('POST', `/visits/${future.id}/outcome`, { as: coordinator, body: { version: 1, status: 'done' } })).status).toBe(409);
    const bad = await call('POST', `/visits/${future.id}/cancel`, { as: coordinator, body: { version: 1, by: 'neighbour', reason: 'illness' } });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(['by']);
    const cancelled = await call('POST', `/visits/${future.id}/cancel`, { as: coordinator, body: { version: 1, by: 'family', reason: 'illness' } });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledBy: 'family', cancelReason: 'illness', version: 2 });
    expect(
      (await call('PATCH', `/visits/${future.id}`, { as: coordinator, body: { version: 2, start: '2027-01-13T15:00', end: '2027-01-13T16:30' } }))
        .status,
    ).toBe(409);
    expect((await book('VIS-2026-02', 'family', '2027-01-12T15:00', '2027-01-12T16:30')).status).toBe(201);
  });

  it('lists by staff and range, by family and by week; a therapist sees only their own', async () => {
    const byStaff = await call('GET', '/visits', { as: coordinator, query: { staff: 'anna', from: '2026-11-23', to: '2026-11-29' } });
    expect(byStaff.status).toBe(200);
    const annaVisits = (byStaff.body as { visits: VisitOut[] }).visits;
    expect(annaVisits.length).toBeGreaterThanOrEqual(3);
    expect(annaVisits.every((v) => v.staff.includes('anna'))).toBe(true);
    const byFamily = (await call('GET', '/visits', { as: coordinator, query: { family: 'VIS-2026-03' } })).body as { visits: VisitOut[] };
    expect(byFamily.visits.map((v) => v.startLocal)).toEqual([...byFamily.visits.map((v) => v.startLocal)].sort());
    const byWeek = (await call('GET', '/visits', { as: coordinator, query: { week: '2026-W48' } })).body as { visits: VisitOut[] };
    expect(byWeek.visits.every((v) => v.week === '2026-W48')).toBe(true);
    expect(byWeek.visits.length).toBe(4);

    const erik = therapistOf(team, 'erik');
    const erikWeek = (await call('GET', '/visits', { as: erik, query: { week: '2026-W48' } })).body as { visits: VisitOut[] };
    expect(erikWeek.visits.every((v) => v.staff.includes('erik') || v.staff.includes('lina'))).toBe(true);
    expect((await call('GET', '/visits', { as: erik, query: { staff: 'anna', from: '2026-11-23', to: '2026-11-29' } })).status).toBe(404);
    expect((await call('GET', '/visits', { as: erik, query: { family: 'VIS-2026-01' } })).status).toBe(404);
    const annaVisit = annaVisits[0]?.id ?? '';
    expect((await call('GET', `/visits/${annaVisit}`, { as: erik })).status).toBe(404);

    const bad = await call('GET', '/visits', { as: coordinator, query: { staff: 'anna' } });
    expect(bad.status).toBe(400);
    expect((await call('GET', '/visits', { as: coordinator, query: {} })).status).toBe(400);
  });

  it('lets a therapist book and move visits of families they treat, not others', async () => {
    const bo = therapistOf(team, 'bo');
    expect((await book('VIS-2026-01', 'individual', '2026-12-03T15:00', '2026-12-03T16:00', bo)).status).toBe(201);
    expect((await book('VIS-2026-03', 'individual', '2026-12-03T17:00', '2026-12-03T18:00', bo)).status).toBe(400);
  });

  it('audits every visit change in the same transaction', async () => {
    const created = (await book('VIS-2026-01', 'individual', '2026-12-10T15:00', '2026-12-10T16:00')).body as VisitOut;
    await call('PATCH', `/visits/${created.id}`, { as: coordinator, body: { version: 1, start: '2026-12-10T16:00', end: '2026-12-10T17:00' } });
    const { listAudit } = await import('../../shared/store/audit.js');
    const entries = await listAudit(dbFromEnv(), team, 'visit', created.id);
    expect(entries.map((e) => e.action)).toEqual(['create', 'move']);
    expect(entries[1]).toMatchObject({ actor: 'coord', before: { version: 1 }, after: { version: 2 } });
  });

  it('accepts a move outside working hours and the family windows, with warnings in the answer and the audit entry (issue 13)', async () => {
    const created = (await book('VIS-2026-01', 'individual', '2026-12-17T15:00', '2026-12-17T16:00')).body as VisitOut & { warnings?: string[] };
    expect(created.warnings).toBeUndefined();
    // An evening crisis visit: bo works 09–19 and the family's window ends 20:00.
    const moved = await call('PATCH', `/visits/${created.id}`, {
      as: coordinator,
      body: { version: 1, start: '2026-12-17T20:00', end: '2026-12-17T21:00' },
    });
    expect(moved.status).toBe(200);
    const warnings = (moved.body as { warnings?: string[] }).warnings ?? [];
    expect(warnings.join(' | ')).toContain("outside bo's working hours");
    expect(warnings.join(' | ')).toContain("outside VIS-2026-01's visiting windows");
    const { listAudit } = await import('../../shared/store/audit.js');
    const entries = await listAudit(dbFromEnv(), team, 'visit', created.id);
    expect(entries.at(-1)).toMatchObject({ action: 'move', warnings });
  });

  it('never double-books under concurrency: 50 overlapping bookings for one therapist → exactly one succeeds', async () => {
    const codes = Array.from({ length: 10 }, (_, i) => `CON-2026-${String(i + 1).padStart(2, '0')}`);
    for (const code of codes) await activeFamily(coordinator, code, 'anna', 'bo', { place: 'Kalmar' });
    const requests = Array.from({ length: 50 }, (_, i) => {
      const minute = String((i % 4) * 15).padStart(2, '0');
      return book(codes[i % codes.length] ?? '', 'family', `2026-12-15T15:${minute}`, `2026-12-15T16:${minute}`);
    });
    const answers = await Promise.all(requests);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status !== 201 && r.status !== 409).map((r) => [r.status, r.body])).toEqual([]);
    const days = await staffDaysBetween(dbFromEnv(), team, 'anna', '2026-12-15', '2026-12-15');
    expect(days[0]?.engagements).toHaveLength(1);
    // The stored visits agree: one visit for anna that day.
    const stored = (await call('GET', '/visits', { as: coordinator, query: { week: '2026-W51' } })).body as { visits: VisitOut[] };
    expect(stored.visits.filter((v) => v.staff.includes('anna') && v.startLocal.startsWith('2026-12-15') && v.status === 'planned')).toHaveLength(1);
    await assertNoDoubleBooking('anna', '2026-11-01', '2027-02-01');
  });

  it('lets non-overlapping concurrent bookings on the same day all through', async () => {
    const codes = ['CON-2026-01', 'CON-2026-02', 'CON-2026-03', 'CON-2026-04'];
    const starts = ['09:00', '10:30', '12:00', '13:30'];
    const results = await Promise.all(
      codes.map((code, i) =>
        book(
          code,
          'individual',
          `2026-12-16T${starts[i]}`,
          `2026-12-16T${starts[i]?.replace(/^(\d\d)/, (h) => String(Number(h) + 1).padStart(2, '0'))}`,
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    await assertNoDoubleBooking('bo', '2026-12-16', '2026-12-16');
  });

  it('a move racing a cancel: exactly one wins, and the schedule matches it', async () => {
    for (let round = 0; round < 5; round++) {
      const created = (await book('VIS-2026-03', 'family', `2027-02-0${round + 1}T15:00`, `2027-02-0${round + 1}T16:00`)).body as VisitOut;
      const [move, cancel] = await Promise.all([
        call('PATCH', `/visits/${created.id}`, {
          as: coordinator,
          body: { version: 1, start: `2027-02-0${round + 1}T17:00`, end: `2027-02-0${round + 1}T18:00` },
        }),
        call('POST', `/visits/${created.id}/cancel`, { as: coordinator, body: { version: 1, by: 'team', reason: 'staff_unavailable' } }),
      ]);
      expect([move.status, cancel.status].sort()).toEqual([200, 409]);
      const days = await staffDaysBetween(dbFromEnv(), team, 'erik', `2027-02-0${round + 1}`, `2027-02-0${round + 1}`);
      const refs = (days[0]?.engagements ?? []).filter((e) => e.ref === `visit:${created.id}`);
      if (move.status === 200) expect(refs.map((e) => e.start)).toEqual([(move.body as VisitOut).start]);
      else expect(refs).toEqual([]);
    }
  });

  it('proposes ranked alternatives that respect windows, working hours, travel, other visits and the family’s day limit', async () => {
    await activeFamily(coordinator, 'ALT-2026-01', 'erik', 'bo', { place: 'Kalmar', startDate: '2026-10-19', treatmentWeeks: 26 });
    const visit = (await book('VIS-2026-01', 'individual', '2027-03-02T15:00', '2027-03-02T16:00')).body as VisitOut;
    expect((await book('ALT-2026-01', 'individual', '2027-03-03T15:00', '2027-03-03T16:00')).status).toBe(201);
    const res = await call('GET', `/visits/${visit.id}/alternatives`, { as: coordinator });
    expect(res.status).toBe(200);
    const alternatives = (res.body as { alternatives: { start: string; end: string; week: string; extraTravelMinutes: number }[] }).alternatives;
    expect(alternatives.length).toBeGreaterThan(3);
    expect(alternatives.length).toBeLessThanOrEqual(10);
    // Same week first.
    const weeks = alternatives.map((a) => a.week);
    expect(weeks).toEqual([...weeks].sort());
    for (const a of alternatives) {
      const time = a.start.slice(11);
      // Family window 15:00–20:00 ∩ bo's hours 09:00–19:00 less 45 min back to Kalmar: 60-minute visits start 15:00–17:15.
      expect(time >= '15:00' && time <= '17:15').toBe(true);
      expect(['6', '7']).not.toContain(String(new Date(`${a.start.slice(0, 10)}T12:00:00Z`).getUTCDay() || 7));
      expect(a.start).not.toBe('2027-03-02T15:00');
      // On 3 March bo is in Kalmar 15:00–16:00; Emmaboda is 45 minutes away.
      if (a.start.startsWith('2027-03-03')) expect(time >= '16:45').toBe(true);
    }
    const cancelled = await call('POST', `/visits/${visit.id}/cancel`, { as: coordinator, body: { version: 1, by: 'team', reason: 'rescheduled' } });
    expect(cancelled.status).toBe(200);
    expect((await call('GET', `/visits/${visit.id}/alternatives`, { as: coordinator })).status).toBe(409);
  });
});

describe('plan commit input', () => {
  it('names the proposed visit whose time does not exist', async () => {
    const res = await call('POST', '/weeks/2027-W12/plan/commit', {
      as: coordinator,
      body: {
        visits: [
          { family: 'VIS-2026-02', kind: 'family', staff: ['anna'], start: '2027-03-22T15:00', end: '2027-03-22T16:00', place: 'Kalmar' },
          { family: 'VIS-2026-02', kind: 'family', staff: ['anna'], start: '2027-03-28T02:15', end: '2027-03-28T03:15', place: 'Kalmar' },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toEqual(['visits[1].start']);
  });
});

describe('alternatives that explain themselves', () => {
  it('an empty list says why: both weeks lost to an absence (issue 13)', async () => {
    await activeFamily(coordinator, 'ALT-2026-02', 'erik', 'bo', { place: 'Kalmar' });
    const visit = (await book('ALT-2026-02', 'family', '2027-02-02T15:00', '2027-02-02T16:00')).body as VisitOut;
    expect(
      (await call('POST', '/staff/erik/absences', { as: coordinator, body: { from: '2027-02-01', to: '2027-02-14', kind: 'sick' } })).status,
    ).toBe(201);
    const res = await call('GET', `/visits/${visit.id}/alternatives`, { as: coordinator });
    expect(res.status).toBe(200);
    const body = res.body as { alternatives: unknown[]; reason?: string };
    expect(body.alternatives).toEqual([]);
    expect(body.reason).toContain('erik absent');
  });
});

describe('when a case changes', () => {
  it('refuses a visit before the treatment started or after its planned end with 409 saying so (issue 10 §2)', async () => {
    await activeFamily(coordinator, 'END-2026-03', 'erik', 'lina', { place: 'Kalmar' }); // 2026-11-02 … 2027-02-21 (16 weeks)
    const early = await book('END-2026-03', 'family', '2026-10-20T15:00', '2026-10-20T16:00');
    expect(early.status).toBe(409);
    expect(JSON.stringify(early.body)).toContain('2026-11-02');
    const late = await book('END-2026-03', 'family', '2027-08-20T15:00', '2027-08-20T16:00');
    expect(late.status).toBe(409);
    expect(JSON.stringify(late.body)).toContain('2027-02-21');
    expect((await book('END-2026-03', 'family', '2027-02-22T15:00', '2027-02-22T16:00')).status).toBe(409);
    const lastDay = await book('END-2026-03', 'family', '2027-02-19T15:00', '2027-02-19T16:00');
    expect(lastDay.status).toBe(201);
    const visit = lastDay.body as VisitOut;
    const moved = await call('PATCH', `/visits/${visit.id}`, {
      as: coordinator,
      body: { version: 1, start: '2027-03-01T15:00', end: '2027-03-01T16:00' },
    });
    expect(moved.status).toBe(409);
    expect(JSON.stringify(moved.body)).toContain('2027-02-21');
    expect((await call('GET', `/visits/${visit.id}`, { as: coordinator })).body).toMatchObject({ version: 1, startLocal: '2027-02-19T15:00' });
  });

  it('completing it cancels its future visits (by the team, treatment ended) and frees the time; past ones stay', async () => {
    await activeFamily(coordinator, 'END-2026-01', 'erik', 'lina', { place: 'Kalmar' });
    const past = (await book('END-2026-01', 'family', '2026-11-16T15:00', '2026-11-16T16:00')).body as VisitOut;
    const future = (await book('END-2026-01', 'family', '2027-01-05T15:00', '2027-01-05T16:00')).body as VisitOut;
    const family = (await call('GET', '/families/END-2026-01', { as: coordinator })).body as { version: number };
    expect(
      (
        await call('POST', '/families/END-2026-01/status', {
          as: coordinator,
          body: { to: 'completed', version: family.version, completionType: 'as_planned' },
        })
      ).status,
    ).toBe(200);
    expect((await call('GET', `/visits/${future.id}`, { as: coordinator })).body).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'team',
      cancelReason: 'treatment_ended',
    });
    expect((await call('GET', `/visits/${past.id}`, { as: coordinator })).body).toMatchObject({ status: 'planned' });
    const days = await staffDaysBetween(dbFromEnv(), team, 'erik', '2027-01-05', '2027-01-05');
    expect(days[0]?.engagements ?? []).toEqual([]);
  });

  it('changing the pair or the place while visits are planned is refused (409) until they are moved or cancelled', async () => {
    await activeFamily(coordinator, 'END-2026-02', 'erik', 'lina', { place: 'Kalmar' });
    const future = (await book('END-2026-02', 'individual', '2027-01-06T15:00', '2027-01-06T16:00')).body as VisitOut;
    const family = (await call('GET', '/families/END-2026-02', { as: coordinator })).body as { version: number };
    const res = await call('PATCH', '/families/END-2026-02', { as: coordinator, body: { version: family.version, individualTherapist: 'bo' } });
    expect(res.status).toBe(409);
    expect((await call('PATCH', '/families/END-2026-02', { as: coordinator, body: { version: family.version, minSessions: 3 } })).status).toBe(200);
    await call('POST', `/visits/${future.id}/cancel`, { as: coordinator, body: { version: 1, by: 'team', reason: 'rescheduled' } });
    expect(
      (await call('PATCH', '/families/END-2026-02', { as: coordinator, body: { version: family.version + 1, individualTherapist: 'bo' } })).status,
    ).toBe(200);
  });
});

describe('absences and what is booked', () => {
  it('an absence is always recorded, and the answer lists what is already booked in it', async () => {
    await activeFamily(coordinator, 'ABS-2026-01', 'erik', 'lina', { place: 'Kalmar' });
    const visit = (await book('ABS-2026-01', 'family', '2027-01-19T15:00', '2027-01-19T16:00')).body as VisitOut;
    const res = await call('POST', '/staff/erik/absences', { as: coordinator, body: { from: '2027-01-18', to: '2027-01-20', kind: 'sick' } });
    expect(res.status).toBe(201);
    expect((res.body as { affected: { ref: string }[] }).affected.map((e) => e.ref)).toEqual([`visit:${visit.id}`]);
    expect((res.body as { affected: unknown[] }).affected[0]).toMatchObject({
      start: '2027-01-19T14:00:00.000Z',
      startLocal: '2027-01-19T15:00',
      endLocal: '2027-01-19T16:00',
    });
    // New bookings in the absence are refused.
    expect((await book('ABS-2026-01', 'family', '2027-01-20T15:00', '2027-01-20T16:00')).status).toBe(409);
  });
});

describe('an absence racing a booking', () => {
  it('bumps the days it covers, so a booking that read a day before the absence cannot commit on stale data', async () => {
    const { readDays, commitBooking, DaysChangedError } = await import('../../shared/store/schedule.js');
    const { putAbsence } = await import('../../shared/store/staff.js');
    const db = dbFromEnv();
    const ref = { owner: 'staff' as const, id: 'lina', date: '2027-02-10' };
    const before = [...(await readDays(db, team, [ref])).values()][0];
    if (!before) throw new Error('no day');
    await putAbsence(
      db,
      { teamId: team, staffId: 'lina', id: 'race-1', from: '2027-02-10', to: '2027-02-11', kind: 'sick', createdAt: '2026-11-23T08:00:00.000Z' },
      ['2027-02-10', '2027-02-11'],
    );
    await expect(
      commitBooking(db, team, [], [{ ref, day: { ...before, version: before.version + 1 }, expectedVersion: before.version }], []),
    ).rejects.toBeInstanceOf(DaysChangedError);
    // Through the API the retry then sees the absence and refuses.
    await activeFamily(coordinator, 'RCE-2026-01', 'erik', 'lina', { place: 'Kalmar' });
    expect((await book('RCE-2026-01', 'individual', '2027-02-10T15:00', '2027-02-10T16:00')).status).toBe(409);
  });
});

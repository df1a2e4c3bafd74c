import fc from 'fast-check';
import { weekDates } from '../../../shared/domain/planning/index.js';
import type { PlanningProblemInput } from '../../../shared/schemas/planning.js';
import { problemOf } from './fixtures.js';

/** The seed of every property test of the planning engines: a failure reproduces (fast-check prints the path too). */
export const PROPERTY_SEED = 0x1cb25;

export const PLACES = ['Kalmar', 'Nybro', 'Borgholm'] as const;
const WEEKS = ['2026-W48', '2026-W52', '2026-W53', '2026-W13', '2026-W43', '2026-W25', '2027-W01'] as const;
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const interval = fc
  .record({ weekday: fc.integer({ min: 1, max: 7 }), start: fc.integer({ min: 0, max: 88 }), length: fc.integer({ min: 2, max: 56 }) })
  .map(({ weekday, start, length }) => ({ weekday, start: hhmm(start * 15), end: hhmm(Math.min(96, start + length) * 15) }));

const busy = fc.record({
  day: fc.integer({ min: -1, max: 7 }),
  start: fc.integer({ min: 0, max: 95 }),
  length: fc.integer({ min: 1, max: 300 }),
  place: fc.option(fc.constantFrom(...PLACES), { nil: undefined }),
});

/** Random small teams: any week (holidays, DST), any grid, uneven travel, busy blocks across days. */
export const problemArb = fc
  .record({
    week: fc.constantFrom(...WEEKS),
    slotMinutes: fc.constantFrom(15, 30, 60, 20),
    ownHolidays: fc.option(fc.subarray([0, 1, 2, 3, 4, 5, 6]), { nil: undefined }),
    travel: fc.array(fc.integer({ min: 5, max: 120 }), { minLength: 9, maxLength: 9 }),
    pairs: fc.array(
      fc.record({
        bases: fc.tuple(fc.constantFrom(...PLACES), fc.constantFrom(...PLACES)),
        hours: fc.tuple(
          fc.uniqueArray(interval, { selector: (i) => i.weekday, maxLength: 7 }),
          fc.uniqueArray(interval, { selector: (i) => i.weekday, maxLength: 7 }),
        ),
        busy: fc.tuple(fc.array(busy, { maxLength: 3 }), fc.array(busy, { maxLength: 3 })),
        maxVisits: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    families: fc.array(
      fc.record({
        pair: fc.nat(),
        place: fc.constantFrom(...PLACES),
        counts: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 })),
        minutes: fc.tuple(fc.constantFrom(30, 45, 60, 90), fc.constantFrom(30, 45, 60), fc.constantFrom(60, 90, 120)),
        minShare: fc.double({ min: 0, max: 1, noNaN: true }),
        windows: fc.array(interval, { minLength: 1, maxLength: 6 }),
        maxPerDay: fc.integer({ min: 1, max: 3 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map((r): PlanningProblemInput => {
    const dates = weekDates(r.week);
    const travelMinutes: Record<string, Record<string, number>> = {};
    PLACES.forEach((from, i) => {
      travelMinutes[from] = {};
      PLACES.forEach(
        (to, j) =>
          ((travelMinutes[from] as Record<string, number>)[to] =
            i === j ? Math.min(20, r.travel[i * 3 + j] ?? 10) : (r.travel[Math.min(i, j) * 3 + Math.max(i, j)] ?? 30)),
      );
    });
    const local = (day: number, minute: number) => {
      const date = new Date(
        Date.UTC(Number(dates[0]?.slice(0, 4)), Number(dates[0]?.slice(5, 7)) - 1, Number(dates[0]?.slice(8, 10)) + day + Math.floor(minute / 1440)),
      );
      const m = minute % 1440;
      return `${date.toISOString().slice(0, 10)}T${hhmm(m)}`;
    };
    const staff: PlanningProblemInput['staff'] = r.pairs.flatMap((p, k) =>
      (['family_therapist', 'individual_therapist'] as const).map((role, j) => ({
        id: `${role === 'family_therapist' ? 'ft' : 'it'}${k}`,
        role,
        base: p.bases[j] ?? 'Kalmar',
        workingHours: p.hours[j] ?? [],
        busy: (p.busy[j] ?? []).map((b) => ({
          start: local(b.day, b.start * 15),
          end: local(b.day, b.start * 15 + b.length * 5),
          ...(b.place ? { place: b.place } : {}),
        })),
        maxVisitsPerDay: p.maxVisits[j] ?? 3,
      })),
    );
    const families: PlanningProblemInput['families'] = r.families.map((f, i) => {
      const pair = f.pair % r.pairs.length;
      const sessions = (['family', 'individual', 'joint'] as const).map((kind, k) => ({
        kind,
        count: f.counts[k] ?? 0,
        minutes: f.minutes[k] ?? 60,
      }));
      const total = sessions.reduce((n, s) => n + s.count, 0);
      return {
        id: `FAM-2026-${String(i + 1).padStart(2, '0')}`,
        place: f.place,
        familyTherapist: `ft${pair}`,
        individualTherapist: `it${pair}`,
        sessions,
        minSessions: Math.floor(f.minShare * total),
        windows: f.windows,
        maxSessionsPerDay: f.maxPerDay,
      };
    });
    return {
      week: r.week,
      timeZone: 'Europe/Stockholm',
      slotMinutes: r.slotMinutes,
      ...(r.ownHolidays ? { holidays: r.ownHolidays.map((d) => dates[d] ?? '') } : {}),
      travelMinutes,
      staff,
      families,
    };
  })
  .map((input) => problemOf(input));

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findAlternatives, type StaffDayView } from '../../../shared/domain/booking/alternatives.js';
import { findFamilyCollision, findStaffCollision } from '../../../shared/domain/booking/conflicts.js';
import { planWeek, validatePlan, weekDates, weekHolidays } from '../../../shared/domain/planning/index.js';
import { travelLookup } from '../../../shared/domain/planning/rules.js';
import { formatLocal } from '../../../shared/domain/planning/time-grid.js';
import { repairWeek, type WeekVisit } from '../../../shared/domain/replan/repair-week.js';
import type { Engagement } from '../../../shared/schemas/engagement.js';
import type { PlannedVisit, PlanningProblem, PlanningResult } from '../../../shared/schemas/planning.js';
import { PROPERTY_SEED, problemArb } from './arbitraries.js';

/**
 * The engines that place a visit outside the planner — the repair, the alternatives and the booking guard — checked
 * against the independent oracle (`validatePlan`) on random small teams. (The planner and the exact phase: see
 * properties.test.ts.) Seeded, so a failure reproduces.
 */

/** The oracle's verdict on §4's hard rules 1–5 for a set of visits (the figures are not the point here). */
function hardViolations(problem: PlanningProblem, visits: readonly PlannedVisit[]) {
  const result: PlanningResult = {
    week: problem.week,
    visits: [...visits],
    shortfalls: [],
    stats: { sessionsRequested: 0, sessionsPlaced: visits.length, familiesBelowMinimum: 0, travelMinutes: 0 },
  };
  return validatePlan(problem, result).filter((v) => v.rule.startsWith('rule') || v.rule === 'shape');
}

const minuteOf = (local: string) => Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
const moved = (visits: readonly PlannedVisit[], k: number, date: string, start: number, minutes: number): PlannedVisit[] =>
  visits.map((v, i) => (i === k ? { ...v, start: formatLocal(date, start), end: formatLocal(date, start + minutes) } : v));

/** The booking world's view of a UTC week: engagements per staff member and family by local date, busy blocks cut at midnight. */
function engagementsOf(problem: PlanningProblem, visits: readonly PlannedVisit[]) {
  const instant = (local: string) => `${local}:00.000Z`;
  const staffDays = new Map<string, Engagement[]>();
  const familyDays = new Map<string, Engagement[]>();
  const push = (map: Map<string, Engagement[]>, key: string, e: Engagement) => map.set(key, [...(map.get(key) ?? []), e]);
  visits.forEach((v, i) => {
    const e: Engagement = {
      ref: `visit:${i}`,
      type: 'visit',
      start: instant(v.start),
      end: instant(v.end),
      place: v.place,
      version: 1,
      updatedAt: '',
    };
    for (const s of v.staff) push(staffDays, `${s}#${v.start.slice(0, 10)}`, e);
    push(familyDays, `${v.family}#${v.start.slice(0, 10)}`, e);
  });
  const dates = weekDates(problem.week);
  for (const s of problem.staff) {
    s.busy.forEach((b, j) => {
      for (const date of dates) {
        const from = b.start > `${date}T00:00` ? b.start : `${date}T00:00`;
        const to = b.end < formatLocal(date, 1440) ? b.end : formatLocal(date, 1440);
        if (from < to)
          push(staffDays, `${s.id}#${date}`, {
            ref: `busy:${j}`,
            type: 'meeting',
            start: instant(from),
            end: instant(to),
            place: b.place ?? s.base,
            version: 1,
            updatedAt: '',
          });
      }
    });
  }
  return { staffDays, familyDays, instant };
}

/** A planned UTC week (the booking side measures gaps in real time, the planner in wall-clock time: they agree in UTC). */
const plannedArb = fc
  .record({
    problem: problemArb.map((p): PlanningProblem => ({ ...p, timeZone: 'UTC' })),
    pick: fc.nat(),
    day: fc.integer({ min: 0, max: 6 }),
    slot: fc.nat(),
  })
  .map((r) => ({ ...r, plan: planWeek(r.problem) }));

describe('the repair against the oracle (fast-check)', () => {
  it('an absence anywhere: the kept and re-placed visits break no hard rule, and every affected visit is moved or explained', () => {
    const absenceArb = fc.record({
      staff: fc.nat(),
      day: fc.integer({ min: 0, max: 6 }),
      start: fc.integer({ min: 0, max: 95 }),
      quarters: fc.integer({ min: 2, max: 200 }),
      extra: fc.array(fc.boolean(), { maxLength: 30 }),
    });
    fc.assert(
      fc.property(problemArb, absenceArb, (problem, absence) => {
        // Arrange: a plan, then an absence that knocks some of its visits out (and a few more to re-place at random).
        const plan = planWeek(problem);
        const monday = weekDates(problem.week)[0] ?? '';
        const who = problem.staff[absence.staff % problem.staff.length];
        const start = formatLocal(monday, absence.day * 1440 + absence.start * 15);
        const end = formatLocal(monday, absence.day * 1440 + absence.start * 15 + absence.quarters * 15);
        const withAbsence: PlanningProblem = {
          ...problem,
          staff: problem.staff.map((s) => (s === who ? { ...s, busy: [...s.busy, { start, end, label: 'absence:sick' }] } : s)),
        };
        const knocked = new Set(hardViolations(withAbsence, plan.visits).flatMap((v) => (v.visit === undefined ? [] : [v.visit])));
        const visits: WeekVisit[] = plan.visits.map((v, i) => ({ id: `v${i}`, ...v }));
        const affected = visits.filter((_, i) => knocked.has(i) || absence.extra[i] === true);
        const kept = visits.filter((v) => !affected.includes(v));

        // Act
        const repair = repairWeek(withAbsence, kept, affected);

        // Assert
        expect(repair.moves.length + repair.unplaced.length).toBe(affected.length);
        const byId = new Map(affected.map((v) => [v.id, v]));
        const placed = repair.moves.map((m) => ({ ...(byId.get(m.visit) as WeekVisit), start: m.start, end: m.end }));
        expect(
          hardViolations(
            withAbsence,
            [...kept, ...placed].map(({ id: _id, ...v }) => ({ ...v, staff: [...v.staff] })),
          ),
        ).toEqual([]);
      }),
      { numRuns: 50, seed: PROPERTY_SEED },
    );
  });
});

describe('the alternatives against the oracle (fast-check)', () => {
  it('offer exactly the starts to which the oracle lets the visit move', () => {
    fc.assert(
      fc.property(plannedArb, ({ problem, plan, pick }) => {
        if (plan.visits.length === 0) return;
        // Arrange
        const k = pick % plan.visits.length;
        const visit = plan.visits[k] as PlannedVisit;
        const family = problem.families.find((f) => f.id === visit.family);
        if (!family) throw new Error('the plan names an unknown family');
        const { staffDays, familyDays, instant } = engagementsOf(problem, plan.visits);
        const dates = weekDates(problem.week);
        const minutes = minuteOf(visit.end) - minuteOf(visit.start) + (visit.end.slice(0, 10) === visit.start.slice(0, 10) ? 0 : 1440);
        const staff: StaffDayView[] = visit.staff.map((id) => {
          const s = problem.staff.find((x) => x.id === id);
          if (!s) throw new Error(`unknown staff ${id}`);
          return {
            id,
            base: s.base,
            workingHours: s.workingHours,
            maxVisitsPerDay: s.maxVisitsPerDay,
            days: new Map(dates.map((d) => [d, staffDays.get(`${id}#${d}`) ?? []])),
            absentDates: new Set(),
          };
        });

        // Act
        const slots = findAlternatives({
          ref: `visit:${k}`,
          place: visit.place,
          minutes,
          originalStart: instant(visit.start),
          dates,
          holidays: new Set(weekHolidays(problem.week, problem.holidays).keys()),
          zone: problem.timeZone,
          slotMinutes: problem.slotMinutes,
          familyWindows: family.windows,
          familyDays: new Map(dates.map((d) => [d, familyDays.get(`${family.id}#${d}`) ?? []])),
          familyMaxPerDay: family.maxSessionsPerDay,
          staff,
          travel: travelLookup(problem.travelMinutes),
          notBefore: '1970-01-01T00:00:00.000Z',
          limit: 10_000,
          perDay: 10_000,
        });

        // Assert: each offer keeps every hard rule, and every start the oracle allows (but the visit's own) is offered.
        const offered = new Set(slots.map((s) => s.start));
        for (const s of slots) expect(hardViolations(problem, moved(plan.visits, k, s.start.slice(0, 10), minuteOf(s.start), minutes))).toEqual([]);
        dates.forEach((date, d) => {
          const windows = family.windows.filter((w) => w.weekday === d + 1);
          for (let start = 0; start + minutes < 1440; start += problem.slotMinutes) {
            const local = formatLocal(date, start);
            if (local === visit.start || !windows.some((w) => w.start <= local.slice(11) && formatLocal(date, start + minutes).slice(11) <= w.end))
              continue;
            const allowed = hardViolations(problem, moved(plan.visits, k, date, start, minutes)).length === 0;
            expect({ start: local, offered: offered.has(local) }).toEqual({ start: local, offered: allowed });
          }
        });
      }),
      { numRuns: 30, seed: PROPERTY_SEED },
    );
  });
});

describe('the booking guard against the oracle (fast-check)', () => {
  it('refuses a move exactly when the oracle finds two engagements too close (rule 2) or a family visited twice at once or too often (rule 3)', () => {
    fc.assert(
      fc.property(plannedArb, ({ problem, plan, pick, day, slot }) => {
        if (plan.visits.length === 0) return;
        // Arrange: one visit moved to any start of the week (its windows and hours aside: the guard checks collisions).
        const k = pick % plan.visits.length;
        const visit = plan.visits[k] as PlannedVisit;
        const minutes = minuteOf(visit.end) - minuteOf(visit.start) + (visit.end.slice(0, 10) === visit.start.slice(0, 10) ? 0 : 1440);
        const date = weekDates(problem.week)[day] ?? '';
        const start = (slot % Math.floor((1440 - minutes) / problem.slotMinutes + 1)) * problem.slotMinutes;
        const visits = moved(plan.visits, k, date, start, minutes);
        const { staffDays, familyDays, instant } = engagementsOf(problem, plan.visits);
        const candidate = { ref: `visit:${k}`, start: instant(visits[k]?.start ?? ''), end: instant(visits[k]?.end ?? ''), place: visit.place };
        const family = problem.families.find((f) => f.id === visit.family);
        const travel = travelLookup(problem.travelMinutes);

        // Act
        const refused =
          visit.staff.some((s) => findStaffCollision(staffDays.get(`${s}#${date}`) ?? [], candidate, travel) !== undefined) ||
          findFamilyCollision(familyDays.get(`${visit.family}#${date}`) ?? [], candidate, family?.maxSessionsPerDay ?? 1) !== undefined;

        // Assert
        const oracle = hardViolations(problem, visits).filter((v) => (v.rule === 'rule2' && v.message.includes(' between ')) || v.rule === 'rule3');
        expect({ refused, oracle: oracle.map((v) => v.message) }).toEqual({ refused: oracle.length > 0, oracle: oracle.map((v) => v.message) });
      }),
      { numRuns: 150, seed: PROPERTY_SEED },
    );
  });
});

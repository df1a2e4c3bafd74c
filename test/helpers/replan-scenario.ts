import { planWeek } from '../../shared/domain/planning/index.js';
import { generateInstance, type InstanceOptions } from '../../shared/domain/planning/instances.js';
import type { WeekVisit } from '../../shared/domain/replan/repair-week.js';
import { PlanningProblem, type PlanningResult } from '../../shared/schemas/planning.js';
import { DateTime } from 'luxon';

/**
 * A planned week knocked out by an absence: the generated instance planned in full, then `staffId` absent on
 * `dates`. `base` is the problem with the absence and without any sessions' visits (what a repair starts from),
 * `kept` the visits the absence leaves valid, `affected` the ones it knocks out.
 */
export function absenceScenario(
  options: InstanceOptions,
  pick: (problem: PlanningProblem, plan: PlanningResult) => { staffId: string; dates: string[] },
) {
  const problem = PlanningProblem.parse(generateInstance(options));
  const plan = planWeek(problem);
  const { staffId, dates } = pick(problem, plan);
  const visits: WeekVisit[] = plan.visits.map((v, i) => ({
    id: `v${i}`,
    family: v.family,
    kind: v.kind,
    staff: v.staff,
    place: v.place,
    start: v.start,
    end: v.end,
  }));
  const hit = (v: WeekVisit) => v.staff.includes(staffId) && dates.includes(v.start.slice(0, 10));
  const absence = dates.map((d) => ({
    start: `${d}T00:00`,
    end: `${d}T23:59`,
    place: problem.staff.find((s) => s.id === staffId)?.base,
    label: 'absence:sick',
  }));
  const withAbsence = PlanningProblem.parse({
    ...problem,
    staff: problem.staff.map((s) => (s.id === staffId ? { ...s, busy: [...s.busy, ...absence] } : s)),
  });
  return { problem, plan, withAbsence, staffId, dates, kept: visits.filter((v) => !hit(v)), affected: visits.filter(hit) };
}

/** The therapist with the most visits on two consecutive working days of the plan, and those days. */
export function busiestTwoDays(problem: PlanningProblem, plan: PlanningResult): { staffId: string; dates: string[] } {
  const dates = [...new Set(plan.visits.map((v) => v.start.slice(0, 10)))].sort();
  let best = { staffId: problem.staff[0]?.id ?? '', dates: dates.slice(0, 2), n: -1 };
  for (const s of problem.staff) {
    for (let i = 0; i + 1 < dates.length; i++) {
      const pair = [dates[i] ?? '', dates[i + 1] ?? ''];
      const n = plan.visits.filter((v) => v.staff.includes(s.id) && pair.includes(v.start.slice(0, 10))).length;
      if (n > best.n) best = { staffId: s.id, dates: pair, n };
    }
  }
  return { staffId: best.staffId, dates: best.dates };
}

/** Like absenceScenario, with several staff absent on `dates` (whole days). */
export function absenceScenarioOf(
  options: InstanceOptions,
  pick: (problem: PlanningProblem, plan: PlanningResult) => { staff: string[]; dates: string[] },
) {
  const problem = PlanningProblem.parse(generateInstance(options));
  const plan = planWeek(problem);
  const { staff, dates } = pick(problem, plan);
  const visits: WeekVisit[] = plan.visits.map((v, i) => ({
    id: `v${i}`,
    family: v.family,
    kind: v.kind,
    staff: v.staff,
    place: v.place,
    start: v.start,
    end: v.end,
  }));
  const hit = (v: WeekVisit) => v.staff.some((s) => staff.includes(s)) && dates.includes(v.start.slice(0, 10));
  const withAbsence = PlanningProblem.parse({
    ...problem,
    staff: problem.staff.map((s) =>
      staff.includes(s.id)
        ? { ...s, busy: [...s.busy, ...dates.map((d) => ({ start: `${d}T00:00`, end: `${d}T23:59`, place: s.base, label: 'absence:sick' }))] }
        : s,
    ),
  });
  return { problem, plan, withAbsence, staff, dates, kept: visits.filter((v) => !hit(v)), affected: visits.filter(hit) };
}

/** The ISO week after `week`. */
export const nextWeekOf = (week: string): string => DateTime.fromISO(`${week}-1`, { zone: 'utc' }).plus({ weeks: 1 }).toFormat("kkkk-'W'WW");

/** The same instance's next week (same seed, so the same staff and families), planned in full as the week after. */
export function weekAfter(options: InstanceOptions): { problem: PlanningProblem; kept: WeekVisit[] } {
  const problem = PlanningProblem.parse(generateInstance({ ...options, week: nextWeekOf(options.week ?? '2026-W48') }));
  const plan = planWeek(problem);
  return {
    problem,
    kept: plan.visits.map((v, i) => ({ id: `n${i}`, family: v.family, kind: v.kind, staff: v.staff, place: v.place, start: v.start, end: v.end })),
  };
}

/** The busiest family therapist and the busiest individual therapist of different pairs, off Monday to Friday. */
export function busiestPairWeek(problem: PlanningProblem, plan: PlanningResult): { staff: string[]; dates: string[] } {
  const load = (id: string) => plan.visits.filter((v) => v.staff.includes(id)).length;
  const byLoad = (role: string) => problem.staff.filter((s) => s.role === role).sort((a, b) => load(b.id) - load(a.id) || a.id.localeCompare(b.id));
  const family = byLoad('family_therapist')[0]?.id ?? '';
  const partners = new Set(problem.families.filter((f) => f.familyTherapist === family).map((f) => f.individualTherapist));
  const individual = byLoad('individual_therapist').find((s) => !partners.has(s.id))?.id ?? byLoad('individual_therapist')[0]?.id ?? '';
  const monday = DateTime.fromISO(`${problem.week}-1`, { zone: 'utc' });
  return { staff: [family, individual], dates: [0, 1, 2, 3, 4].map((d) => monday.plus({ days: d }).toISODate() ?? '') };
}

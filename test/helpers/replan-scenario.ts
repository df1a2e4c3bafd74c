import { planWeek } from '../../shared/domain/planning/index.js';
import { generateInstance, type InstanceOptions } from '../../shared/domain/planning/instances.js';
import type { WeekVisit } from '../../shared/domain/replan/repair-week.js';
import { PlanningProblem, type PlanningResult } from '../../shared/schemas/planning.js';

/**
 * A planned week knocked out by an absence: the generated instance planned in full, then `staffId` absent on
 * `dates`. `base` is the problem with the absence and without any sessions' visits (what a repair starts from),
 * `kept` the visits the absence leaves valid, `affected` the ones it knocks out.
 */
export function absenceScenario(options: InstanceOptions, pick: (problem: PlanningProblem, plan: PlanningResult) => { staffId: string; dates: string[] }) {
  const problem = PlanningProblem.parse(generateInstance(options));
  const plan = planWeek(problem);
  const { staffId, dates } = pick(problem, plan);
  const visits: WeekVisit[] = plan.visits.map((v, i) => ({ id: `v${i}`, family: v.family, kind: v.kind, staff: v.staff, place: v.place, start: v.start, end: v.end }));
  const hit = (v: WeekVisit) => v.staff.includes(staffId) && dates.includes(v.start.slice(0, 10));
  const absence = dates.map((d) => ({ start: `${d}T00:00`, end: `${d}T23:59`, place: problem.staff.find((s) => s.id === staffId)?.base, label: 'absence:sick' }));
  const withAbsence = PlanningProblem.parse({ ...problem, staff: problem.staff.map((s) => (s.id === staffId ? { ...s, busy: [...s.busy, ...absence] } : s)) });
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

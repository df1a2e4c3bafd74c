import type { PlannedVisit, PlanningProblem, PlanningResult, Shortfall } from '../../schemas/planning.js';
import { buildModel, type PlanningModel } from './model.js';
import type { PlanState } from './plan-state.js';
import { search } from './search.js';
import { shortfallReason } from './shortfall-reasons.js';
import { formatLocal } from './time-grid.js';

/** Turns a finished plan state into §4's result: visits in time order, shortfalls with reasons, stats. */
export function toResult(model: PlanningModel, state: PlanState, withReasons = true): PlanningResult {
  const visits: PlannedVisit[] = [];
  for (const v of state.visits.values()) {
    const task = model.tasks[v.task];
    const family = task ? model.families[task.family] : undefined;
    const day = model.days[v.day];
    if (!task || !family || !day) continue;
    visits.push({
      family: family.id,
      kind: task.kind,
      staff: task.staff.map((s) => model.staff[s]?.id ?? ''),
      start: formatLocal(day.date, v.start),
      end: formatLocal(day.date, v.end),
      place: family.placeName,
    });
  }
  visits.sort((a, b) => a.start.localeCompare(b.start) || a.family.localeCompare(b.family) || a.kind.localeCompare(b.kind));
  const shortfalls: Shortfall[] = [];
  const kindOrder = { family: 0, individual: 1, joint: 2 } as const;
  const tasks = [...model.tasks].sort(
    (a, b) => (model.families[a.family]?.id ?? '').localeCompare(model.families[b.family]?.id ?? '') || kindOrder[a.kind] - kindOrder[b.kind],
  );
  for (const task of tasks) {
    const missing = state.remaining(task.index);
    if (missing <= 0) continue;
    shortfalls.push({
      family: model.families[task.family]?.id ?? '',
      kind: task.kind,
      missing,
      reason: withReasons ? shortfallReason(model, state, task) : 'not placed',
    });
  }
  const familiesBelowMinimum = model.families.filter((f, i) => (state.familyPlaced[i] ?? 0) < f.min).length;
  return {
    week: model.week,
    visits,
    shortfalls,
    stats: {
      sessionsRequested: model.tasks.reduce((n, t) => n + t.count, 0),
      sessionsPlaced: state.placed,
      familiesBelowMinimum,
      travelMinutes: state.travel,
    },
  };
}

/**
 * Proposes the visits of one week for a team (SPEC §4): every hard rule kept, then fewest sessions
 * missing below each family's minimum, most sessions placed, least travel. Pure and deterministic.
 */
export function planWeek(problem: PlanningProblem): PlanningResult {
  const model = buildModel(problem);
  const state = search(model);
  return toResult(model, state);
}

import type { PlanningProblem, PlanningResult } from '../../schemas/planning.js';
import { buildModel } from './model.js';
import { PlanState } from './plan-state.js';
import { toResult } from './plan-week.js';

/**
 * The benchmark's floor: family by family in input order, each session in the first free slot
 * (earliest day, earliest start) that breaks no rule. No ordering, no travel awareness, no repair.
 */
export function naiveGreedyPlan(problem: PlanningProblem): PlanningResult {
  const model = buildModel(problem);
  const state = new PlanState(model);
  for (const family of model.families) {
    const tasks = [...family.tasks].sort((a, b) => {
      const kinds = problem.families.find((f) => f.id === family.id)?.sessions.map((s) => s.kind) ?? [];
      return kinds.indexOf(model.tasks[a]?.kind ?? 'family') - kinds.indexOf(model.tasks[b]?.kind ?? 'family');
    });
    for (const t of tasks) {
      for (const c of model.candidates[t] ?? []) {
        if (state.remaining(t) <= 0) break;
        if (state.canPlace(c)) state.add(c);
      }
    }
  }
  return toResult(model, state, false);
}

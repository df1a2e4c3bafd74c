import type { PlanningProblem, PlanningResult } from '../../schemas/planning.js';
import { buildModel } from './model.js';
import { toResult } from './plan-week.js';
import { naiveGreedy } from './search.js';

/**
 * The benchmark's floor: family by family in input order, each session kind in the order the family
 * lists it, each visit in the first free slot (earliest day, earliest start) that breaks no rule.
 * No ordering, no travel awareness, no repair.
 */
export function naiveGreedyPlan(problem: PlanningProblem): PlanningResult {
  const model = buildModel(problem);
  const state = naiveGreedy(model);
  return toResult(model, state, false);
}

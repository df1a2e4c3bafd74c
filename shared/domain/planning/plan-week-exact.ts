import type { Highs } from 'highs';
import type { PlanningProblem, PlanningResult } from '../../schemas/planning.js';
import { type ComponentOutcome, solveExact } from './exact.js';
import { buildModel, type PlanningModel } from './model.js';
import { PlanState, compareScores } from './plan-state.js';
import { toResult } from './plan-week.js';
import { improveState, search } from './search.js';

export interface ExactOptions {
  /** The exact phase's work limit (non-zeros given to HiGHS), default `EXACT_WORK_LIMIT`; 0 runs the heuristic with bounds only. */
  workLimit?: number;
}

/** What the exact phase did, for benchmarks and diagnostics (not part of the API result). */
export interface ExactReport {
  components: number;
  proven: number;
  improved: number;
  nodes: number;
  heuristic: { missing: number; placed: number; travel: number };
}

/**
 * Builds the plan the heuristic way, then hands each independent part of the team (staff linked through shared
 * families) to HiGHS: the MILP of objectives (a) and (b), warm-started from the heuristic's plan, either proves it
 * optimal, or finds a better one — which the local search then takes over to bring its travel down without giving
 * up a session. Deterministic: HiGHS runs single-threaded under node limits, never a clock.
 */
export function planWeekExactState(
  model: PlanningModel,
  highs: Highs,
  options: ExactOptions = {},
): { state: PlanState; outcomes: ComponentOutcome[]; report: ExactReport } {
  const heuristic = search(model);
  const outcomes = solveExact(model, heuristic, highs, options.workLimit);
  const report: ExactReport = {
    components: outcomes.length,
    proven: outcomes.filter((o) => o.proven).length,
    improved: outcomes.filter((o) => o.improved).length,
    nodes: outcomes.reduce((n, o) => n + o.nodes, 0),
    heuristic: heuristic.score(),
  };
  if (!outcomes.some((o) => o.improved)) return { state: polishSmallTeam(heuristic), outcomes, report };
  const improvedFamilies = new Set(outcomes.filter((o) => o.improved).flatMap((o) => o.families));
  const state = new PlanState(model);
  for (const v of heuristic.visits.values()) {
    if (!improvedFamilies.has(model.tasks[v.task]?.family ?? -1)) state.add(v);
  }
  for (const o of outcomes) {
    for (const c of o.improved ?? []) {
      // The MILP holds every hard rule; were a solution ever off (numerics), the heuristic's plan stands.
      if (!state.canPlace(c))
        return {
          state: heuristic,
          outcomes: outcomes.map((x) => ({ ...x, improved: undefined, proven: false })),
          report: { ...report, improved: 0 },
        };
      state.add(c);
    }
  }
  // The parts HiGHS changed need the travel polish; the rest already had it. The budget follows their share.
  const share = improvedFamilies.size / Math.max(1, model.families.length);
  improveState(state, Math.min(1, 0.1 + 2 * share));
  return { state: polishSmallTeam(compareScores(state.score(), heuristic.score()) <= 0 ? state : heuristic), outcomes, report };
}

/** Teams of up to this many families (a pilot team's size) get the longer travel polish below. */
export const SMALL_TEAM_FAMILIES = 10;
/** The extra travel polish for a small team, in units of the heuristic's own budget. */
export const SMALL_TEAM_POLISH = 3;

/**
 * A small team's week gets three times the heuristic's polish once more on top: there it costs tens of milliseconds,
 * and the heuristic's own budget (sized for interactive re-planning) left up to 4 % of the travel that a longer polish
 * finds (the pilot DST week, issue 14 §1: travel within 2 % of the best known). Never worse on (a)/(b) — the polish
 * only accepts moves that keep the plan's score or better — so a proven optimum stays proven; deterministic.
 */
function polishSmallTeam(state: PlanState): PlanState {
  if (state.model.families.length <= SMALL_TEAM_FAMILIES) improveState(state, SMALL_TEAM_POLISH);
  return state;
}

/**
 * §4's planner with proof: the heuristic plan, improved and certified by the exact phase (see
 * `planWeekExactState`). `stats.sessionsProvenOptimal` says whether (a) and (b) are proven optimal; when not,
 * `sessionsPlacedUpperBound` and `sessionsBelowMinimumLowerBound` say how far from the best any plan could be.
 */
export function planWeekExact(problem: PlanningProblem, highs: Highs, options: ExactOptions = {}): PlanningResult {
  const model = buildModel(problem);
  const { state, outcomes } = planWeekExactState(model, highs, options);
  const result = toResult(model, state);
  const missing = model.families.reduce((n, f, i) => n + Math.max(0, f.min - (state.familyPlaced[i] ?? 0)), 0);
  const proven = outcomes.every((o) => o.proven);
  const stats = { ...result.stats, sessionsBelowMinimum: missing, sessionsProvenOptimal: proven };
  if (proven) return { ...result, stats };
  let placedBound = 0;
  let missingBound = 0;
  for (const o of outcomes) {
    placedBound += o.placedBound;
    missingBound += Math.max(0, Math.ceil(o.objectiveBound / o.weight - 1e-9));
  }
  return {
    ...result,
    stats: {
      ...stats,
      sessionsPlacedUpperBound: Math.max(placedBound, state.placed),
      sessionsBelowMinimumLowerBound: Math.min(missingBound, missing),
    },
  };
}

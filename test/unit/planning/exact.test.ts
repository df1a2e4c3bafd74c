import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { planWeek, planWeekExact, validatePlan } from '../../../shared/domain/planning/index.js';
import { generateInstance } from '../../../shared/domain/planning/instances.js';
import { PlanningProblem, PlanningResult, type PlanningProblemInput } from '../../../shared/schemas/planning.js';
import { loadHighs } from '../../../shared/solver/highs.js';

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

/** One therapist pair of the generated county week 2026-W48 (seed 1): 2 staff, 5 families, 25 sessions asked for. */
function countyPair(pair: number): PlanningProblem {
  const full = generateInstance({ scale: 'county', seed: 1 });
  const ft = `ft${String(pair).padStart(2, '0')}`;
  const it = `it${String(pair).padStart(2, '0')}`;
  const input: PlanningProblemInput = { ...full, staff: full.staff.filter((s) => s.id === ft || s.id === it), families: full.families.filter((f) => f.familyTherapist === ft) };
  return PlanningProblem.parse(input);
}

const missing = (problem: PlanningProblem, result: PlanningResult) =>
  problem.families.reduce((n, f) => n + Math.max(0, f.minSessions - result.visits.filter((v) => v.family === f.id).length), 0);

describe('the exact phase (HiGHS)', () => {
  it('reaches the proven optimum where the heuristic alone falls one session short (county W48, pair 6)', () => {
    // Arrange
    const problem = countyPair(6);

    // Act
    const heuristic = planWeek(problem);
    const exact = planWeekExact(problem, highs);

    // Assert: the heuristic's 20 is the defect this phase fixes; 21 is optimal and proven so.
    expect(heuristic.stats.sessionsPlaced).toBe(20);
    expect(exact.stats.sessionsPlaced).toBe(21);
    expect(missing(problem, exact)).toBeLessThanOrEqual(missing(problem, heuristic));
    expect(exact.stats.sessionsProvenOptimal).toBe(true);
    expect(exact.stats.sessionsBelowMinimum).toBe(missing(problem, exact));
    expect(exact.stats.sessionsPlacedUpperBound).toBeUndefined();
    expect(validatePlan(problem, exact)).toEqual([]);
    expect(PlanningResult.safeParse(exact).success).toBe(true);
  });

  it('proves a pair whose heuristic plan is already optimal, without changing it', () => {
    // Arrange
    const problem = countyPair(2);

    // Act
    const heuristic = planWeek(problem);
    const exact = planWeekExact(problem, highs);

    // Assert
    expect(exact.stats.sessionsProvenOptimal).toBe(true);
    expect(exact.visits).toEqual(heuristic.visits);
  });

  it('is deterministic: the same problem gives the identical result', () => {
    // Arrange
    const problem = countyPair(6);

    // Act
    const first = JSON.stringify(planWeekExact(problem, highs));
    const second = JSON.stringify(planWeekExact(structuredClone(problem), highs));

    // Assert
    expect(second).toBe(first);
  });

  it('says how far from the best the plan may be when the work limit leaves it unproven', () => {
    // Arrange
    const problem = countyPair(6);

    // Act: no work for HiGHS at all, so only the families' capacities bound the plan.
    const result = planWeekExact(problem, highs, { workLimit: 0 });

    // Assert
    expect(result.stats.sessionsProvenOptimal).toBe(false);
    expect(result.stats.sessionsPlacedUpperBound).toBeGreaterThanOrEqual(21);
    expect(result.stats.sessionsPlacedUpperBound).toBeLessThanOrEqual(result.stats.sessionsRequested);
    expect(result.stats.sessionsBelowMinimumLowerBound).toBeLessThanOrEqual(missing(problem, result));
    expect(validatePlan(problem, result)).toEqual([]);
  });

  it('proves the everything-placed case without HiGHS and keeps the heuristic plan', () => {
    // Arrange: pair 1 gets all 25 sessions.
    const problem = countyPair(1);

    // Act
    const result = planWeekExact(problem, highs);

    // Assert
    expect(result.stats.sessionsPlaced).toBe(25);
    expect(result.stats.sessionsProvenOptimal).toBe(true);
    expect(result).toEqual({ ...planWeek(problem), stats: { ...planWeek(problem).stats, sessionsBelowMinimum: 0, sessionsProvenOptimal: true } });
  });
});

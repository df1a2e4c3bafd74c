import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareScores, naiveGreedyPlan, planWeek, planWeekExact, planWeekExactState, validatePlan } from '../../../shared/domain/planning/index.js';
import { buildModel } from '../../../shared/domain/planning/model.js';
import { loadHighs } from '../../../shared/solver/highs.js';
import type { PlanningProblem, PlanningResult } from '../../../shared/schemas/planning.js';
import { PROPERTY_SEED, problemArb } from './arbitraries.js';
import { missingBelowMinimum } from './fixtures.js';

const score = (problem: PlanningProblem, result: PlanningResult) => ({
  missing: missingBelowMinimum(problem, result),
  placed: result.stats.sessionsPlaced,
  travel: result.stats.travelMinutes,
});

describe('planWeek, property-based (fast-check)', () => {
  it('every plan passes the independent validator, stats and shortfalls included', () => {
    fc.assert(
      fc.property(problemArb, (problem) => {
        // Act
        const result = planWeek(problem);

        // Assert
        expect(validatePlan(problem, result)).toEqual([]);
        for (const s of result.shortfalls) expect(s.reason.length).toBeGreaterThan(10);
      }),
      { numRuns: 150, seed: PROPERTY_SEED },
    );
  });

  it('is deterministic: the same problem gives the identical result', () => {
    fc.assert(
      fc.property(problemArb, (problem) => {
        // Act
        const first = JSON.stringify(planWeek(problem));
        const second = JSON.stringify(planWeek(structuredClone(problem)));

        // Assert
        expect(second).toBe(first);
      }),
      { numRuns: 40, seed: PROPERTY_SEED },
    );
  });

  it('is never worse than the naive greedy on (a) missing below minimum, then (b) placed, then (c) travel', () => {
    fc.assert(
      fc.property(problemArb, (problem) => {
        // Act
        const planned = planWeek(problem);
        const greedy = naiveGreedyPlan(problem);

        // Assert
        expect(validatePlan(problem, greedy)).toEqual([]);
        expect(compareScores(score(problem, planned), score(problem, greedy))).toBeLessThanOrEqual(0);
      }),
      { numRuns: 100, seed: PROPERTY_SEED },
    );
  });
});

describe('planWeekExact (heuristic + HiGHS), property-based (fast-check)', () => {
  it('gives valid plans, never worse than the heuristic alone, and an exact model that never contradicts a known plan', async () => {
    const highs = await loadHighs();
    fc.assert(
      fc.property(problemArb, (problem) => {
        // Act
        const exact = planWeekExact(problem, highs);
        const { outcomes } = planWeekExactState(buildModel(problem), highs);

        // Assert
        expect(validatePlan(problem, exact)).toEqual([]);
        expect(compareScores(score(problem, exact), score(problem, planWeek(problem)))).toBeLessThanOrEqual(0);
        // "inconsistent": HiGHS called something worse than the heuristic's (feasible) plan optimal — a row too strong.
        expect(outcomes.map((o) => o.status)).not.toContain('inconsistent');
        if (exact.stats.sessionsProvenOptimal === false)
          expect(exact.stats.sessionsPlacedUpperBound).toBeGreaterThanOrEqual(exact.stats.sessionsPlaced);
      }),
      { numRuns: 60, seed: PROPERTY_SEED },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../../shared/domain/planning/index.js';
import { repairWeek } from '../../../shared/domain/replan/repair-week.js';
import type { PlanningProblem, PlanningResult } from '../../../shared/schemas/planning.js';
import { absenceScenario, busiestTwoDays } from '../../helpers/replan-scenario.js';

/** The hard rules (§4 1–5) of kept + re-placed visits against the week with the absence. */
function hardViolations(problem: PlanningProblem, visits: PlanningResult['visits']) {
  const result: PlanningResult = {
    week: problem.week,
    visits,
    shortfalls: [],
    stats: { sessionsRequested: 0, sessionsPlaced: visits.length, familiesBelowMinimum: 0, travelMinutes: 0 },
  };
  return validatePlan(problem, result).filter((v) => v.rule.startsWith('rule'));
}

const scenarios = [
  { name: 'pilot week', options: { scale: 'pilot' as const, seed: 1 } },
  { name: 'county week', options: { scale: 'county' as const, seed: 1, families: 36 } },
  { name: 'county DST week (2026-W13, clocks forward on Sunday)', options: { scale: 'county' as const, seed: 4, week: '2026-W13', families: 36 } },
  { name: 'county DST week (2026-W43, clocks back on Sunday)', options: { scale: 'county' as const, seed: 2, week: '2026-W43', families: 36 } },
];

describe('repairWeek', () => {
  for (const { name, options } of scenarios) {
    it(`${name}: keeps every valid visit, re-places the affected ones by the same staff, and breaks no hard rule`, () => {
      const s = absenceScenario(options, busiestTwoDays);
      expect(s.affected.length).toBeGreaterThan(0);
      const repair = repairWeek({ ...s.withAbsence, families: s.withAbsence.families }, s.kept, s.affected);
      expect(repair.stats.moved + repair.stats.unplaced).toBe(s.affected.length);
      const byId = new Map(s.affected.map((v) => [v.id, v]));
      const moved = repair.moves.map((m) => {
        const v = byId.get(m.visit);
        if (!v) throw new Error(`unknown visit ${m.visit}`);
        return { family: v.family, kind: v.kind, staff: [...v.staff], start: m.start, end: m.end, place: v.place };
      });
      for (const m of moved) expect(s.dates).not.toContain(m.start.slice(0, 10));
      // Same length as before.
      for (const m of repair.moves) {
        const v = byId.get(m.visit);
        expect(v && Date.parse(`${m.end}Z`) - Date.parse(`${m.start}Z`)).toBe(v && Date.parse(`${v.end}Z`) - Date.parse(`${v.start}Z`));
      }
      const kept = s.kept.map((v) => ({ family: v.family, kind: v.kind, staff: [...v.staff], start: v.start, end: v.end, place: v.place }));
      expect(hardViolations(s.withAbsence, [...kept, ...moved])).toEqual([]);
      for (const u of repair.unplaced) expect(u.reason).toMatch(/\w/);
    });
  }

  it('says why a visit cannot be re-placed, in the planner’s words', () => {
    const s = absenceScenario({ scale: 'pilot', seed: 1 }, busiestTwoDays);
    // The whole week off: nothing of that therapist can go anywhere.
    const allWeek = {
      ...s.withAbsence,
      staff: s.withAbsence.staff.map((st) =>
        st.id === s.staffId
          ? {
              ...st,
              busy: [...st.busy, { start: `${s.plan.visits[0]?.start.slice(0, 8) ?? ''}01T00:00`, end: '2099-01-01T00:00', label: 'absence:sick' }],
            }
          : st,
      ),
    };
    const affected = [...s.kept, ...s.affected].filter((v) => v.staff.includes(s.staffId));
    const kept = [...s.kept, ...s.affected].filter((v) => !v.staff.includes(s.staffId));
    const repair = repairWeek(allWeek, kept, affected);
    expect(repair.moves).toEqual([]);
    expect(repair.unplaced).toHaveLength(affected.length);
    expect(repair.unplaced[0]?.reason).toMatch(new RegExp(`${s.staffId} absent`));
  });

  it('is deterministic', () => {
    const s = absenceScenario({ scale: 'pilot', seed: 3 }, busiestTwoDays);
    expect(repairWeek(s.withAbsence, s.kept, s.affected)).toEqual(repairWeek(s.withAbsence, s.kept, s.affected));
  });
});

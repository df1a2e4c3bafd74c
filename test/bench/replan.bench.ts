import { performance } from 'node:perf_hooks';
import { planWeek, validatePlan } from '../../shared/domain/planning/index.js';
import type { InstanceOptions } from '../../shared/domain/planning/instances.js';
import { repairWeek } from '../../shared/domain/replan/repair-week.js';
import type { PlanningProblem, PlanningResult } from '../../shared/schemas/planning.js';
import { absenceScenario, busiestTwoDays } from '../helpers/replan-scenario.js';
import { printTable } from './stats.js';

const RUNS = 15;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** A therapist of median load, on their two busiest consecutive days (a typical sick leave, not the worst case). */
function typicalTwoDays(problem: PlanningProblem, plan: PlanningResult): { staffId: string; dates: string[] } {
  const load = problem.staff.map((s) => ({ id: s.id, n: plan.visits.filter((v) => v.staff.includes(s.id)).length })).sort((a, b) => a.n - b.n || a.id.localeCompare(b.id));
  const staffId = load[Math.floor(load.length / 2)]?.id ?? '';
  const only = { ...problem, staff: problem.staff.filter((s) => s.id === staffId) };
  return busiestTwoDays(only, plan);
}

const SCENARIOS: { name: string; options: InstanceOptions; pick: typeof busiestTwoDays }[] = [
  { name: 'county 2026-W48, busiest therapist off 2 days', options: { scale: 'county', seed: 1, families: 36 }, pick: busiestTwoDays },
  { name: 'county 2026-W48, typical therapist off 2 days', options: { scale: 'county', seed: 1, families: 36 }, pick: typicalTwoDays },
  { name: 'county 2026-W13 (DST), typical therapist off 2 days', options: { scale: 'county', seed: 4, week: '2026-W13', families: 36 }, pick: typicalTwoDays },
  { name: 'county 2026-W43 (DST), typical therapist off 2 days', options: { scale: 'county', seed: 2, week: '2026-W43', families: 36 }, pick: typicalTwoDays },
];

const key = (v: { family: string; kind: string; start: string }) => `${v.family}|${v.kind}|${v.start}`;

/**
 * The repair on county-sized weeks (16 therapists, 36 families) knocked out by a two-day absence: its median time,
 * moves made against visits affected, the hard rules of the repaired week, and what the full planner would do with
 * the same week (how many of the original visits it would move or drop).
 */
export async function run(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const scenario of SCENARIOS) {
    const s = absenceScenario(scenario.options, scenario.pick);
    const times: number[] = [];
    let repair: ReturnType<typeof repairWeek> | undefined;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      repair = repairWeek(s.withAbsence, s.kept, s.affected);
      times.push(performance.now() - started);
    }
    if (!repair) continue;
    const byId = new Map(s.affected.map((v) => [v.id, v]));
    const moved = repair.moves.map((m) => {
      const v = byId.get(m.visit);
      return { family: v?.family ?? '', kind: v?.kind ?? 'family', staff: [...(v?.staff ?? [])], start: m.start, end: m.end, place: v?.place ?? '' };
    });
    const repaired = [...s.kept.map((v) => ({ family: v.family, kind: v.kind, staff: [...v.staff], start: v.start, end: v.end, place: v.place })), ...moved];
    const check: PlanningResult = { week: s.problem.week, visits: repaired, shortfalls: [], stats: { sessionsRequested: 0, sessionsPlaced: repaired.length, familiesBelowMinimum: 0, travelMinutes: 0 } };
    const violations = validatePlan(s.withAbsence, check).filter((v) => v.rule.startsWith('rule'));
    const fullStarted = performance.now();
    const full = planWeek(s.withAbsence);
    const fullMs = performance.now() - fullStarted;
    const fullKeys = new Set(full.visits.map(key));
    const fullChanged = s.plan.visits.filter((v) => !fullKeys.has(key(v))).length;
    rows.push([
      scenario.name,
      `${s.withAbsence.staff.length}/${s.withAbsence.families.length}`,
      `${s.plan.stats.sessionsPlaced}/${s.plan.stats.sessionsRequested}`,
      `${s.staffId} ${s.dates.join(', ')}`,
      median(times).toFixed(1),
      `${repair.stats.moved}/${repair.stats.affected}`,
      repair.stats.extraTravelMinutes,
      s.kept.length + repair.stats.moved,
      violations.length === 0 ? 'valid' : `${violations.length}: ${violations[0]?.message ?? ''}`,
      fullMs.toFixed(0),
      full.stats.sessionsPlaced,
      fullChanged,
    ]);
  }
  printTable(
    `Re-planning after an absence (repairWeek, median of ${RUNS} runs, single thread): moved/affected = affected visits re-placed (every other visit stays put); extra travel = the staff's added driving for the re-placed visits; full planner = planWeek on the same week with the absence, from scratch: its visits placed and how many of the original plan's visits it would move or drop`,
    ['week and absence', 'staff/families', 'plan placed/requested', 'absent', 'repair ms median', 'moved/affected', 'extra travel min', 'visits after repair', 'hard rules', 'full planner ms', 'full planner placed', 'full planner moves'],
    rows,
  );
}

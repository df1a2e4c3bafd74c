import { performance } from 'node:perf_hooks';
import { naiveGreedyPlan, planWeek, planWeekExact, validatePlan } from '../../shared/domain/planning/index.js';
import { loadHighs } from '../../shared/solver/highs.js';
import { buildModel } from '../../shared/domain/planning/model.js';
import { planWeekExactState } from '../../shared/domain/planning/plan-week-exact.js';
import { improveState } from '../../shared/domain/planning/search.js';
import { type InstanceOptions, generateInstance } from '../../shared/domain/planning/instances.js';
import { PlanningProblem, type PlanningResult } from '../../shared/schemas/planning.js';
import { milpReference } from './planner-milp.js';
import { printTable } from './stats.js';

interface Instance {
  name: string;
  options: InstanceOptions;
  runs: number;
}

const INSTANCES: Instance[] = [
  { name: 'pilot 2026-W48', options: { scale: 'pilot', seed: 1 }, runs: 7 },
  { name: 'pilot 2026-W52 (Christmas)', options: { scale: 'pilot', seed: 2, week: '2026-W52' }, runs: 7 },
  { name: 'pilot + absences', options: { scale: 'pilot', seed: 3, absences: true }, runs: 7 },
  { name: 'county 2026-W48', options: { scale: 'county', seed: 1 }, runs: 3 },
  { name: 'county 2026-W52 (Christmas)', options: { scale: 'county', seed: 2, week: '2026-W52' }, runs: 3 },
  { name: 'county 2026-W53 (New Year) + absences', options: { scale: 'county', seed: 3, week: '2026-W53', absences: true }, runs: 3 },
  { name: 'county 2026-W13 (DST) + absences', options: { scale: 'county', seed: 4, week: '2026-W13', absences: true }, runs: 3 },
  { name: 'national stress 2026-W48', options: { scale: 'national', seed: 1 }, runs: 2 },
  { name: 'national stress + absences', options: { scale: 'national', seed: 5, absences: true }, runs: 2 },
];

/** Small instances for the exact reference: the same generator on a coarser start grid (planner and HiGHS both solve that instance). */
const REFERENCES: Instance[] = [
  { name: 'pilot 2026-W48, 60-min grid', options: { scale: 'pilot', seed: 1, slotMinutes: 60 }, runs: 1 },
  { name: 'pilot 2026-W52 (Christmas), 60-min grid', options: { scale: 'pilot', seed: 2, week: '2026-W52', slotMinutes: 60 }, runs: 1 },
  { name: 'pilot + absences, 60-min grid', options: { scale: 'pilot', seed: 3, absences: true, slotMinutes: 60 }, runs: 1 },
  { name: 'pilot 6 families, 60-min grid', options: { scale: 'pilot', seed: 4, families: 6, slotMinutes: 60 }, runs: 1 },
  { name: 'pilot 2026-W48, 30-min grid', options: { scale: 'pilot', seed: 1, slotMinutes: 30 }, runs: 1 },
];

const MILP_SECONDS = Number(process.env.BENCH_MILP_SECONDS ?? 60);

/**
 * The generated reference set for the exact phase (issue 14), every size at the planner's own 15-minute grid:
 * pilot, tight (narrow windows, absences, a holiday), DST weeks, county (36 and 40 families), national (140 and 150).
 */
const EXACT_SET: Instance[] = [
  { name: 'pilot 2026-W48', options: { scale: 'pilot', seed: 1 }, runs: 3 },
  { name: 'tight 2026-W48 (Wed holiday, absences)', options: { scale: 'tight', seed: 19 }, runs: 3 },
  { name: 'pilot 2026-W43 (DST) + absences', options: { scale: 'pilot', seed: 3, week: '2026-W43', absences: true }, runs: 3 },
  { name: 'county 2026-W48, 36 families', options: { scale: 'county', seed: 1, families: 36 }, runs: 2 },
  { name: 'county 2026-W48', options: { scale: 'county', seed: 1 }, runs: 2 },
  { name: 'county 2026-W13 (DST) + absences', options: { scale: 'county', seed: 4, week: '2026-W13', absences: true }, runs: 2 },
  { name: 'national 2026-W48, 140 families', options: { scale: 'national', seed: 1, families: 140 }, runs: 1 },
  { name: 'national + absences', options: { scale: 'national', seed: 5, absences: true }, runs: 1 },
];

function missingBelowMinimum(problem: PlanningProblem, result: PlanningResult): number {
  return problem.families.reduce((n, f) => n + Math.max(0, f.minSessions - result.visits.filter((v) => v.family === f.id).length), 0);
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const pct = (a: number, b: number) => (b === 0 ? (a === 0 ? '0.0%' : 'n/a') : `${(((a - b) / b) * 100).toFixed(1)}%`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** The planner on generated instances at three scales, against the naive greedy, and against HiGHS on small ones. */
export async function run(): Promise<void> {
  if (process.env.BENCH_PLANNER !== 'heuristic') await runExact();
  if (process.env.BENCH_PLANNER === 'exact') return;
  // The first plan in a process pays for module initialisation (time zones, the holiday calendar)
  // and JIT compilation, once per process (a Lambda cold start): measured apart, on a one-family week.
  const warmStarted = performance.now();
  planWeek(PlanningProblem.parse(generateInstance({ scale: 'pilot', seed: 99, families: 1 })));
  console.log(
    `\nProcess warm-up: the first planWeek in this process (1 family) took ${(performance.now() - warmStarted).toFixed(0)} ms (module initialisation and JIT, once per process).`,
  );
  const rows: (string | number)[][] = [];
  for (const instance of INSTANCES) {
    const problem = PlanningProblem.parse(generateInstance(instance.options));
    const times: number[] = [];
    let result: PlanningResult | undefined;
    for (let i = 0; i < instance.runs; i++) {
      const started = performance.now();
      const planned = planWeek(problem);
      times.push(performance.now() - started);
      if (result && JSON.stringify(result) !== JSON.stringify(planned)) throw new Error(`${instance.name}: not deterministic`);
      result = planned;
    }
    if (!result) continue;
    const greedy = naiveGreedyPlan(problem);
    const violations = validatePlan(problem, result);
    const missing = missingBelowMinimum(problem, result);
    const greedyMissing = missingBelowMinimum(problem, greedy);
    rows.push([
      instance.name,
      `${problem.staff.length}/${problem.families.length}`,
      (times[0] ?? 0).toFixed(0),
      median(times).toFixed(0),
      `${result.stats.sessionsPlaced}/${result.stats.sessionsRequested}`,
      `${missing} (${result.stats.familiesBelowMinimum})`,
      result.stats.travelMinutes,
      `${greedy.stats.sessionsPlaced} · ${greedyMissing} (${greedy.stats.familiesBelowMinimum}) · ${greedy.stats.travelMinutes}`,
      `${signed(greedyMissing - missing)} · ${signed(result.stats.sessionsPlaced - greedy.stats.sessionsPlaced)} · ${pct(result.stats.travelMinutes, greedy.stats.travelMinutes)}`,
      violations.length === 0 ? 'valid' : `${violations.length} violations: ${violations[0]?.message ?? ''}`,
    ]);
  }
  printTable(
    'Planner (planWeek): ms = first run of the instance (after the process warm-up) / median of runs, single thread; below min = sessions missing below minimum (families below minimum); greedy = naive first-free-slot baseline (placed · below min · travel); margin = fewer missing below minimum · more placed · travel change',
    [
      'instance',
      'staff/families',
      'ms first',
      'ms median',
      'placed/requested',
      'below min',
      'travel min',
      'greedy',
      'margin over greedy',
      'validator',
    ],
    rows,
  );

  const refRows: (string | number)[][] = [];
  for (const instance of REFERENCES) {
    const problem = PlanningProblem.parse(generateInstance(instance.options));
    const result = planWeek(problem);
    const missing = missingBelowMinimum(problem, result);
    const reference = await milpReference(problem, MILP_SECONDS, {
      missing,
      placed: result.stats.sessionsPlaced,
      travel: result.stats.travelMinutes,
    });
    const travelGap =
      reference.status === 'Optimal'
        ? pct(result.stats.travelMinutes, reference.travel)
        : `${pct(result.stats.travelMinutes, reference.travel)} (vs incumbent)`;
    refRows.push([
      instance.name,
      `${problem.staff.length}/${problem.families.length}`,
      reference.status,
      (reference.ms / 1000).toFixed(1),
      reference.variables,
      `${reference.missing} · ${reference.placed} · ${reference.travel}`,
      `${missing} · ${result.stats.sessionsPlaced} · ${result.stats.travelMinutes}`,
      signed(missing - reference.missing),
      signed(reference.placed - result.stats.sessionsPlaced),
      travelGap,
      validatePlan(problem, result).length === 0 ? 'valid' : 'INVALID',
    ]);
  }
  printTable(
    `Exact reference (HiGHS MILP, lexicographic: level 1 missing/placed, level 2 travel, with the planner's travel as a cut-off when it reaches level 1's optimum; ${MILP_SECONDS} s limit per level). Reference instances use a coarser start grid (30 or 60 min) than the 15-min instances above; the planner solves the same coarse instance. Gaps: planner − optimum`,
    [
      'reference instance',
      'staff/families',
      'HiGHS status',
      'HiGHS s',
      'variables',
      'optimum (below min · placed · travel)',
      'planner',
      'gap below min',
      'gap placed',
      'gap travel',
      'validator',
    ],
    refRows,
  );
}

const cpuMs = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

/**
 * The planner with its exact phase (planWeekExact: heuristic, then HiGHS per independent part of the team) on the
 * generated reference set: the optimum it proves (or the bound where it cannot), the heuristic alone and the naive
 * greedy beside it. Times are wall-clock and the process's CPU time (the machine is shared, so wall time is noisy).
 */
async function runExact(): Promise<void> {
  const loadStarted = performance.now();
  const highs = await loadHighs();
  console.log(`\nHiGHS WebAssembly loaded in ${(performance.now() - loadStarted).toFixed(0)} ms (once per process).`);
  const rows: (string | number)[][] = [];
  // BENCH_EXACT_FILTER=county runs only the instances whose name contains it.
  for (const instance of EXACT_SET.filter((i) => i.name.includes(process.env.BENCH_EXACT_FILTER ?? ''))) {
    const problem = PlanningProblem.parse(generateInstance(instance.options));
    const heuristicStarted = process.cpuUsage();
    const heuristic = planWeek(problem);
    const heuristicCpu = cpuMs(heuristicStarted);
    const walls: number[] = [];
    const cpus: number[] = [];
    let result: PlanningResult | undefined;
    for (let i = 0; i < instance.runs; i++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const planned = planWeekExact(problem, highs);
      walls.push(performance.now() - started);
      cpus.push(cpuMs(cpu));
      if (result && JSON.stringify(result) !== JSON.stringify(planned)) throw new Error(`${instance.name}: not deterministic`);
      result = planned;
    }
    if (!result) continue;
    const greedy = naiveGreedyPlan(problem);
    const stats = result.stats;
    // Best known travel: the same plan polished four times as long (BENCH_TRAVEL_REF=1; slow, so on request).
    let reference = '';
    if (process.env.BENCH_TRAVEL_REF) {
      const { state } = planWeekExactState(buildModel(problem), highs);
      improveState(state, 4);
      const best = Math.min(state.travel, stats.travelMinutes);
      reference = `${best} (${pct(stats.travelMinutes, best)})`;
    }
    const optimum = stats.sessionsProvenOptimal
      ? `${stats.sessionsBelowMinimum ?? missingBelowMinimum(problem, result)} · ${stats.sessionsPlaced} (proven)`
      : `≥ ${stats.sessionsBelowMinimumLowerBound ?? 0} · ≤ ${stats.sessionsPlacedUpperBound ?? stats.sessionsRequested} (bound)`;
    rows.push([
      instance.name,
      `${problem.staff.length}/${problem.families.length}`,
      stats.sessionsRequested,
      optimum,
      `${missingBelowMinimum(problem, result)} · ${stats.sessionsPlaced} · ${stats.travelMinutes}`,
      `${missingBelowMinimum(problem, heuristic)} · ${heuristic.stats.sessionsPlaced} · ${heuristic.stats.travelMinutes}`,
      `${median(walls).toFixed(0)} (${median(cpus).toFixed(0)})`,
      heuristicCpu.toFixed(0),
      `${missingBelowMinimum(problem, greedy)} · ${greedy.stats.sessionsPlaced} · ${greedy.stats.travelMinutes}`,
      reference,
      validatePlan(problem, result).length === 0 ? 'valid' : 'INVALID',
    ]);
  }
  printTable(
    'Planner with the exact phase (planWeekExact) on the generated reference set, 15-min grid: optimum = (a) sessions missing below minimum · (b) placed, proven by HiGHS, or the bound where the work limit stops it; planner / heuristic alone / naive greedy = below min · placed · travel min; ms = wall (CPU) median of runs, the heuristic alone in CPU ms',
    [
      'instance',
      'staff/families',
      'requested',
      'optimum (a) · (b)',
      'planner',
      'heuristic alone',
      'ms wall (cpu)',
      'heuristic cpu ms',
      'naive greedy',
      'best known travel (gap)',
      'validator',
    ],
    rows,
  );
}

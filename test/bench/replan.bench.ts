import { DateTime } from 'luxon';
import { performance } from 'node:perf_hooks';
import { planWeek, validatePlan } from '../../shared/domain/planning/index.js';
import type { InstanceOptions } from '../../shared/domain/planning/instances.js';
import { repairAbsence } from '../../shared/domain/replan/absence-repair.js';
import { repairWeek } from '../../shared/domain/replan/repair-week.js';
import type { PlanningProblem, PlanningResult } from '../../shared/schemas/planning.js';
import { absenceScenario, busiestTwoDays, busiestPairWeek, nextWeekOf, absenceScenarioOf, weekAfter } from '../helpers/replan-scenario.js';
import { printTable } from './stats.js';

const RUNS = 15;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** A therapist of median load, on their two busiest consecutive days (a typical sick leave, not the worst case). */
function typicalTwoDays(problem: PlanningProblem, plan: PlanningResult): { staffId: string; dates: string[] } {
  const load = problem.staff
    .map((s) => ({ id: s.id, n: plan.visits.filter((v) => v.staff.includes(s.id)).length }))
    .sort((a, b) => a.n - b.n || a.id.localeCompare(b.id));
  const staffId = load[Math.floor(load.length / 2)]?.id ?? '';
  const only = { ...problem, staff: problem.staff.filter((s) => s.id === staffId) };
  return busiestTwoDays(only, plan);
}

const SCENARIOS: { name: string; options: InstanceOptions; pick: typeof busiestTwoDays }[] = [
  { name: 'county 2026-W48, busiest therapist off 2 days', options: { scale: 'county', seed: 1, families: 36 }, pick: busiestTwoDays },
  { name: 'county 2026-W48, typical therapist off 2 days', options: { scale: 'county', seed: 1, families: 36 }, pick: typicalTwoDays },
  {
    name: 'county 2026-W13 (DST), typical therapist off 2 days',
    options: { scale: 'county', seed: 4, week: '2026-W13', families: 36 },
    pick: typicalTwoDays,
  },
  {
    name: 'county 2026-W43 (DST), typical therapist off 2 days',
    options: { scale: 'county', seed: 2, week: '2026-W43', families: 36 },
    pick: typicalTwoDays,
  },
];

const key = (v: { family: string; kind: string; start: string }) => `${v.family}|${v.kind}|${v.start}`;

/**
 * The repair on county-sized weeks (16 therapists, 36 families) knocked out by a two-day absence: its median time,
 * moves made against visits affected, the hard rules of the repaired week, and what the full planner would do with
 * the same week (how many of the original visits it would move or drop).
 */
export async function run(): Promise<void> {
  issue23();
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
    const repaired = [
      ...s.kept.map((v) => ({ family: v.family, kind: v.kind, staff: [...v.staff], start: v.start, end: v.end, place: v.place })),
      ...moved,
    ];
    const check: PlanningResult = {
      week: s.problem.week,
      visits: repaired,
      shortfalls: [],
      stats: { sessionsRequested: 0, sessionsPlaced: repaired.length, familiesBelowMinimum: 0, travelMinutes: 0 },
    };
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
    [
      'week and absence',
      'staff/families',
      'plan placed/requested',
      'absent',
      'repair ms median',
      'moved/affected',
      'extra travel min',
      'visits after repair',
      'hard rules',
      'full planner ms',
      'full planner placed',
      'full planner moves',
    ],
    rows,
  );
}

/** The Sunday of an ISO week (local date). */
const sundayOf = (week: string): string => DateTime.fromISO(`${week}-7`, { zone: 'utc' }).toISODate() ?? '';

const ABSENCES: { name: string; options: InstanceOptions; pick: Parameters<typeof absenceScenarioOf>[1] }[] = [
  {
    name: 'county 2026-W48 (40 families), busiest therapist off 2 days',
    options: { scale: 'county', seed: 1 },
    pick: (p, plan) => {
      const b = busiestTwoDays(p, plan);
      return { staff: [b.staffId], dates: b.dates };
    },
  },
  { name: 'county 2026-W48 (40 families), two therapists off the week', options: { scale: 'county', seed: 1 }, pick: busiestPairWeek },
  { name: 'county 2026-W13 (DST), two therapists off the week', options: { scale: 'county', seed: 4, week: '2026-W13' }, pick: busiestPairWeek },
];

/**
 * Issue 23 on the county week (16 therapists, 40 families), this week and next planned in full: the absence repair
 * (move — also by a chain or into next Mon–Wed —, partner, colleague, cancel) against today's repair (moves only) on
 * the very same week, in the same run. Delivered = visits of the week that still take place (kept + moved + covered)
 * against the plan before the absence.
 */
function issue23(): void {
  const rows: (string | number)[][] = [];
  for (const scenario of ABSENCES) {
    const s = absenceScenarioOf(scenario.options, scenario.pick);
    const next = weekAfter(scenario.options);
    const families = new Map(
      s.problem.families.map((f) => [
        f.id,
        {
          familyTherapist: f.familyTherapist,
          individualTherapist: f.individualTherapist,
          kinds: f.sessions.filter((x) => x.count > 0).map((x) => x.kind),
          maxSessionsPerDay: f.maxSessionsPerDay,
        },
      ]),
    );
    const input = {
      week: s.withAbsence,
      kept: s.kept,
      movable: new Set(s.kept.map((v) => v.id)),
      affected: s.affected.map((v) => ({ ...v, absent: v.staff.filter((x) => s.staff.includes(x)) })),
      next: {
        problem: { ...next.problem, families: next.problem.families.map((f) => ({ ...f, windows: f.windows.filter((w) => w.weekday <= 3) })) },
        kept: next.kept,
        days: `${nextWeekOf(s.problem.week)} Mon–Wed`,
      },
      families,
    };
    const times: number[] = [];
    const todayTimes: number[] = [];
    let result: ReturnType<typeof repairAbsence> | undefined;
    let today: ReturnType<typeof repairWeek> | undefined;
    for (let i = 0; i < RUNS; i++) {
      let started = performance.now();
      result = repairAbsence(input);
      times.push(performance.now() - started);
      started = performance.now();
      today = repairWeek(s.withAbsence, s.kept, s.affected);
      todayTimes.push(performance.now() - started);
    }
    if (!result || !today) continue;
    // The week after the proposal, as the commit would leave it: rules 1–4 of §4 (rule 5 pairs kinds with staff,
    // which a cover changes on purpose).
    const after = new Map(s.kept.map((v) => [v.id, { ...v }]));
    for (const d of result.decisions) {
      const v = s.affected.find((a) => a.id === d.visit);
      const o = d.options.find((x) => x.option === d.proposed);
      if (!v || !o) continue;
      for (const c of o.chain ?? []) {
        const k = after.get(c.visit);
        if (k) after.set(c.visit, { ...k, start: c.start, end: c.end });
      }
      if (d.proposed === 'move' && o.start && o.end) after.set(v.id, { ...v, start: o.start, end: o.end });
      if ((d.proposed === 'partner' || d.proposed === 'colleague') && o.staff && o.kind) after.set(v.id, { ...v, staff: o.staff, kind: o.kind });
    }
    const sunday = sundayOf(s.problem.week);
    const inWeek = [...after.values()].filter((v) => v.start.slice(0, 10) <= sunday);
    const checked = inWeek.map((v) => ({ family: v.family, kind: v.kind, staff: [...v.staff], start: v.start, end: v.end, place: v.place }));
    const broken = validatePlan(s.withAbsence, {
      week: s.problem.week,
      visits: checked,
      shortfalls: [],
      stats: { sessionsRequested: 0, sessionsPlaced: checked.length, familiesBelowMinimum: 0, travelMinutes: 0 },
    }).filter((x) => ['rule1', 'rule2', 'rule3', 'rule4'].includes(x.rule));
    const planned = s.plan.visits.length;
    const st = result.stats;
    const inWeekMoves = st.moved - st.movedToNextWeek;
    rows.push([
      scenario.name,
      `${s.staff.join(', ')} ${s.dates[0] ?? ''}–${(s.dates.at(-1) ?? '').slice(5)}`,
      s.affected.length,
      `${today.stats.moved} · 0 · 0 · ${today.stats.affected - today.stats.moved}`,
      `${st.moved} (${st.chained} chained, ${st.movedToNextWeek} next week) · ${st.coveredByPartner} · ${st.coveredByColleague} · ${st.cancelled}`,
      `${s.kept.length + today.stats.moved}/${planned}`,
      `${s.kept.length + inWeekMoves + st.coveredByPartner + st.coveredByColleague}/${planned} (+${st.movedToNextWeek} next week)`,
      broken.length === 0 ? 'valid' : `${broken.length}: ${broken[0]?.message ?? ''}`,
      median(todayTimes).toFixed(1),
      median(times).toFixed(1),
    ]);
  }
  printTable(
    `Issue 23: absence repair vs today's repair on the same weeks (median of ${RUNS} runs each, single thread). Columns: moved · covered by partner · covered by colleague · cancelled (today's repair leaves its unplaced visits to the coordinator: counted as cancelled); delivered = this week's visits that still take place / the plan before the absence`,
    [
      'week and absence',
      'absent',
      'affected',
      "today's repair",
      'absence repair',
      "delivered, today's",
      'delivered, absence repair',
      'rules 1–4 after',
      "today's ms",
      'absence repair ms',
    ],
    rows,
  );
}

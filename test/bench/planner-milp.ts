import highsImport, { type Highs } from 'highs';
import type { PlanningProblem } from '../../shared/schemas/planning.js';
import { buildModel, type Candidate } from '../../shared/domain/planning/model.js';

// The package's types describe a CommonJS default export while Node loads its ESM build: accept both shapes.
type HighsLoader = () => Promise<Highs>;
const highsExport: unknown = highsImport;
const highsLoader: HighsLoader = typeof highsExport === 'function' ? (highsExport as HighsLoader) : (highsExport as { default: HighsLoader }).default;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The exact optimum of §4's objective for a (small) problem, by lexicographic MILP with HiGHS. */
export interface MilpReference {
  /** 'Optimal' when HiGHS proved both levels optimal, else its status (e.g. 'Time limit reached'). */
  status: string;
  missing: number;
  placed: number;
  travel: number;
  ms: number;
  variables: number;
}

/**
 * The model (same static candidates as the engine: grid starts inside windows and working hours,
 * clear of busy blocks with travel, base travel at both ends):
 * - x_c binary per candidate visit; per task Σx ≤ count; per family day Σx ≤ maxSessionsPerDay and
 *   at most one visit covering any start time; per staff day Σx ≤ maxVisitsPerDay;
 *   m_f ≥ minSessions_f − Σx_f, m_f ≥ 0.
 * - Per staff day, a unit flow through a time-expanded network: source (base) → "ready at place q,
 *   time t" nodes on the slot grid, visit arcs ready(start) → done(end) carrying exactly x_c, travel
 *   arcs done(e, p) → ready(first grid time ≥ e + travel(p, q), q) costing travel(p, q), waiting
 *   arcs between ready nodes, and done → sink costing the way home. One unit of flow forces the
 *   day's visits into one time-ordered sequence with the travel time between consecutive ones — the
 *   same as rule 2 for every pair when the travel matrix keeps the triangle inequality (Kalmar county's does).
 * Level 1 minimises (requested+1)·Σm − Σx; level 2 fixes both and minimises the travel of the flows.
 */
export async function milpReference(
  problem: PlanningProblem,
  timeLimitSeconds = 60,
  known?: { missing: number; placed: number; travel: number },
): Promise<MilpReference> {
  const started = performance.now();
  const model = buildModel(problem);
  const slot = model.slot;
  const all: Candidate[] = model.candidates.flat();
  const xName = new Map<Candidate, string>();
  all.forEach((c, i) => xName.set(c, `x${i}`));
  const rows: string[] = [];
  const continuous: string[] = [];
  let rowId = 0;
  const row = (terms: [number, string][], sense: '<=' | '>=' | '=', rhs: number) => {
    if (terms.length === 0) return;
    const lhs = terms.map(([k, v], i) => `${k < 0 ? '-' : i === 0 ? '' : '+'} ${Math.abs(k)} ${v}`).join(' ');
    rows.push(` r${rowId++}: ${lhs.replace(/((?:\S+ ){24})/g, '$1\n  ')} ${sense} ${rhs}`);
  };
  const travelTerms: [number, string][] = [];

  // Families: counts, day limits, no two at once, missing below minimum.
  const missingTerms: [number, string][] = [];
  model.families.forEach((f, fi) => {
    const own = f.tasks.flatMap((t) => model.candidates[t] ?? []);
    for (const t of f.tasks)
      row(
        (model.candidates[t] ?? []).map((c) => [1, xName.get(c) ?? '']),
        '<=',
        model.tasks[t]?.count ?? 0,
      );
    for (let d = 0; d < 7; d++) {
      const day = own.filter((c) => c.day === d);
      if (day.length === 0) continue;
      row(
        day.map((c) => [1, xName.get(c) ?? '']),
        '<=',
        f.maxPerDay,
      );
      for (const t of [...new Set(day.map((c) => c.start))]) {
        const covering = day.filter((c) => c.start <= t && t < c.end);
        if (covering.length > 1)
          row(
            covering.map((c) => [1, xName.get(c) ?? '']),
            '<=',
            1,
          );
      }
    }
    if (f.min > 0) {
      row([[1, `m${fi}`], ...own.map((c): [number, string] => [1, xName.get(c) ?? ''])], '>=', f.min);
      missingTerms.push([1, `m${fi}`]);
      continuous.push(`m${fi}`);
    }
  });

  // Staff days: day limit and the time-expanded flow.
  let arc = 0;
  const newArc = (cost: number): string => {
    const name = `a${arc++}`;
    continuous.push(name);
    if (cost !== 0) travelTerms.push([cost, name]);
    return name;
  };
  const tr = (a: number, b: number) => model.travel[a]?.[b] ?? 0;
  model.staff.forEach((s, si) => {
    for (let d = 0; d < 7; d++) {
      const hours = s.hours[d];
      const mine = all.filter((c) => c.day === d && model.tasks[c.task]?.staff.includes(si));
      if (!hours || mine.length === 0) continue;
      row(
        mine.map((c) => [1, xName.get(c) ?? '']),
        '<=',
        s.maxPerDay,
      );
      const placeOf = (c: Candidate) => model.families[model.tasks[c.task]?.family ?? 0]?.place ?? 0;
      const places = [...new Set(mine.map(placeOf))].sort((a, b) => a - b);
      const up = (t: number) => Math.ceil(t / slot) * slot;
      // Ready times per place: candidate starts there, plus arrival times that precede a start.
      const readyTimes = new Map<number, Set<number>>(places.map((q) => [q, new Set(mine.filter((c) => placeOf(c) === q).map((c) => c.start))]));
      const lastStart = (q: number) => Math.max(...(readyTimes.get(q) ?? new Set([-1])));
      const arrivals: { from: string; cost: number; q: number; t: number }[] = [];
      const balance = new Map<string, [number, string][]>();
      const flow = (node: string, coef: number, variable: string) => balance.set(node, [...(balance.get(node) ?? []), [coef, variable]]);
      const src = `src_${si}_${d}`;
      const sink = `snk_${si}_${d}`;
      for (const q of places) {
        const t = up(hours.start + tr(s.base, q));
        if (t <= lastStart(q)) arrivals.push({ from: src, cost: tr(s.base, q), q, t });
      }
      const ends = new Map<string, { e: number; p: number }>();
      for (const c of mine) ends.set(`${c.end}_${placeOf(c)}`, { e: c.end, p: placeOf(c) });
      for (const { e, p } of ends.values()) {
        for (const q of places) {
          const t = up(e + tr(p, q));
          if (t <= lastStart(q)) arrivals.push({ from: `done_${e}_${p}`, cost: tr(p, q), q, t });
        }
        const home = newArc(tr(p, s.base));
        flow(`done_${e}_${p}`, -1, home);
        flow(sink, 1, home);
      }
      for (const a of arrivals) readyTimes.get(a.q)?.add(a.t);
      for (const a of arrivals) {
        const v = newArc(a.cost);
        flow(a.from, -1, v);
        flow(`ready_${a.t}_${a.q}`, 1, v);
      }
      for (const q of places) {
        const times = [...(readyTimes.get(q) ?? [])].sort((a, b) => a - b);
        for (let i = 0; i + 1 < times.length; i++) {
          const w = newArc(0);
          flow(`ready_${times[i]}_${q}`, -1, w);
          flow(`ready_${times[i + 1]}_${q}`, 1, w);
        }
      }
      for (const c of mine) {
        const x = xName.get(c) ?? '';
        flow(`ready_${c.start}_${placeOf(c)}`, -1, x);
        flow(`done_${c.end}_${placeOf(c)}`, 1, x);
      }
      const idle = newArc(0);
      flow(src, -1, idle);
      flow(sink, 1, idle);
      for (const [node, terms] of [...balance.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        // Inflow − outflow: −1 at the source, +1 at the sink, 0 elsewhere.
        row(terms, '=', node === src ? -1 : node === sink ? 1 : 0);
      }
    }
  });

  const terms = (list: [number, string][]) =>
    list
      .map(([k, v], i) => `${k < 0 ? '-' : i === 0 ? '' : '+'} ${Math.abs(k)} ${v}`)
      .join(' ')
      .replace(/((?:\S+ ){24})/g, '$1\n  ');
  const binaries = all.map((c) => xName.get(c) ?? '');
  const lp = (objective: [number, string][], extra: string[]) =>
    [
      'Minimize',
      ` obj: ${
        objective.length > 0
          ? objective
              .map(([k, v], i) => `${k < 0 ? '-' : i === 0 ? '' : '+'} ${Math.abs(k)} ${v}`)
              .join(' ')
              .replace(/((?:\S+ ){24})/g, '$1\n  ')
          : '0 x0'
      }`,
      'Subject To',
      ...rows,
      ...extra,
      'Bounds',
      ...continuous.map((v) => ` 0 <= ${v} <= 1000`),
      'Binary',
      ...Array.from({ length: Math.ceil(binaries.length / 20) }, (_, i) => ` ${binaries.slice(i * 20, i * 20 + 20).join(' ')}`),
      'End',
    ].join('\n');
  const highs = await highsLoader();
  // Objective values are whole numbers (level 1) and multiples of the matrix's step (5 minutes in Kalmar
  // county), so an absolute gap below that step proves the incumbent optimal.
  const step = model.travel.flat().reduce((g, t) => gcd(g, t), 0) || 1;
  const level1Options = { time_limit: timeLimitSeconds, mip_rel_gap: 0, mip_abs_gap: 0.999, output_flag: false } as const;
  const options = { time_limit: timeLimitSeconds, mip_rel_gap: 0, mip_abs_gap: step - 0.001, output_flag: false } as const;
  const weight = model.tasks.reduce((n, t) => n + t.count, 0) + 1;
  const level1 = highs.solve(
    lp([...missingTerms.map(([, v]): [number, string] => [weight, v]), ...binaries.map((v): [number, string] => [-1, v])], []),
    level1Options,
  );
  const value = (sol: typeof level1, name: string) => (sol.Status === 'Infeasible' ? 0 : (sol.Columns[name]?.Primal ?? 0));
  const sum = (sol: typeof level1, names: string[]) => names.reduce((n, v) => n + value(sol, v), 0);
  const missing = Math.round(
    sum(
      level1,
      missingTerms.map(([, v]) => v),
    ),
  );
  const placed = Math.round(sum(level1, binaries));
  const fix = [
    missingTerms.length > 0
      ? ` fixm: ${missingTerms
          .map(([, v]) => `+ 1 ${v}`)
          .join(' ')
          .replace(/((?:\S+ ){24})/g, '$1\n  ')} <= ${missing + 1e-6}`
      : '',
    ` fixx: ${binaries
      .map((v) => `+ 1 ${v}`)
      .join(' ')
      .replace(/((?:\S+ ){24})/g, '$1\n  ')} >= ${placed - 1e-6}`,
  ].filter((l) => l !== '');
  // A known plan (the planner's, on the same instance) that reaches level 1's optimum is feasible for
  // level 2, so its travel bounds the optimum from above: as a cut-off it only prunes, and a proof of
  // optimality under it is a proof without it.
  const usable = known !== undefined && known.missing === missing && known.placed === placed && travelTerms.length > 0;
  const cutoff = usable ? [` cut: ${terms(travelTerms)} <= ${known.travel}`] : [];
  const level2 = highs.solve(lp(travelTerms, [...fix, ...cutoff]), options);
  const status = level1.Status === 'Optimal' && level2.Status === 'Optimal' ? 'Optimal' : `${level1.Status} / ${level2.Status}`;
  return {
    status,
    missing,
    placed,
    travel: Math.round(level2.Status === 'Infeasible' ? Number.NaN : level2.ObjectiveValue),
    ms: performance.now() - started,
    variables: binaries.length + continuous.length,
  };
}

import type { Highs } from 'highs';
import { type Candidate, type PlanningModel, modelTravel } from './model.js';
import type { PlanState } from './plan-state.js';
import { keepsTravel, roomLeft } from './rules.js';

/**
 * The exact phase's work limit per component, in branch-and-bound nodes of HiGHS (single thread). Node and
 * LP-iteration limits are deterministic (a wall-clock limit is not: the same input could give another plan on
 * a busier machine); with EXACT_WORK_LIMIT sized so that a county week (16 staff, 36–40 families) stays inside 5 s
 * and a national one (60 staff, 140–150 families) inside 20 s of CPU on the machine the README's figures come from.
 */
export const EXACT_NODE_LIMIT = 10;
/** A component with more candidate visits than this is not given to HiGHS (its model would not solve in the budget). */
export const EXACT_MAX_COLUMNS = 12_000;
/**
 * The exact phase's total work: non-zeros of all component models given to HiGHS (its time grows with them).
 * Deterministic like the node limit; keeps a national week (30 pairs) inside its budget, the components that
 * could gain most going first.
 */
export const EXACT_WORK_LIMIT = 150_000;

/** HiGHS's soft limit on its cut pool (rows), see `solveComponent`. */
export const EXACT_CUT_POOL = 50;

/** What the exact phase proved about one independent part of the team (staff linked through shared families). */
export interface ComponentOutcome {
  families: number[];
  staff: number[];
  /** The plan's (a) and (b) in this component are proven optimal. */
  proven: boolean;
  /** HiGHS found a plan better on (a)/(b) than the heuristic's: its visits (candidates). */
  improved: Candidate[] | undefined;
  /** Lower bound on W·missing − placed for this component (W = its requested sessions + 1). */
  objectiveBound: number;
  /** No plan places more sessions in this component than this (its families' capacities). */
  placedBound: number;
  /** W of this component. */
  weight: number;
  status: string;
  nodes: number;
}

/** One constraint row of a component's model: lower ≤ Σ x over `cols` ≤ upper (every coefficient is 1). */
export interface Row {
  cols: number[];
  upper: number;
  lower: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Staff linked through families' pairs: the planning problem falls apart into these independent parts. */
export function components(model: PlanningModel): { families: number[]; staff: number[] }[] {
  const parent = model.staff.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while ((parent[r] ?? r) !== r) r = parent[r] ?? r;
    parent[i] = r;
    return r;
  };
  for (const t of model.tasks) {
    const [a, b] = t.staff;
    if (a !== undefined && b !== undefined && a >= 0 && b >= 0) parent[find(a)] = find(b);
  }
  const byRoot = new Map<number, { families: number[]; staff: number[] }>();
  model.staff.forEach((_, s) => {
    const root = find(s);
    const entry = byRoot.get(root) ?? { families: [], staff: [] };
    entry.staff.push(s);
    byRoot.set(root, entry);
  });
  model.families.forEach((f, fi) => {
    const s = model.tasks[f.tasks[0] ?? -1]?.staff[0];
    if (s === undefined || s < 0) return;
    byRoot.get(find(s))?.families.push(fi);
  });
  return [...byRoot.values()].filter((c) => c.families.length > 0).sort((a, b) => (a.staff[0] ?? 0) - (b.staff[0] ?? 0));
}

/** What the row builders of one component share: its columns (candidate visits) and the rows so far. */
interface RowContext {
  model: PlanningModel;
  columns: Candidate[];
  /** Adds lower ≤ Σ cols ≤ upper unless it is empty, says nothing (upper ≥ its size) or is there already. */
  addRow: (cols: number[], upper: number, lower?: number) => void;
  placeOfCol: (i: number) => number;
  travel: (from: number, to: number) => number;
  /** Every start lies on the slot grid and every end a duration after it: all of them are multiples of this. */
  grain: number;
  longest: number;
}

/** Columns of one day, by start (then column), from a list of columns. */
function dayColumns(ctx: RowContext, cols: readonly number[], d: number): number[] {
  const { columns } = ctx;
  return cols.filter((i) => columns[i]?.day === d).sort((a, b) => (columns[a]?.start ?? 0) - (columns[b]?.start ?? 0) || a - b);
}

/**
 * The MILP of one component, objectives (a) and (b) only: x_c binary per statically valid candidate visit,
 * m_f ≥ minSessions_f − Σx_f; minimise W·Σm − Σx. Every hard rule is a linear row: counts per kind (rule 5), day
 * limits per family and staff member less what is booked (rules 3, 4), a family never twice at once (rule 3), and for
 * each staff day rule 2 (see `staffDayRows`). Rule 1 and the busy blocks are in the candidates already.
 */
function componentRows(model: PlanningModel, part: { families: number[]; staff: number[] }, longest: number) {
  const columns: Candidate[] = [];
  const taskCols = new Map<number, number[]>();
  for (const f of part.families) {
    for (const t of model.families[f]?.tasks ?? []) {
      const list: number[] = [];
      for (const c of model.candidates[t] ?? []) {
        list.push(columns.length);
        columns.push(c);
      }
      taskCols.set(t, list);
    }
  }
  const rows: Row[] = [];
  const seen = new Set<string>();
  const addRow = (cols: number[], upper: number, lower = -Infinity) => {
    if (cols.length === 0) return;
    if (lower === -Infinity && upper >= cols.length) return;
    const key = `${cols.join(',')}|${upper}|${lower}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push({ cols, upper, lower });
  };
  const ctx: RowContext = {
    model,
    columns,
    addRow,
    placeOfCol: (i) => model.families[model.tasks[columns[i]?.task ?? -1]?.family ?? -1]?.place ?? 0,
    travel: modelTravel(model),
    grain: model.tasks.reduce((g, t) => gcd(g, t.minutes), model.slot),
    longest,
  };
  // Kinds: at most `count` each (rule 5).
  for (const [t, cols] of taskCols) addRow(cols, model.tasks[t]?.count ?? 0);
  const missingRows: { family: number; cols: number[]; min: number }[] = [];
  for (const f of part.families) {
    const family = model.families[f];
    if (!family) continue;
    const own = family.tasks.flatMap((t) => taskCols.get(t) ?? []);
    familyDayRows(ctx, family, own);
    if (family.min > 0) missingRows.push({ family: f, cols: own, min: family.min });
  }
  for (const s of part.staff) {
    const staff = model.staff[s];
    if (!staff) continue;
    const mine: number[] = [];
    taskCols.forEach((cols, t) => {
      if (model.tasks[t]?.staff.includes(s)) mine.push(...cols);
    });
    for (let d = 0; d < model.days.length; d++) {
      const day = dayColumns(ctx, mine, d);
      if (day.length === 0) continue;
      addRow(day, roomLeft(staff.booked[d] ?? 0, staff.maxPerDay));
      staffDayRows(ctx, day);
    }
  }
  return { columns, rows: withoutDominatedCliques(rows, columns.length), missingRows };
}

/** Rule 3 for each day of a family: its day limit less what is booked, and never two visits at once (a clique per start). */
function familyDayRows(ctx: RowContext, family: PlanningModel['families'][number], own: readonly number[]): void {
  const { columns, addRow } = ctx;
  for (let d = 0; d < ctx.model.days.length; d++) {
    const day = dayColumns(ctx, own, d);
    if (day.length === 0) continue;
    addRow(day, roomLeft(family.booked[d] ?? 0, family.maxPerDay));
    for (const t of new Set(day.map((i) => columns[i]?.start ?? 0))) {
      const covering = day.filter((i) => (columns[i]?.start ?? 0) <= t && t < (columns[i]?.end ?? 0));
      if (covering.length > 1) addRow(covering, 1);
    }
  }
}

/**
 * Rule 2 on one staff day — two visits closer than the travel between them — as cliques of intervals stretched by the
 * shortest travel from their place (which are pairwise in conflict), cliques of place pairs a long drive apart, and one
 * row per remaining pair that only a longer drive separates.
 */
function staffDayRows(ctx: RowContext, day: readonly number[]): void {
  const { columns, addRow, placeOfCol, travel, grain, longest } = ctx;
  const places = [...new Set(day.map(placeOfCol))];
  const stretch = new Map(places.map((p) => [p, Math.min(...places.map((q) => travel(p, q)))]));
  const reach = (i: number) => (columns[i]?.end ?? 0) + (stretch.get(placeOfCol(i)) ?? 0);
  for (const t of new Set(day.map((i) => columns[i]?.start ?? 0))) {
    const clique = day.filter((i) => (columns[i]?.start ?? 0) <= t && t < reach(i));
    if (clique.length > 1) addRow(clique, 1);
  }
  // Visits at p ending shortly before t and visits at q starting shortly after it are pairwise in conflict when
  // the two windows are short enough (each side overlaps itself) and together shorter than the drive p → q.
  const shortest = (p: number) => Math.min(...day.filter((i) => placeOfCol(i) === p).map((i) => (columns[i]?.end ?? 0) - (columns[i]?.start ?? 0)));
  const covered = new Map<string, number>();
  const first = Math.min(...day.map((i) => columns[i]?.end ?? 0));
  const last = Math.max(...day.map((i) => columns[i]?.start ?? 0));
  for (const p of places) {
    for (const q of places) {
      const drive = travel(p, q);
      if (p === q || drive <= (stretch.get(p) ?? 0)) continue;
      // Window lengths are multiples of the grain; ends in (t − w, t] and starts in [t, t + w2) are at most
      // w + w2 − 2·grain apart, which must stay below the drive.
      const capP = Math.floor((shortest(p) + travel(p, p)) / grain) * grain;
      const capQ = Math.floor((shortest(q) + travel(q, q)) / grain) * grain;
      const total = Math.min(capP + capQ, Math.ceil(drive / grain) * grain + grain);
      const w = Math.min(capP, Math.ceil(total / 2 / grain) * grain);
      const w2 = Math.min(capQ, total - w);
      if (w <= 0 || w2 <= 0) continue;
      covered.set(`${p}>${q}`, w + w2 - 2 * grain);
      for (let t = Math.floor(first / grain) * grain; t <= last; t += grain) {
        const clique = day.filter((i) => {
          const c = columns[i];
          if (!c) return false;
          const at = placeOfCol(i);
          return (at === p && c.end > t - w && c.end <= t) || (at === q && c.start >= t && c.start < t + w2);
        });
        if (clique.length > 1 && clique.some((i) => placeOfCol(i) === p) && clique.some((i) => placeOfCol(i) === q))
          addRow(
            clique.sort((a, b) => a - b),
            1,
          );
      }
    }
  }
  for (let ai = 0; ai < day.length; ai++) {
    const a = day[ai] ?? 0;
    const ca = columns[a];
    if (!ca) continue;
    const pa = placeOfCol(a);
    for (let bi = ai + 1; bi < day.length; bi++) {
      const b = day[bi] ?? 0;
      const cb = columns[b];
      if (!cb) continue;
      if (cb.start < reach(a)) continue; // in a clique with a already
      if (cb.start >= ca.end + longest) break; // sorted by start: no later one is within a drive
      const pb = placeOfCol(b);
      if (cb.start - ca.end <= (covered.get(`${pa}>${pb}`) ?? -1)) continue; // in a place-pair clique
      if (!keepsTravel(ca.start, ca.end, pa, cb.start, cb.end, pb, travel)) addRow(a < b ? [a, b] : [b, a], 1);
    }
  }
}

/**
 * Drops every clique row (at most one of its visits) whose visits all lie in another clique row: it says nothing the
 * larger one does not, so the same plans stay feasible. The cliques of consecutive start times, and a family's
 * never-twice-at-once cliques inside its day limit of one, are often nested: on the county weeks this takes 20–50 % of
 * the rows out before HiGHS sees them, and its root node then finishes sooner (measured, see the README).
 */
export function withoutDominatedCliques(rows: readonly Row[], numCols: number): Row[] {
  const isClique = (r: Row) => r.upper === 1 && r.lower === -Infinity;
  const order = rows
    .map((_, i) => i)
    .filter((i) => isClique(rows[i] as Row))
    .sort((a, b) => (rows[b]?.cols.length ?? 0) - (rows[a]?.cols.length ?? 0) || a - b);
  const byCol: number[][] = Array.from({ length: numCols }, () => []);
  const mark = new Int32Array(numCols).fill(-1);
  const dropped = new Set<number>();
  for (const i of order) {
    const cols = rows[i]?.cols ?? [];
    // The kept cliques through this row's rarest column are the only ones that could contain it.
    let rarest = cols[0] ?? 0;
    for (const c of cols) if ((byCol[c]?.length ?? 0) < (byCol[rarest]?.length ?? 0)) rarest = c;
    for (const c of cols) mark[c] = i;
    const contained = (byCol[rarest] ?? []).some((k) => {
      const other = rows[k]?.cols ?? [];
      if (other.length < cols.length) return false;
      let hits = 0;
      for (const c of other) if (mark[c] === i) hits++;
      return hits === cols.length;
    });
    if (contained) {
      dropped.add(i);
      continue;
    }
    for (const c of cols) byCol[c]?.push(i);
  }
  return rows.filter((_, i) => !dropped.has(i));
}

/** The longest drive in the matrix, so the pair rows above are complete whatever the matrix holds. */
function maxTravel(model: PlanningModel): number {
  return Math.max(0, ...model.travel.flat());
}

/**
 * How many sessions a family can get at most, by itself: per kind its count, or its day limit summed over the
 * days that kind has a possible start on; in all, no more than its day limits over the days it can be visited.
 */
export function familyCapacity(model: PlanningModel, family: number): number {
  const f = model.families[family];
  if (!f) return 0;
  const room = (days: Iterable<number>) => [...days].reduce((n, d) => n + roomLeft(f.booked[d] ?? 0, f.maxPerDay), 0);
  let byKind = 0;
  const allDays = new Set<number>();
  for (const t of f.tasks) {
    const days = new Set((model.candidates[t] ?? []).map((c) => c.day));
    for (const d of days) allDays.add(d);
    byKind += Math.min(model.tasks[t]?.count ?? 0, room(days));
  }
  return Math.min(byKind, room(allDays));
}

/**
 * Solves each component's MILP with HiGHS, warm-started from the heuristic's plan (its visits as the first
 * incumbent), within deterministic limits: nodes per component, and a total model size (`workLimit`, non-zeros of
 * the constraint matrices) beyond which the remaining components keep the heuristic's plan and the simple bound.
 * Components go in order of what could be gained (sessions between the plan and each family's capacity). Returns
 * per component whether the plan's (a)/(b) are proven optimal, a better plan when HiGHS found one, and bounds.
 */
export function solveExact(model: PlanningModel, state: PlanState, highs: Highs, workLimit = EXACT_WORK_LIMIT): ComponentOutcome[] {
  const longest = maxTravel(model);
  const capacity = model.families.map((_, f) => familyCapacity(model, f));
  const parts = components(model).map((part, index) => ({
    part,
    index,
    room: part.families.reduce((n, f) => n + Math.max(0, (capacity[f] ?? 0) - (state.familyPlaced[f] ?? 0)), 0),
  }));
  const outcomes: ComponentOutcome[] = [];
  let spent = 0;
  for (const { part, index, room } of [...parts].sort((a, b) => b.room - a.room || a.index - b.index)) {
    if (room === 0) {
      outcomes[index] = bounded(model, part, state, capacity, 'every family at capacity');
      continue;
    }
    const built = componentRows(model, part, longest);
    const size = built.rows.reduce((n, r) => n + r.cols.length, 0);
    if (spent + size > workLimit || built.columns.length > EXACT_MAX_COLUMNS) {
      outcomes[index] = bounded(model, part, state, capacity, 'work limit reached');
      continue;
    }
    spent += size;
    outcomes[index] = solveComponent(model, part, state, highs, built, capacity);
  }
  return outcomes;
}

function componentScore(
  model: PlanningModel,
  part: { families: number[] },
  state: PlanState,
): { missing: number; placed: number; requested: number } {
  let missing = 0;
  let placed = 0;
  let requested = 0;
  for (const f of part.families) {
    const family = model.families[f];
    const n = state.familyPlaced[f] ?? 0;
    missing += Math.max(0, (family?.min ?? 0) - n);
    placed += n;
    requested += family?.requested ?? 0;
  }
  return { missing, placed, requested };
}

/** A component HiGHS did not solve: the bound is its families' capacities (proven when the plan reaches them). */
function bounded(
  model: PlanningModel,
  part: { families: number[]; staff: number[] },
  state: PlanState,
  capacity: readonly number[],
  status: string,
): ComponentOutcome {
  const score = componentScore(model, part, state);
  const weight = score.requested + 1;
  let missing = 0;
  let placed = 0;
  for (const f of part.families) {
    const cap = capacity[f] ?? 0;
    missing += Math.max(0, (model.families[f]?.min ?? 0) - cap);
    placed += cap;
  }
  const objectiveBound = weight * missing - placed;
  return {
    ...part,
    proven: objectiveBound >= weight * score.missing - score.placed,
    improved: undefined,
    objectiveBound,
    placedBound: placed,
    weight,
    status,
    nodes: 0,
  };
}

function solveComponent(
  model: PlanningModel,
  part: { families: number[]; staff: number[] },
  state: PlanState,
  highs: Highs,
  { columns, rows, missingRows }: ReturnType<typeof componentRows>,
  capacity: readonly number[],
): ComponentOutcome {
  const score = componentScore(model, part, state);
  const weight = score.requested + 1;
  const incumbent = weight * score.missing - score.placed;
  const numX = columns.length;
  const numCols = numX + missingRows.length;
  const allRows: Row[] = [...rows];
  missingRows.forEach((m, k) => allRows.push({ cols: [...m.cols, numX + k], upper: Infinity, lower: m.min }));
  const starts = new Int32Array(allRows.length + 1);
  const indices: number[] = [];
  allRows.forEach((r, i) => {
    for (const c of r.cols) indices.push(c);
    starts[i + 1] = indices.length;
  });
  const inf = highs.infinity;
  const colCost = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const integrality = new Int32Array(numCols).fill(1);
  for (let i = 0; i < numX; i++) {
    colCost[i] = -1;
    colUpper[i] = 1;
  }
  missingRows.forEach((m, k) => {
    colCost[numX + k] = weight;
    colUpper[numX + k] = m.min;
  });
  // The heuristic's plan as the first incumbent.
  const key = (c: { task: number; day: number; start: number }) => `${c.task}:${c.day}:${c.start}`;
  const colOf = new Map(columns.map((c, i) => [key(c), i]));
  const initial = new Float64Array(numCols);
  for (const v of state.visits.values()) {
    const i = colOf.get(key(v));
    if (i !== undefined) initial[i] = 1;
  }
  missingRows.forEach((m, k) => {
    initial[numX + k] = Math.max(0, m.min - (state.familyPlaced[m.family] ?? 0));
  });
  const milp = highs.createModel({
    numCols,
    numRows: allRows.length,
    colCost,
    colLower: new Float64Array(numCols),
    colUpper,
    rowLower: Float64Array.from(allRows, (r) => (r.lower === -Infinity ? -inf : r.lower)),
    rowUpper: Float64Array.from(allRows, (r) => (r.upper === Infinity ? inf : r.upper)),
    matrix: {
      format: 'csr',
      numRows: allRows.length,
      numCols,
      starts,
      indices: Int32Array.from(indices),
      values: new Float64Array(indices.length).fill(1),
    },
    integrality,
  });
  try {
    milp.options.set({
      output_flag: false,
      random_seed: 0,
      mip_rel_gap: 0,
      // The objective is a whole number: a gap below 1 proves the incumbent optimal.
      mip_abs_gap: 0.999,
      mip_max_nodes: EXACT_NODE_LIMIT,
      // The root LP bound is nearly always already the optimum; the time goes into rounds of cut separation before
      // the root's sub-MIP heuristic finds the plan that meets it. A small cut pool (default 10,000 rows) ages cuts
      // out sooner and reaches that heuristic 2–4 times faster on the county weeks (deterministic like any option).
      mip_pool_soft_limit: EXACT_CUT_POOL,
    });
    milp.setSolution({ colValue: initial });
    milp.run();
    const status = milp.getModelStatus();
    const dual = Number(milp.info.get('mip_dual_bound'));
    const nodes = Number(milp.info.get('mip_node_count'));
    const objective = Number(milp.getObjectiveValue());
    // The heuristic's plan is feasible for the model: an "optimum" worse than it would mean a row too strong, and
    // such an answer proves nothing (the property tests check it never happens).
    const optimal = status === highs.constants.modelStatus.optimal && Math.round(objective) <= incumbent;
    const capacityBound = bounded(model, part, state, capacity, '').objectiveBound;
    // A dual bound that is not a finite number proves nothing; the capacities still bound the objective.
    const bound = Math.max(
      capacityBound,
      optimal
        ? Math.round(objective)
        : Number.isFinite(dual) && status !== highs.constants.modelStatus.optimal
          ? Math.ceil(dual - 1e-6)
          : capacityBound,
    );
    let improved: Candidate[] | undefined;
    if (Number.isFinite(objective) && Math.round(objective) < incumbent) {
      const values = milp.getSolution().colValue;
      improved = columns.filter((_, i) => (values[i] ?? 0) > 0.5);
    }
    const best = improved ? Math.round(objective) : incumbent;
    const placedBound = part.families.reduce((n, f) => n + (capacity[f] ?? 0), 0);
    const name = optimal || status !== highs.constants.modelStatus.optimal ? statusName(highs, status) : 'inconsistent';
    return { ...part, proven: bound >= best, improved, objectiveBound: Math.min(bound, best), placedBound, weight, status: name, nodes };
  } finally {
    milp.dispose();
  }
}

function statusName(highs: Highs, status: number): string {
  for (const [name, code] of Object.entries(highs.constants.modelStatus)) if (code === status) return name;
  return String(status);
}

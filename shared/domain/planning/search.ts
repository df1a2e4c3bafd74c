import type { Candidate, PlanningModel } from './model.js';
import { PlanState, type PlacedVisit, compareScores } from './plan-state.js';
import { seededRandom } from './random.js';

/** Ruin-and-recreate iterations per family at effort 1 (three times as many above 10 families). */
const ITERATIONS_PER_FAMILY = 100;

/** Work budget (feasibility checks) for the local search, scaled to the instance. */
export function workBudget(model: PlanningModel): number {
  const candidates = model.candidates.reduce((n, c) => n + c.length, 0);
  return 400_000 + candidates * 400;
}

/** How hard a family is to serve: statically possible starts per session it must get. */
function tightness(model: PlanningModel, family: number): number {
  const f = model.families[family];
  if (!f) return 0;
  const starts = f.tasks.reduce((n, t) => n + (model.candidates[t]?.length ?? 0), 0);
  return starts / Math.max(1, f.min || f.requested);
}

/**
 * Construction: families most constrained first, in rounds of one session each, first up to every
 * family's minimum, then up to the full mix. Within a family, the task with the fewest allowed
 * starts goes first (joint visits, needing two people, usually); each visit goes where it adds the
 * least travel.
 */
export function construct(state: PlanState): void {
  const { model } = state;
  const order = model.families
    .map((_, i) => i)
    .sort((a, b) => tightness(model, a) - tightness(model, b) || (model.families[a]?.id ?? '').localeCompare(model.families[b]?.id ?? ''));
  for (const phase of ['minimum', 'full'] as const) {
    let progress = true;
    while (progress) {
      progress = false;
      for (const f of order) {
        const family = model.families[f];
        if (!family) continue;
        if (phase === 'minimum' && (state.familyPlaced[f] ?? 0) >= family.min) continue;
        let chosen: number | undefined;
        let fewest = Infinity;
        for (const t of family.tasks) {
          if (state.remaining(t) <= 0) continue;
          const n = state.feasibleCount(t);
          if (n > 0 && n < fewest) {
            fewest = n;
            chosen = t;
          }
        }
        if (chosen === undefined) continue;
        const c = state.bestCandidate(chosen);
        if (c) {
          state.add(c);
          progress = true;
        }
      }
    }
  }
}

/** Family by family in input order, kinds in the order asked, each visit at the first allowed start. */
export function naiveGreedy(model: PlanningModel): PlanState {
  const state = new PlanState(model);
  model.families.forEach((family) => {
    const order = family.kindOrder;
    const tasks = [...family.tasks].sort((a, b) => order.indexOf(model.tasks[a]?.kind ?? 'joint') - order.indexOf(model.tasks[b]?.kind ?? 'joint'));
    for (const t of tasks) {
      for (const c of model.candidates[t] ?? []) {
        if (state.remaining(t) <= 0) break;
        if (state.canPlace(c)) state.add(c);
      }
    }
  });
  return state;
}

/** Puts every task's open visits where they fit now. Returns true when something was added. */
function insertOpen(state: PlanState): boolean {
  let changed = false;
  for (const task of state.model.tasks) {
    for (let c = state.bestCandidate(task.index); c; c = state.bestCandidate(task.index)) {
      state.add(c);
      changed = true;
    }
  }
  return changed;
}

/**
 * Insertion with ejection: for an open visit, removes the one or two visits in the way of one of its
 * candidates (or one visit holding a day limit), adds it, and re-inserts the removed visits
 * wherever they fit best. Kept only when the objective improves; otherwise everything is undone.
 */
function ejectionPass(state: PlanState, budget: number): boolean {
  const { model } = state;
  let improved = false;
  // Open tasks of families below their minimum first, then the rest; fixed order for determinism.
  const open = model.tasks
    .filter((t) => state.remaining(t.index) > 0)
    .sort((a, b) => {
      const below = (t: typeof a) => ((state.familyPlaced[t.family] ?? 0) < (model.families[t.family]?.min ?? 0) ? 0 : 1);
      return below(a) - below(b) || a.index - b.index;
    });
  for (const task of open) {
    while (state.remaining(task.index) > 0 && state.work < budget) {
      if (!tryEject(state, task.index, budget)) break;
      improved = true;
    }
  }
  return improved;
}

function victimSets(state: PlanState, c: Candidate): number[][] {
  const conflicts = state.conflicts(c);
  if (conflicts.length > 2) return [];
  if (state.hasCapacity(c, conflicts)) return [conflicts];
  if (conflicts.length > 1) return [];
  // A day limit is full: any one visit of that family or staff day may make room.
  const task = state.model.tasks[c.task];
  if (!task) return [];
  const pool = new Set<number>(state.familyDay[task.family]?.[c.day] ?? []);
  for (const s of task.staff) for (const id of state.staffDay[s]?.[c.day] ?? []) pool.add(id);
  const sets: number[][] = [];
  for (const id of [...pool].sort((a, b) => a - b)) {
    if (conflicts.includes(id)) continue;
    const set = [...conflicts, id];
    if (state.hasCapacity(c, set)) sets.push(set);
  }
  return sets;
}

function tryEject(state: PlanState, task: number, budget: number): boolean {
  const before = state.score();
  for (const c of state.model.candidates[task] ?? []) {
    if (state.work >= budget) return false;
    for (const victims of victimSets(state, c)) {
      const removed = victims.map((id) => state.remove(id));
      const addedId = state.add(c);
      const readded: number[] = [];
      for (const v of removed) {
        const same = (x: Candidate) => x.day === v.day && x.start === v.start;
        const r = state.bestCandidate(v.task, same);
        if (r) readded.push(state.add(r));
      }
      if (compareScores(state.score(), before) < 0) return true;
      for (const id of readded) state.remove(id);
      state.remove(addedId);
      removed.forEach((v, k) => state.add({ task: v.task, day: v.day, start: v.start, end: v.end }, victims[k]));
    }
  }
  return false;
}

/** Moves single visits to the allowed start with the least travel. Returns true when travel fell. */
function relocatePass(state: PlanState, budget: number): boolean {
  let improved = false;
  const ids = [...state.visits.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    if (state.work >= budget) break;
    const v = state.visits.get(id);
    if (!v) continue;
    const before = state.travel;
    state.remove(id);
    const best = state.bestCandidate(v.task);
    const after = best ? state.travel + state.insertionTravel(best) : Infinity;
    if (best && after < before) {
      state.add(best);
      improved = true;
    } else state.add({ task: v.task, day: v.day, start: v.start, end: v.end });
  }
  return improved;
}

/**
 * Swaps the days and times of two visits of the same staff member when both fit in the other's slot
 * and travel falls (a move a single relocation cannot make when the week is full).
 */
function swapPass(state: PlanState, budget: number): boolean {
  const { model } = state;
  let improved = false;
  for (let s = 0; s < model.staff.length; s++) {
    const ids = [...new Set(state.staffDay[s]?.flat() ?? [])].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        if (state.work >= budget) return improved;
        const a = state.visits.get(ids[i] ?? -1);
        const b = state.visits.get(ids[j] ?? -1);
        if (!a || !b || a.task === b.task) continue;
        const ta = model.tasks[a.task];
        const tb = model.tasks[b.task];
        if (!ta || !tb || ta.family === tb.family) continue;
        const ca = model.candidates[a.task]?.find((c) => c.day === b.day && c.start === b.start);
        const cb = model.candidates[b.task]?.find((c) => c.day === a.day && c.start === a.start);
        if (!ca || !cb) continue;
        const before = state.score();
        state.remove(ids[i] ?? -1);
        state.remove(ids[j] ?? -1);
        if (state.canPlace(ca)) {
          const na = state.add(ca);
          if (state.canPlace(cb)) {
            const nb = state.add(cb);
            if (compareScores(state.score(), before) < 0) {
              improved = true;
              ids[i] = na;
              ids[j] = nb;
              continue;
            }
            state.remove(nb);
          }
          state.remove(na);
        }
        ids[i] = state.add({ task: a.task, day: a.day, start: a.start, end: a.end });
        ids[j] = state.add({ task: b.task, day: b.day, start: b.start, end: b.end });
      }
    }
  }
  return improved;
}

/**
 * Regret insertion: repeatedly inserts the session whose best start is most better than its second
 * best (one with a single option left goes first), so that flexible sessions do not take the only
 * room of inflexible ones. Returns the ids added.
 */
function regretInsert(state: PlanState, tasks: number[]): number[] {
  const added: number[] = [];
  const pending = [...tasks];
  while (pending.length > 0) {
    let chosen = -1;
    let chosenCandidate: Candidate | undefined;
    let bestRegret = -Infinity;
    for (let i = 0; i < pending.length; i++) {
      const task = pending[i] ?? 0;
      let best: Candidate | undefined;
      let first = Infinity;
      let second = Infinity;
      if (state.remaining(task) > 0) {
        for (const c of state.model.candidates[task] ?? []) {
          if (!state.hasCapacity(c) || !state.isClear(c)) continue;
          const cost = state.insertionTravel(c);
          if (cost < first) {
            second = first;
            first = cost;
            best = c;
          } else if (cost < second) second = cost;
        }
      }
      const regret = best ? (second === Infinity ? 1e6 : second - first) : -1;
      if (regret > bestRegret) {
        bestRegret = regret;
        chosen = i;
        chosenCandidate = best;
      }
    }
    if (chosen < 0) break;
    pending.splice(chosen, 1);
    if (chosenCandidate) added.push(state.add(chosenCandidate));
  }
  return added;
}

/**
 * Ruin and recreate (large neighbourhood search): removes a related group of visits — a family and
 * a neighbour of it, one staff member's day and another day, or a few of one person's visits —
 * and puts the removed and any open sessions of the people involved back, each where it adds the
 * least travel (occasionally skipping a start, for variety). Kept when the objective is no worse
 * (so the search can cross plateaus), undone otherwise. Seeded, so deterministic.
 */
function ruinAndRecreate(state: PlanState, budget: number, maxIterations: number): void {
  const { model } = state;
  const random = seededRandom(0x1cb);
  const pickOf = <T>(list: ArrayLike<T>): T | undefined => list[Math.floor(random() * list.length)];
  for (let iteration = 0; iteration < maxIterations && state.work < budget; iteration++) {
    // The ids in increasing order, in a typed array (sorted numerically without a comparator callback): the same
    // order as before, several times faster — this ran once per iteration and was the loop's largest cost.
    const ids = new Int32Array(state.visits.size);
    let n = 0;
    for (const id of state.visits.keys()) ids[n++] = id;
    const seed = pickOf(ids.sort());
    const seedVisit = seed === undefined ? undefined : state.visits.get(seed);
    const seedTask = seedVisit ? model.tasks[seedVisit.task] : undefined;
    if (!seedVisit || !seedTask) return;
    const victims = new Set<number>();
    let forced: Candidate | undefined;
    const r = random();
    const open = r < 0.3 ? model.tasks.filter((t) => state.remaining(t.index) > 0) : [];
    if (open.length > 0) {
      // Make room for an open session at one of its possible starts: remove whatever is in the way.
      const task = pickOf(open);
      const c = task ? pickOf(model.candidates[task.index] ?? []) : undefined;
      if (!task || !c) continue;
      for (const id of state.conflicts(c)) victims.add(id);
      if (!state.hasCapacity(c, [...victims])) {
        const pool = [...(state.familyDay[task.family]?.[c.day] ?? []), ...task.staff.flatMap((s) => state.staffDay[s]?.[c.day] ?? [])].sort(
          (a, b) => a - b,
        );
        const extra = pickOf(pool);
        if (extra !== undefined) victims.add(extra);
      }
      forced = c;
    } else if (r < 0.45) {
      // The family and one other family of the same staff.
      const staffMember = pickOf(seedTask.staff) ?? 0;
      const other = pickOf(state.staffDay[staffMember]?.flat() ?? []);
      const families = new Set([seedTask.family, model.tasks[state.visits.get(other ?? -1)?.task ?? -1]?.family ?? seedTask.family]);
      for (const f of families) for (const list of state.familyDay[f] ?? []) for (const id of list) victims.add(id);
    } else if (r < 0.85) {
      // One staff member's day and one other day, or both of the family's therapists on those days.
      const family = model.families[seedTask.family];
      const pairTask = family?.tasks.map((t) => model.tasks[t]).find((t) => t?.kind === 'joint');
      const people = r < 0.65 || !pairTask ? [pickOf(seedTask.staff) ?? 0] : pairTask.staff;
      const days = [seedVisit.day, Math.floor(random() * model.days.length)];
      for (const staffMember of people) for (const d of days) for (const id of state.staffDay[staffMember]?.[d] ?? []) victims.add(id);
    } else {
      const staffMember = pickOf(seedTask.staff) ?? 0;
      const own = (state.staffDay[staffMember]?.flat() ?? []).sort((a, b) => a - b);
      const k = 2 + Math.floor(random() * 3);
      for (let i = 0; i < k; i++) {
        const id = pickOf(own);
        if (id !== undefined) victims.add(id);
      }
    }
    const before = state.score();
    const removed: [number, PlacedVisit][] = [...victims].sort((a, b) => a - b).map((id) => [id, state.remove(id)]);
    const staffInvolved = new Set<number>();
    for (const [, v] of removed) for (const s of model.tasks[v.task]?.staff ?? []) staffInvolved.add(s);
    // Re-insert the removed sessions together with the open ones of the same families (so a joint
    // visit may give way to an individual one), joint visits first half of the time.
    const jointFirst = random() < 0.5;
    const order = removed.map(([, v]) => ({ task: v.task, key: (jointFirst && model.tasks[v.task]?.kind === 'joint' ? 0 : 1) + random() }));
    const families = new Set(removed.map(([, v]) => model.tasks[v.task]?.family ?? -1));
    for (const f of [...families].sort((a, b) => a - b)) {
      for (const t of model.families[f]?.tasks ?? []) {
        for (let k = state.remaining(t) - order.filter((o) => o.task === t).length; k > 0; k--) order.push({ task: t, key: 1 + random() });
      }
    }
    order.sort((a, b) => a.key - b.key);
    const added: number[] = [];
    if (forced) {
      for (const s of model.tasks[forced.task]?.staff ?? []) staffInvolved.add(s);
      if (state.canPlace(forced)) added.push(state.add(forced));
    }
    const blink = () => random() < 0.08;
    if (random() < 0.5) {
      for (const { task } of order) {
        const c = state.bestCandidate(task, blink);
        if (c) added.push(state.add(c));
      }
    } else
      added.push(
        ...regretInsert(
          state,
          order.map((o) => o.task),
        ),
      );
    for (const task of model.tasks) {
      if (state.remaining(task.index) <= 0 || !task.staff.some((s) => staffInvolved.has(s))) continue;
      for (let c = state.bestCandidate(task.index); c; c = state.bestCandidate(task.index)) added.push(state.add(c));
    }
    if (compareScores(state.score(), before) <= 0) continue;
    for (const id of added) state.remove(id);
    for (const [id, v] of removed) state.add({ task: v.task, day: v.day, start: v.start, end: v.end }, id);
  }
}

/** Builds a plan: construction, then insertion, ejection and travel moves until nothing improves, then ruin and recreate, within the budget. */
export function search(model: PlanningModel, effort = 1): PlanState {
  // Start from the better of the construction and the naive greedy, so the plan is never worse than the floor.
  const constructed = new PlanState(model);
  construct(constructed);
  const greedy = naiveGreedy(model);
  const state = compareScores(greedy.score(), constructed.score()) < 0 ? greedy : constructed;
  state.work = constructed.work + greedy.work;
  improveState(state, effort);
  return state;
}

/**
 * Local search and ruin and recreate on a plan, within the work budget counted from `state.work` (the budget is
 * the instance's, scaled by `effort`). Never makes the plan worse on the objective: used after construction and
 * again on the exact phase's plan, to bring its travel down without giving up a session.
 */
export function improveState(state: PlanState, effort = 1): void {
  const { model } = state;
  const budget = workBudget(model) * effort;
  const improve = (limit: number) => {
    for (let round = 0; round < 50 && state.work < limit; round++) {
      let changed = insertOpen(state);
      changed = ejectionPass(state, limit) || changed;
      changed = relocatePass(state, limit) || changed;
      changed = swapPass(state, limit) || changed;
      if (!changed) break;
    }
  };
  improve(budget / 2);
  // Small teams re-plan interactively (a pilot well under 100 ms); larger ones can afford more iterations per family.
  const perFamily = model.families.length <= 10 ? ITERATIONS_PER_FAMILY : ITERATIONS_PER_FAMILY * 3;
  ruinAndRecreate(state, budget, Math.round(perFamily * effort * model.families.length));
  improve(budget * 1.2);
  insertOpen(state);
}

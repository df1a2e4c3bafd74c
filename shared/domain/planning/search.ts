import type { Candidate, PlanningModel } from './model.js';
import { PlanState, compareScores } from './plan-state.js';

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

/** Builds a plan: construction, then insertion, ejection and travel moves until nothing improves or the budget is spent. */
export function search(model: PlanningModel): PlanState {
  const state = new PlanState(model);
  const budget = workBudget(model);
  construct(state);
  for (let round = 0; round < 50 && state.work < budget; round++) {
    let changed = insertOpen(state);
    changed = ejectionPass(state, budget) || changed;
    changed = relocatePass(state, budget) || changed;
    changed = swapPass(state, budget) || changed;
    if (!changed) break;
  }
  insertOpen(state);
  return state;
}

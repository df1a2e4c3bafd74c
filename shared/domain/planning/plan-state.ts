import type { Candidate, PlanningModel } from './model.js';
import { hasRoom, keepsTravel, overlaps } from './rules.js';

/** A placed visit: a task on a day from `start` to `end` (minutes of that day). */
export interface PlacedVisit {
  task: number;
  day: number;
  start: number;
  end: number;
}

/** The lexicographic objective of §4: missing below minimum, then placed (more is better), then travel. */
export interface Score {
  missing: number;
  placed: number;
  travel: number;
}

/** Negative when `a` is better than `b`, positive when worse, 0 when equal. */
export function compareScores(a: Score, b: Score): number {
  if (a.missing !== b.missing) return a.missing - b.missing;
  if (a.placed !== b.placed) return b.placed - a.placed;
  return a.travel - b.travel;
}

function countWithout(ids: readonly number[], without: readonly number[]): number {
  if (without.length === 0) return ids.length;
  let n = 0;
  for (const id of ids) if (!without.includes(id)) n++;
  return n;
}

/**
 * A mutable partial plan with the indexes the engine needs: visits per staff day (by start) and per
 * family day, counts per task and family, and the objective kept up to date on every change.
 */
export class PlanState {
  readonly visits = new Map<number, PlacedVisit>();
  private nextId = 0;
  readonly staffDay: number[][][];
  readonly familyDay: number[][][];
  readonly staffDayTravel: number[][];
  readonly taskPlaced: number[];
  readonly familyPlaced: number[];
  missing = 0;
  placed = 0;
  travel = 0;
  /** Feasibility checks done, the deterministic work budget's unit. */
  work = 0;
  private readonly maxTravel: number;
  /** The model's travel matrix as a lookup, for the rules (bound once: the feasibility checks are the hot path). */
  private readonly drive = (from: number, to: number): number => this.model.travel[from]?.[to] ?? 0;

  constructor(readonly model: PlanningModel) {
    this.staffDay = model.staff.map(() => model.days.map(() => []));
    this.staffDayTravel = model.staff.map(() => model.days.map(() => 0));
    this.familyDay = model.families.map(() => model.days.map(() => []));
    this.taskPlaced = model.tasks.map(() => 0);
    this.familyPlaced = model.families.map(() => 0);
    this.missing = model.families.reduce((n, f) => n + f.min, 0);
    this.maxTravel = Math.max(0, ...model.travel.flat());
  }

  score(): Score {
    return { missing: this.missing, placed: this.placed, travel: this.travel };
  }

  placeOf(id: number): number {
    const v = this.visits.get(id);
    const t = v ? this.model.tasks[v.task] : undefined;
    return t ? (this.model.families[t.family]?.place ?? 0) : 0;
  }

  private t(from: number, to: number): number {
    return this.model.travel[from]?.[to] ?? 0;
  }

  /** Remaining visits a task may still get (rule 5). */
  remaining(task: number): number {
    return (this.model.tasks[task]?.count ?? 0) - (this.taskPlaced[task] ?? 0);
  }

  /** Visits that stand in the way of `c` (overlap or too little travel time), for the family and each staff member. */
  conflicts(c: Candidate): number[] {
    const task = this.model.tasks[c.task];
    if (!task) return [];
    const family = this.model.families[task.family];
    const place = family?.place ?? 0;
    const found: number[] = [];
    for (const id of this.familyDay[task.family]?.[c.day] ?? []) {
      const v = this.visits.get(id);
      if (v && overlaps(v.start, v.end, c.start, c.end)) found.push(id);
    }
    for (const s of task.staff) {
      for (const id of this.staffDay[s]?.[c.day] ?? []) {
        const v = this.visits.get(id);
        if (!v) continue;
        if (!keepsTravel(v.start, v.end, this.placeOf(id), c.start, c.end, place, this.drive) && !found.includes(id)) found.push(id);
      }
    }
    this.work += 1;
    return found;
  }

  /** True when the day limits of the family and staff leave room for one more visit, ignoring the visits in `without`. */
  hasCapacity(c: Candidate, without: readonly number[] = []): boolean {
    const task = this.model.tasks[c.task];
    const family = task ? this.model.families[task.family] : undefined;
    if (!task || !family) return false;
    if (!hasRoom(countWithout(this.familyDay[task.family]?.[c.day] ?? [], without), family.booked[c.day] ?? 0, family.maxPerDay)) return false;
    for (const s of task.staff) {
      const staff = this.model.staff[s];
      if (!hasRoom(countWithout(this.staffDay[s]?.[c.day] ?? [], without), staff?.booked[c.day] ?? 0, staff?.maxPerDay ?? 0)) return false;
    }
    return true;
  }

  /** True when nothing stands in the way of `c` (no overlap, enough travel time); the fast path of `conflicts`. */
  isClear(c: Candidate): boolean {
    this.work += 1;
    const task = this.model.tasks[c.task];
    if (!task) return false;
    const place = this.model.families[task.family]?.place ?? 0;
    for (const id of this.familyDay[task.family]?.[c.day] ?? []) {
      const v = this.visits.get(id);
      if (v && overlaps(v.start, v.end, c.start, c.end)) return false;
    }
    for (const s of task.staff) {
      for (const id of this.staffDay[s]?.[c.day] ?? []) {
        const v = this.visits.get(id);
        if (!v) continue;
        // Further apart than the longest drive: clear whatever the places (saves the look-ups).
        if (v.start >= c.end + this.maxTravel || v.end + this.maxTravel <= c.start) continue;
        if (!keepsTravel(v.start, v.end, this.placeOf(id), c.start, c.end, place, this.drive)) return false;
      }
    }
    return true;
  }

  /** True when `c` can be added now without breaking a rule. */
  canPlace(c: Candidate): boolean {
    return this.remaining(c.task) > 0 && this.hasCapacity(c) && this.isClear(c);
  }

  private dayTravel(s: number, day: number, extra?: { start: number; place: number }): number {
    const base = this.model.staff[s]?.base ?? 0;
    const ids = this.staffDay[s]?.[day] ?? [];
    if (ids.length === 0 && !extra) return 0;
    let total = 0;
    let at = base;
    let inserted = !extra;
    for (const id of ids) {
      const v = this.visits.get(id);
      if (extra && !inserted && v && v.start > extra.start) {
        total += this.t(at, extra.place);
        at = extra.place;
        inserted = true;
      }
      const p = this.placeOf(id);
      total += this.t(at, p);
      at = p;
    }
    if (extra && !inserted) {
      total += this.t(at, extra.place);
      at = extra.place;
    }
    return total + this.t(at, base);
  }

  /** Extra travel minutes adding `c` would cost. */
  insertionTravel(c: Candidate): number {
    const task = this.model.tasks[c.task];
    if (!task) return 0;
    const place = this.model.families[task.family]?.place ?? 0;
    let delta = 0;
    for (const s of task.staff) delta += this.dayTravel(s, c.day, { start: c.start, place }) - (this.staffDayTravel[s]?.[c.day] ?? 0);
    return delta;
  }

  private refreshTravel(s: number, day: number): void {
    const row = this.staffDayTravel[s];
    if (!row) return;
    const now = this.dayTravel(s, day);
    this.travel += now - (row[day] ?? 0);
    row[day] = now;
  }

  /** Adds a visit (the caller has checked it is allowed) and returns its id; `reuse` restores a removed visit's id. */
  add(c: Candidate, reuse?: number): number {
    const task = this.model.tasks[c.task];
    if (!task) throw new RangeError(`no task ${c.task}`);
    const id = reuse ?? this.nextId++;
    this.visits.set(id, { task: c.task, day: c.day, start: c.start, end: c.end });
    this.familyDay[task.family]?.[c.day]?.push(id);
    for (const s of task.staff) {
      const list = this.staffDay[s]?.[c.day];
      if (!list) continue;
      // Insert in start order (the lists are short; no sort callback in this hot path).
      let at = list.length;
      while (at > 0 && (this.visits.get(list[at - 1] ?? -1)?.start ?? 0) > c.start) at--;
      list.splice(at, 0, id);
      this.refreshTravel(s, c.day);
    }
    this.taskPlaced[c.task] = (this.taskPlaced[c.task] ?? 0) + 1;
    const before = this.familyPlaced[task.family] ?? 0;
    this.familyPlaced[task.family] = before + 1;
    if (before < (this.model.families[task.family]?.min ?? 0)) this.missing -= 1;
    this.placed += 1;
    return id;
  }

  /** Removes a visit and returns what it was. */
  remove(id: number): PlacedVisit {
    const v = this.visits.get(id);
    const task = v ? this.model.tasks[v.task] : undefined;
    if (!v || !task) throw new RangeError(`no visit ${id}`);
    const familyList = this.familyDay[task.family]?.[v.day];
    familyList?.splice(familyList.indexOf(id), 1);
    for (const s of task.staff) {
      const list = this.staffDay[s]?.[v.day];
      list?.splice(list.indexOf(id), 1);
    }
    this.visits.delete(id);
    for (const s of task.staff) this.refreshTravel(s, v.day);
    this.taskPlaced[v.task] = (this.taskPlaced[v.task] ?? 0) - 1;
    const after = (this.familyPlaced[task.family] ?? 0) - 1;
    this.familyPlaced[task.family] = after;
    if (after < (this.model.families[task.family]?.min ?? 0)) this.missing += 1;
    this.placed -= 1;
    return v;
  }

  /** The allowed candidate of a task with the least extra travel (ties: earliest day, then start), if any. */
  bestCandidate(task: number, avoid?: (c: Candidate) => boolean): Candidate | undefined {
    if (this.remaining(task) <= 0) return undefined;
    let best: Candidate | undefined;
    let bestCost = Infinity;
    const family = this.model.tasks[task]?.family ?? 0;
    for (const c of this.model.candidates[task] ?? []) {
      if (avoid?.(c)) continue;
      if (!this.hasCapacity(c) || !this.isClear(c)) continue;
      // Spread a family's visits over the week when travel is equal: a day it already has costs a little more.
      const cost = this.insertionTravel(c) * 8 + (this.familyDay[family]?.[c.day]?.length ?? 0);
      if (cost < bestCost) {
        best = c;
        bestCost = cost;
      }
    }
    return best;
  }

  /** Number of allowed candidates of a task right now. */
  feasibleCount(task: number): number {
    let n = 0;
    for (const c of this.model.candidates[task] ?? []) if (this.hasCapacity(c) && this.isClear(c)) n++;
    return n;
  }
}

import type { PlanningProblem, PlanningSessionKind } from '../../schemas/planning.js';
import { gridStarts, keepsTravel, overlaps, staffOfKind, travelLookup, workingSpan } from './rules.js';
import { DAY_MINUTES, type WeekDay, clockMinutes, daysBetween, planningWeek, splitLocal } from './time-grid.js';

/** An engagement that is not a visit: a busy block's part on one day, in minutes of that day. */
export interface BusyPiece {
  start: number;
  end: number;
  place: number;
}

export interface StaffModel {
  id: string;
  base: number;
  /** Working hours per day index (0 = Monday), or undefined when not working that weekday. */
  hours: ({ start: number; end: number } | undefined)[];
  /** Busy pieces per day index, sorted by start. */
  busy: BusyPiece[][];
  maxPerDay: number;
  /** Visits already booked per day index (busy blocks marked countsAsVisit): they use up maxPerDay too. */
  booked: number[];
}

export interface FamilyModel {
  id: string;
  place: number;
  placeName: string;
  min: number;
  maxPerDay: number;
  /** Visits already booked per day index (bookedDates): they use up maxPerDay too. */
  booked: number[];
  /** Windows per day index. */
  windows: { start: number; end: number }[][];
  /** Indices into `tasks`. */
  tasks: number[];
  /** Session kinds in the order the family lists them (for the naive greedy baseline). */
  kindOrder: PlanningSessionKind[];
  requested: number;
}

/** One session kind of one family: `count` visits of `minutes`, by `staff`. */
export interface TaskModel {
  index: number;
  family: number;
  kind: PlanningSessionKind;
  staff: number[];
  minutes: number;
  count: number;
}

/** A possible visit of a task: day and start minute. Statically valid (rule 1, busy blocks, base travel). */
export interface Candidate {
  task: number;
  day: number;
  start: number;
  end: number;
}

export interface PlanningModel {
  week: string;
  days: WeekDay[];
  slot: number;
  places: string[];
  /** travel[from][to] in minutes. */
  travel: number[][];
  staff: StaffModel[];
  families: FamilyModel[];
  tasks: TaskModel[];
  /** Statically valid candidates per task, ordered by day then start. */
  candidates: Candidate[][];
}

/** Compiles a validated problem into index-based structures the engine and the diagnostics share. */
export function buildModel(problem: PlanningProblem): PlanningModel {
  const days = planningWeek(problem.week, problem.timeZone, problem.holidays);
  const monday = days[0]?.date ?? '';
  const placeIndex = new Map<string, number>();
  const places: string[] = [];
  const place = (name: string): number => {
    let i = placeIndex.get(name);
    if (i === undefined) {
      i = places.length;
      places.push(name);
      placeIndex.set(name, i);
    }
    return i;
  };
  for (const s of problem.staff) place(s.base);
  for (const f of problem.families) place(f.place);
  for (const s of problem.staff) for (const b of s.busy) place(b.place ?? s.base);
  const drive = travelLookup(problem.travelMinutes);
  const travel = places.map((from) => places.map((to) => drive(from, to)));

  const staffIndex = new Map<string, number>();
  const staff: StaffModel[] = problem.staff.map((s, i) => {
    staffIndex.set(s.id, i);
    const hours: StaffModel['hours'] = days.map(() => undefined);
    for (const h of s.workingHours) hours[h.weekday - 1] = { start: clockMinutes(h.start), end: clockMinutes(h.end) };
    const busy: BusyPiece[][] = days.map(() => []);
    for (const b of s.busy) {
      const from = splitLocal(b.start);
      const to = splitLocal(b.end);
      const startAbs = daysBetween(monday, from.date) * DAY_MINUTES + from.minute;
      const endAbs = daysBetween(monday, to.date) * DAY_MINUTES + to.minute;
      for (let d = 0; d < 7; d++) {
        const start = Math.max(startAbs, d * DAY_MINUTES) - d * DAY_MINUTES;
        const end = Math.min(endAbs, (d + 1) * DAY_MINUTES) - d * DAY_MINUTES;
        if (end > start) busy[d]?.push({ start, end, place: place(b.place ?? s.base) });
      }
    }
    for (const list of busy) list.sort((a, b) => a.start - b.start || a.end - b.end);
    const booked = days.map(() => 0);
    for (const b of s.busy.filter((x) => x.countsAsVisit === true)) {
      const d = daysBetween(monday, splitLocal(b.start).date);
      if (d >= 0 && d < 7) booked[d] = (booked[d] ?? 0) + 1;
    }
    return { id: s.id, base: place(s.base), hours, busy, maxPerDay: s.maxVisitsPerDay, booked };
  });

  const tasks: TaskModel[] = [];
  const families: FamilyModel[] = problem.families.map((f, fi) => {
    const windows: { start: number; end: number }[][] = days.map(() => []);
    for (const w of f.windows) windows[w.weekday - 1]?.push({ start: clockMinutes(w.start), end: clockMinutes(w.end) });
    for (const list of windows) list.sort((a, b) => a.start - b.start);
    const ft = staffIndex.get(f.familyTherapist) ?? -1;
    const it = staffIndex.get(f.individualTherapist) ?? -1;
    const own: number[] = [];
    // Kinds in a fixed order so the output does not depend on the order of `sessions`.
    for (const kind of ['joint', 'family', 'individual'] as const) {
      const s = f.sessions.find((x) => x.kind === kind);
      if (!s || s.count === 0) continue;
      const taskStaff = staffOfKind(kind, ft, it);
      own.push(tasks.length);
      tasks.push({ index: tasks.length, family: fi, kind, staff: taskStaff, minutes: s.minutes, count: s.count });
    }
    return {
      id: f.id,
      place: place(f.place),
      placeName: f.place,
      min: f.minSessions,
      maxPerDay: f.maxSessionsPerDay,
      booked: days.map((_, d) => (f.bookedDates ?? []).filter((date) => daysBetween(monday, date) === d).length),
      windows,
      tasks: own,
      kindOrder: f.sessions.map((s) => s.kind),
      requested: f.sessions.reduce((n, s) => n + s.count, 0),
    };
  });

  const model: PlanningModel = { week: problem.week, days, slot: problem.slotMinutes, places, travel, staff, families, tasks, candidates: [] };
  model.candidates = tasks.map((t) => taskCandidates(model, t));
  return model;
}

/** The model's travel matrix as a lookup (indices of `places`; every pair is in it, see `buildModel`). */
export function modelTravel(model: PlanningModel): (from: number, to: number) => number {
  return (from, to) => model.travel[from]?.[to] ?? 0;
}

function travelOf(model: PlanningModel, from: number, to: number): number {
  return model.travel[from]?.[to] ?? 0;
}

/** True when a visit at `place` in [start, end) keeps the travel gaps to every busy piece of that staff day (rule 2). */
export function clearOfBusy(model: PlanningModel, pieces: readonly BusyPiece[], place: number, start: number, end: number): boolean {
  const travel = modelTravel(model);
  return pieces.every((b) => keepsTravel(b.start, b.end, b.place, start, end, place, travel));
}

/** The latest start and earliest end a staff member's working hours allow for a visit at `place` on a day. */
export function staffSpan(model: PlanningModel, s: StaffModel, day: number, place: number): { start: number; end: number } | undefined {
  const h = s.hours[day];
  if (!h) return undefined;
  return workingSpan(h, travelOf(model, s.base, place), travelOf(model, place, s.base));
}

function taskCandidates(model: PlanningModel, task: TaskModel): Candidate[] {
  const family = model.families[task.family];
  const result: Candidate[] = [];
  if (!family) return result;
  for (const day of model.days) {
    if (day.holiday !== undefined) continue;
    const windows = family.windows[day.index] ?? [];
    const starts = new Set<number>();
    for (const w of windows) {
      let lo = w.start;
      let hi = w.end;
      for (const si of task.staff) {
        const s = model.staff[si];
        const span = s ? staffSpan(model, s, day.index, family.place) : undefined;
        if (!span) {
          hi = -1;
          break;
        }
        lo = Math.max(lo, span.start);
        hi = Math.min(hi, span.end);
      }
      for (const start of gridStarts(lo, hi, task.minutes, model.slot)) {
        const end = start + task.minutes;
        if (day.gaps.some((g) => overlaps(start, end, g.start, g.end))) continue;
        const free = task.staff.every((si) => clearOfBusy(model, model.staff[si]?.busy[day.index] ?? [], family.place, start, end));
        if (free) starts.add(start);
      }
    }
    for (const start of [...starts].sort((a, b) => a - b)) result.push({ task: task.index, day: day.index, start, end: start + task.minutes });
  }
  return result;
}

import { DateTime } from 'luxon';
import type { PlanningFamily, PlanningProblem, PlanningSessionKind } from '../../schemas/planning.js';
import type { Candidate, PlanningModel } from '../planning/model.js';
import { buildModel, modelTravel } from '../planning/model.js';
import { dayRoute } from '../planning/rules.js';
import { PlanState } from '../planning/plan-state.js';
import { shortfallReason } from '../planning/shortfall-reasons.js';
import { DAY_MINUTES, clockMinutes, daysBetween, formatLocal, splitLocal } from '../planning/time-grid.js';

/** A visit of the week as the repair sees it: local wall-clock times in the problem's zone. */
export interface WeekVisit {
  id: string;
  family: string;
  kind: PlanningSessionKind;
  staff: readonly string[];
  place: string;
  start: string;
  end: string;
}

/** A re-placed visit: where it goes. */
export interface RepairMove {
  visit: string;
  start: string;
  end: string;
  /** The pair's extra driving that day with the visit there (0 = on the way). */
  extraTravelMinutes: number;
}

export interface RepairResult {
  moves: RepairMove[];
  unplaced: { visit: string; reason: string }[];
  stats: { affected: number; moved: number; unplaced: number; extraTravelMinutes: number; searchNodes: number };
}

/** Search budget: nodes of the branch and bound (deterministic, so the same input always gives the same proposal). */
const NODE_BUDGET = 40_000;
/** Candidates tried per visit at each node, cheapest first. */
const BRANCHING = 6;

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * The repair problem: the week's problem with every kept visit as a fixed busy block of its staff (counting toward
 * their daily maximum), the families' windows cut around their own kept visits, and as the only sessions to place
 * the affected visits, all of them required. `base` carries the staff's hours, absences, meetings and the holidays,
 * with no visits in it.
 */
function repairProblem(base: PlanningProblem, kept: readonly WeekVisit[], affected: readonly WeekVisit[]): PlanningProblem {
  const staff = base.staff.map((s) => ({
    ...s,
    busy: [
      ...s.busy,
      ...kept
        .filter((v) => v.staff.includes(s.id))
        .map((v) => ({ start: v.start, end: v.end, place: v.place, label: `visit:${v.id}`, countsAsVisit: true })),
    ],
  }));
  const families: PlanningFamily[] = [];
  for (const f of base.families) {
    const mine = affected.filter((v) => v.family === f.id);
    if (mine.length === 0) continue;
    const own = kept.filter((v) => v.family === f.id);
    const sessions = (['family', 'individual', 'joint'] as const).flatMap((kind) => {
      const ofKind = mine.filter((v) => v.kind === kind);
      // A slot long enough for the longest of them holds each (they end at their own length).
      return ofKind.length === 0 ? [] : [{ kind, count: ofKind.length, minutes: Math.max(...ofKind.map(minutesOf)) }];
    });
    families.push({
      ...f,
      sessions,
      minSessions: mine.length,
      windows: cutWindows(f, own),
      bookedDates: own.map((v) => v.start.slice(0, 10)),
    });
  }
  return { ...base, staff, families };
}

function minutesOf(v: WeekVisit): number {
  const a = splitLocal(v.start);
  const b = splitLocal(v.end);
  return daysBetween(a.date, b.date) * DAY_MINUTES + b.minute - a.minute;
}

/** A family's windows less the times of its own kept visits (a family is never visited twice at once). */
function cutWindows(family: PlanningFamily, own: readonly WeekVisit[]): PlanningFamily['windows'] {
  return family.windows.flatMap((w) => {
    const sameDay = own.filter((v) => isoWeekday(v.start.slice(0, 10)) === w.weekday);
    let pieces = [{ start: clockMinutes(w.start), end: clockMinutes(w.end) }];
    for (const v of sameDay) {
      const bs = splitLocal(v.start).minute;
      const be = v.end.slice(0, 10) === v.start.slice(0, 10) ? splitLocal(v.end).minute : DAY_MINUTES;
      pieces = pieces
        .flatMap((p) => [
          { start: p.start, end: Math.min(p.end, bs) },
          { start: Math.max(p.start, be), end: p.end },
        ])
        .filter((p) => p.end > p.start);
    }
    return pieces.map((p) => ({ weekday: w.weekday, start: hhmm(p.start), end: p.end >= DAY_MINUTES ? '24:00' : hhmm(p.end) }));
  });
}

const isoWeekday = (date: string): number => DateTime.fromISO(date, { zone: 'utc' }).weekday;

/** Driving minutes of one staff member's day: base → stops in time order → base. */
function dayDrive(model: PlanningModel, base: number, stops: readonly { start: number; place: number }[]): number {
  return dayRoute(
    base,
    [...stops].sort((a, b) => a.start - b.start).map((s) => s.place),
    modelTravel(model),
  );
}

/**
 * Re-places the visits an absence (or anything else) has made invalid, keeping every other visit exactly where it is
 * (SPEC §4): each affected visit keeps its kind and so its staff, and goes into its family's windows and its staff's
 * working hours, on a non-holiday, clear of absences, meetings and kept visits with the travel between, within the
 * daily maximums. Lexicographic objective: most visits re-placed (every re-placed visit is one move, and no kept visit
 * moves, so this is also the fewest moves for the most re-placed), then least extra travel, then closest to the
 * original time. Exact for small cases (branch and bound), bounded by a fixed node budget. What cannot be re-placed
 * comes back with the planner's own shortfall reason.
 */
export function repairWeek(base: PlanningProblem, kept: readonly WeekVisit[], affected: readonly WeekVisit[]): RepairResult {
  const problem = repairProblem(base, kept, affected);
  const model = buildModel(problem);
  const state = new PlanState(model);
  const familyIndex = new Map(model.families.map((f, i) => [f.id, i]));
  const monday = model.days[0]?.date ?? '';
  const abs = (local: string) => {
    const { date, minute } = splitLocal(local);
    return daysBetween(monday, date) * DAY_MINUTES + minute;
  };

  // Fixed stops per staff day (kept visits, meetings, absences at base), for the travel of a day.
  const fixedStops = model.staff.map((s) => s.busy.map((pieces) => pieces.map((p) => ({ start: p.start, place: p.place }))));
  const added = model.staff.map(() => model.days.map((): { start: number; place: number }[] => []));

  interface Item {
    visit: WeekVisit;
    task: number | undefined;
    original: number;
  }
  const items: Item[] = affected.map((visit) => {
    const fi = familyIndex.get(visit.family);
    const task = fi === undefined ? undefined : model.tasks.find((t) => t.family === fi && t.kind === visit.kind)?.index;
    return { visit, task, original: abs(visit.start) };
  });
  // Most constrained first: fewest candidates.
  const order = items
    .filter((i) => i.task !== undefined)
    .sort(
      (a, b) =>
        (model.candidates[a.task ?? 0]?.length ?? 0) - (model.candidates[b.task ?? 0]?.length ?? 0) ||
        a.original - b.original ||
        a.visit.id.localeCompare(b.visit.id),
    );

  const extraOf = (c: Candidate): number => {
    const task = model.tasks[c.task];
    const family = task ? model.families[task.family] : undefined;
    if (!task || !family) return 0;
    let extra = 0;
    for (const si of task.staff) {
      const s = model.staff[si];
      if (!s) continue;
      const stops = [...(fixedStops[si]?.[c.day] ?? []), ...(added[si]?.[c.day] ?? [])];
      extra += dayDrive(model, s.base, [...stops, { start: c.start, place: family.place }]) - dayDrive(model, s.base, stops);
    }
    return extra;
  };

  const current: (Candidate | undefined)[] = order.map(() => undefined);
  let best: { placed: number; travel: number; displacement: number; choice: (Candidate | undefined)[] } = {
    placed: -1,
    travel: Infinity,
    displacement: Infinity,
    choice: [],
  };
  let nodes = 0;
  const better = (placed: number, travel: number, displacement: number) =>
    placed > best.placed || (placed === best.placed && (travel < best.travel || (travel === best.travel && displacement < best.displacement)));

  const visitNode = (depth: number, placed: number, travel: number, displacement: number): void => {
    nodes++;
    if (placed + (order.length - depth) < best.placed) return;
    if (placed + (order.length - depth) === best.placed && !better(best.placed, travel, displacement)) return;
    if (depth === order.length) {
      if (better(placed, travel, displacement)) best = { placed, travel, displacement, choice: [...current] };
      return;
    }
    const item = order[depth];
    if (!item || item.task === undefined) return;
    const options: { c: Candidate; extra: number; shift: number }[] = [];
    if (nodes < NODE_BUDGET) {
      for (const c of model.candidates[item.task] ?? []) {
        if (!state.canPlace(c)) continue;
        options.push({ c, extra: extraOf(c), shift: Math.abs(c.day * DAY_MINUTES + c.start - item.original) });
      }
      options.sort((a, b) => a.extra - b.extra || a.shift - b.shift || a.c.day - b.c.day || a.c.start - b.c.start);
    }
    const task = model.tasks[item.task];
    const place = task ? (model.families[task.family]?.place ?? 0) : 0;
    for (const o of options.slice(0, nodes < NODE_BUDGET ? BRANCHING : 1)) {
      const id = state.add(o.c);
      for (const si of task?.staff ?? []) added[si]?.[o.c.day]?.push({ start: o.c.start, place });
      current[depth] = o.c;
      visitNode(depth + 1, placed + 1, travel + o.extra, displacement + o.shift);
      current[depth] = undefined;
      for (const si of task?.staff ?? []) added[si]?.[o.c.day]?.pop();
      state.remove(id);
    }
    visitNode(depth + 1, placed, travel, displacement);
  };
  visitNode(0, 0, 0, 0);

  // Replay the best choice into the state, so the reasons see the final proposal.
  const moves: RepairMove[] = [];
  const unplaced: { visit: string; reason: string }[] = [];
  const chosen = new Map<string, Candidate>();
  best.choice.forEach((c, i) => {
    const item = order[i];
    if (c && item) chosen.set(item.visit.id, c);
  });
  for (const item of order) {
    const c = chosen.get(item.visit.id);
    if (!c) continue;
    const extra = extraOf(c);
    state.add(c);
    const task = model.tasks[c.task];
    const place = task ? (model.families[task.family]?.place ?? 0) : 0;
    for (const si of task?.staff ?? []) added[si]?.[c.day]?.push({ start: c.start, place });
    const date = model.days[c.day]?.date ?? '';
    moves.push({
      visit: item.visit.id,
      start: formatLocal(date, c.start),
      end: formatLocal(date, c.start + minutesOf(item.visit)),
      extraTravelMinutes: extra,
    });
  }
  for (const item of items) {
    if (chosen.has(item.visit.id)) continue;
    const task = item.task === undefined ? undefined : model.tasks[item.task];
    unplaced.push({
      visit: item.visit.id,
      reason: task
        ? shortfallReason(model, state, task)
        : `${item.visit.family} is not planned this week (not active, outside its treatment period, or its pair is not working)`,
    });
  }
  moves.sort((a, b) => a.start.localeCompare(b.start) || a.visit.localeCompare(b.visit));
  return {
    moves,
    unplaced,
    stats: {
      affected: affected.length,
      moved: moves.length,
      unplaced: unplaced.length,
      extraTravelMinutes: moves.reduce((n, m) => n + m.extraTravelMinutes, 0),
      searchNodes: nodes,
    },
  };
}

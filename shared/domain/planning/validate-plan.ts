import type { PlannedVisit, PlanningProblem, PlanningResult } from '../../schemas/planning.js';
import { DAY_MINUTES, clockMinutes, daysBetween, nonexistentMinutes, weekDates, weekHolidays } from './time-grid.js';

/** Which rule a violation breaks: §4's hard rules 1–5, the visit's own shape, or the reported figures. */
export type PlanRule = 'rule1' | 'rule2' | 'rule3' | 'rule4' | 'rule5' | 'shape' | 'stats' | 'shortfalls';

export interface PlanViolation {
  rule: PlanRule;
  message: string;
  /** Index into `result.visits` when one visit is at fault. */
  visit?: number;
}

interface Span {
  day: number;
  start: number;
  end: number;
  place: string;
  visit?: number;
}

/**
 * Checks a plan against every hard rule of §4 and recomputes its stats and shortfall counts,
 * independently of the engine (its own parsing and its own rule code). Empty when the plan is valid.
 */
export function validatePlan(problem: PlanningProblem, result: PlanningResult): PlanViolation[] {
  const out: PlanViolation[] = [];
  const dates = weekDates(problem.week);
  const holidays = weekHolidays(problem.week, problem.holidays);
  const staffById = new Map(problem.staff.map((s) => [s.id, s]));
  const familyById = new Map(problem.families.map((f) => [f.id, f]));
  const travel = (from: string, to: string): number => problem.travelMinutes[from]?.[to] ?? Infinity;
  const monday = dates[0] ?? '';

  if (result.week !== problem.week) out.push({ rule: 'shape', message: `result week ${result.week} is not ${problem.week}` });

  const ok: { v: PlannedVisit; i: number; day: number; start: number; end: number }[] = [];
  result.visits.forEach((v, i) => {
    const at = `visit ${i} (${v.family} ${v.kind} ${v.start})`;
    const family = familyById.get(v.family);
    if (!family) return void out.push({ rule: 'shape', message: `${at}: unknown family`, visit: i });
    const session = family.sessions.find((s) => s.kind === v.kind);
    if (!session) return void out.push({ rule: 'rule5', message: `${at}: the family asks for no ${v.kind} sessions`, visit: i });
    const expected =
      v.kind === 'joint'
        ? [family.familyTherapist, family.individualTherapist]
        : v.kind === 'family'
          ? [family.familyTherapist]
          : [family.individualTherapist];
    if (v.staff.length !== expected.length || !expected.every((id) => v.staff.includes(id))) {
      out.push({ rule: 'rule5', message: `${at}: staffed by ${v.staff.join('+')}, must be ${expected.join('+')}`, visit: i });
    }
    if (v.place !== family.place) out.push({ rule: 'shape', message: `${at}: place ${v.place} is not the family's ${family.place}`, visit: i });
    const day = daysBetween(monday, v.start.slice(0, 10));
    const start = clockMinutes(v.start.slice(11, 16));
    const end = daysBetween(v.start.slice(0, 10), v.end.slice(0, 10)) * DAY_MINUTES + clockMinutes(v.end.slice(11, 16));
    if (day < 0 || day > 6) return void out.push({ rule: 'rule1', message: `${at}: not in week ${problem.week}`, visit: i });
    if (end > DAY_MINUTES || end <= start)
      return void out.push({ rule: 'shape', message: `${at}: must end after it starts, the same day`, visit: i });
    if (end - start !== session.minutes)
      out.push({ rule: 'shape', message: `${at}: lasts ${end - start} minutes, the session is ${session.minutes}`, visit: i });
    const date = dates[day] ?? '';
    const weekday = day + 1;
    if (holidays.has(date)) out.push({ rule: 'rule1', message: `${at}: ${date} is a holiday`, visit: i });
    if (start % problem.slotMinutes !== 0)
      out.push({ rule: 'rule1', message: `${at}: start not on the ${problem.slotMinutes}-minute grid`, visit: i });
    if (nonexistentMinutes(date, problem.timeZone).some((g) => start < g.end && end > g.start)) {
      out.push({ rule: 'rule1', message: `${at}: covers wall-clock time that does not exist (clocks go forward)`, visit: i });
    }
    const inWindow = family.windows.some((w) => w.weekday === weekday && clockMinutes(w.start) <= start && end <= clockMinutes(w.end));
    if (!inWindow) out.push({ rule: 'rule1', message: `${at}: outside the family's windows`, visit: i });
    for (const id of v.staff) {
      const s = staffById.get(id);
      const h = s?.workingHours.find((w) => w.weekday === weekday);
      if (!s || !h) {
        out.push({ rule: 'rule1', message: `${at}: ${id} does not work that day`, visit: i });
        continue;
      }
      if (start < clockMinutes(h.start) || end > clockMinutes(h.end))
        out.push({ rule: 'rule1', message: `${at}: outside ${id}'s working hours`, visit: i });
    }
    ok.push({ v, i, day, start, end });
  });

  // Rule 2 and 4, per staff member and day: every pair of engagements keeps the travel time between them.
  for (const s of problem.staff) {
    for (let day = 0; day < 7; day++) {
      const visits: Span[] = ok
        .filter((x) => x.day === day && x.v.staff.includes(s.id))
        .map((x) => ({ day, start: x.start, end: x.end, place: x.v.place, visit: x.i }));
      if (visits.length === 0) continue;
      const alreadyBooked = s.busy.filter((b) => b.countsAsVisit === true && b.start.slice(0, 10) === dates[day]).length;
      if (visits.length + alreadyBooked > s.maxVisitsPerDay) {
        out.push({
          rule: 'rule4',
          message: `${s.id} has ${visits.length} visits${alreadyBooked ? ` and ${alreadyBooked} booked` : ''} on ${dates[day]}, max ${s.maxVisitsPerDay}`,
        });
      }
      const busy: Span[] = [];
      for (const b of s.busy) {
        const from = daysBetween(monday, b.start.slice(0, 10)) * DAY_MINUTES + clockMinutes(b.start.slice(11, 16));
        const to = daysBetween(monday, b.end.slice(0, 10)) * DAY_MINUTES + clockMinutes(b.end.slice(11, 16));
        const start = Math.max(from, day * DAY_MINUTES) - day * DAY_MINUTES;
        const end = Math.min(to, (day + 1) * DAY_MINUTES) - day * DAY_MINUTES;
        if (end > start) busy.push({ day, start, end, place: b.place ?? s.base });
      }
      for (const a of visits) {
        for (const b of [...visits, ...busy]) {
          if (a === b || (b.visit !== undefined && (b.visit ?? 0) < (a.visit ?? 0))) continue;
          const [first, second] = a.start <= b.start ? [a, b] : [b, a];
          const gap = second.start - first.end;
          const need = travel(first.place, second.place);
          if (gap < need) {
            out.push({
              rule: 'rule2',
              message: `${s.id} on ${dates[day]}: ${gap < 0 ? 'overlap' : `${gap} min`} between ${first.place} ${first.start}–${first.end} and ${second.place} ${second.start}–${second.end}, travel needs ${need}`,
              visit: a.visit,
            });
          }
        }
      }
      const h = s.workingHours.find((w) => w.weekday === day + 1);
      if (!h) continue;
      const sorted = [...visits].sort((x, y) => x.start - y.start);
      const first = sorted[0];
      const last = sorted.at(-1);
      if (first && first.start < clockMinutes(h.start) + travel(s.base, first.place)) {
        out.push({
          rule: 'rule2',
          message: `${s.id} on ${dates[day]}: first visit starts before working hours + travel from ${s.base}`,
          visit: first.visit,
        });
      }
      if (last && last.end > clockMinutes(h.end) - travel(last.place, s.base)) {
        out.push({
          rule: 'rule2',
          message: `${s.id} on ${dates[day]}: last visit ends after working hours − travel back to ${s.base}`,
          visit: last.visit,
        });
      }
    }
  }

  // Rule 3 and 5 per family; then the figures.
  let travelMinutes = 0;
  let familiesBelowMinimum = 0;
  const shortfallMissing = new Map<string, number>();
  for (const sf of result.shortfalls) {
    const key = `${sf.family}/${sf.kind}`;
    if (shortfallMissing.has(key)) out.push({ rule: 'shortfalls', message: `more than one shortfall entry for ${key}` });
    if (!familyById.get(sf.family)?.sessions.some((s) => s.kind === sf.kind))
      out.push({ rule: 'shortfalls', message: `shortfall for ${key}, which the problem does not ask for` });
    shortfallMissing.set(key, (shortfallMissing.get(key) ?? 0) + sf.missing);
  }
  for (const f of problem.families) {
    const mine = result.visits.map((v, i) => ({ v, i })).filter((x) => x.v.family === f.id);
    if (mine.length < f.minSessions) familiesBelowMinimum++;
    for (let day = 0; day < 7; day++) {
      const list = ok.filter((x) => x.v.family === f.id && x.day === day).sort((a, b) => a.start - b.start);
      const alreadyBooked = (f.bookedDates ?? []).filter((date) => date === dates[day]).length;
      if (list.length + alreadyBooked > f.maxSessionsPerDay) {
        out.push({
          rule: 'rule3',
          message: `${f.id} has ${list.length} visits${alreadyBooked ? ` and ${alreadyBooked} booked` : ''} on ${dates[day]}, max ${f.maxSessionsPerDay}`,
        });
      }
      for (let k = 1; k < list.length; k++) {
        const prev = list[k - 1];
        const cur = list[k];
        if (prev && cur && cur.start < prev.end) out.push({ rule: 'rule3', message: `${f.id}: two visits at once on ${dates[day]}`, visit: cur.i });
      }
    }
    for (const s of f.sessions) {
      const placed = mine.filter((x) => x.v.kind === s.kind).length;
      if (placed > s.count) out.push({ rule: 'rule5', message: `${f.id}: ${placed} ${s.kind} visits, count is ${s.count}` });
      const reported = shortfallMissing.get(`${f.id}/${s.kind}`) ?? 0;
      if (reported !== Math.max(0, s.count - placed)) {
        out.push({ rule: 'shortfalls', message: `${f.id} ${s.kind}: ${Math.max(0, s.count - placed)} missing, shortfalls say ${reported}` });
      }
    }
  }
  for (const s of problem.staff) {
    for (let day = 0; day < 7; day++) {
      const places = ok
        .filter((x) => x.day === day && x.v.staff.includes(s.id))
        .sort((a, b) => a.start - b.start)
        .map((x) => x.v.place);
      if (places.length === 0) continue;
      let at = s.base;
      for (const p of places) {
        travelMinutes += travel(at, p);
        at = p;
      }
      travelMinutes += travel(at, s.base);
    }
  }
  const expected = {
    sessionsRequested: problem.families.reduce((n, f) => n + f.sessions.reduce((m, s) => m + s.count, 0), 0),
    sessionsPlaced: result.visits.length,
    familiesBelowMinimum,
    travelMinutes,
  };
  for (const key of ['sessionsRequested', 'sessionsPlaced', 'familiesBelowMinimum', 'travelMinutes'] as const) {
    if (result.stats[key] !== expected[key])
      out.push({ rule: 'stats', message: `stats.${key} is ${result.stats[key]}, recomputed ${expected[key]}` });
  }
  return out;
}

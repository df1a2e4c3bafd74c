import { DateTime } from 'luxon';
import type { PlanningProblem, PlanningSessionKind } from '../../schemas/planning.js';
import { hasRoom, keepsTravel, neededGap, overlaps, type Travel, travelLookup, workingSpan } from '../planning/rules.js';
import { clockMinutes, daysBetween, splitLocal } from '../planning/time-grid.js';
import type { WeekVisit } from './repair-week.js';
import { repairWeek } from './repair-week.js';

/** A visit an absence knocks out: which of its staff are absent at its time. */
export interface AffectedVisit extends WeekVisit {
  absent: readonly string[];
}

/** What the cover options need to know of a family: its pair and the kinds its session mix has at all. */
export interface CoverFamily {
  familyTherapist: string;
  individualTherapist: string;
  kinds: readonly PlanningSessionKind[];
  maxSessionsPerDay: number;
}

export interface AbsenceRepairInput {
  /** The week's problem without its visits: hours, absences and meetings as busy blocks, holidays, windows in treatment. */
  week: PlanningProblem;
  /** The week's planned and done visits that stay valid (everything but `affected`). */
  kept: readonly WeekVisit[];
  /** Ids of kept visits that may shift to make room (planned, not started): one of them per chain. */
  movable: ReadonlySet<string>;
  affected: readonly AffectedVisit[];
  /** The next week, its windows cut to the days a visit may be caught up on, and its visits. */
  next?: { problem: PlanningProblem; kept: readonly WeekVisit[]; days: string } | undefined;
  families: ReadonlyMap<string, CoverFamily>;
}

export type RepairOptionKind = 'move' | 'partner' | 'colleague' | 'cancel';

/** One of the four things a coordinator can do with an affected visit, and whether it is possible now (and if not, why). */
export interface RepairOption {
  option: RepairOptionKind;
  possible: boolean;
  /** When not possible: the rule that binds. */
  reason?: string;
  /** move: the new local times, and the other visit of the family that shifts first to make room (a chain). */
  start?: string;
  end?: string;
  extraTravelMinutes?: number;
  chain?: { visit: string; start: string; end: string }[];
  /** partner / colleague: who gives it then, and as which kind. */
  staff?: string[];
  kind?: PlanningSessionKind;
  continuityBreak?: boolean;
}

export interface VisitDecision {
  visit: string;
  proposed: RepairOptionKind;
  options: RepairOption[];
}

export interface AbsenceRepairResult {
  decisions: VisitDecision[];
  stats: {
    affected: number;
    moved: number;
    chained: number;
    movedToNextWeek: number;
    coveredByPartner: number;
    coveredByColleague: number;
    cancelled: number;
    extraTravelMinutes: number;
  };
}

interface Slot {
  start: number;
  end: number;
  place: string;
  label: string;
  visit: boolean;
  absence: boolean;
}

/** True when a staff member's absence blocks cover the whole of their working hours on `date` (local). */
function absentAllDay(problem: PlanningProblem, staffId: string, date: string): boolean {
  const s = problem.staff.find((x) => x.id === staffId);
  const hours = s?.workingHours.find((h) => h.weekday === DateTime.fromISO(date, { zone: 'utc' }).weekday);
  if (!s || !hours) return true;
  const from = `${date}T${hours.start}`;
  const to = `${date}T${hours.end}`;
  return s.busy.some((b) => (b.label ?? '').startsWith('absence:') && b.start <= from && b.end >= to);
}

const hhmm = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const kindOfRole = (family: CoverFamily, staffId: string): PlanningSessionKind => (staffId === family.familyTherapist ? 'family' : 'individual');

/**
 * The staff calendar of one week for the cover checks: every engagement (kept and decided visits, meetings, absences)
 * per staff member and local date, in minutes of that date.
 */
class WeekCalendar {
  private readonly days = new Map<string, Slot[]>();
  private readonly travel: Travel<string>;

  constructor(private readonly problem: PlanningProblem) {
    this.travel = travelLookup(problem.travelMinutes);
    for (const s of problem.staff) {
      for (const b of s.busy) {
        if (b.countsAsVisit) continue;
        this.addSpan(s.id, b.start, b.end, b.place ?? s.base, b.label ?? 'busy', false, (b.label ?? '').startsWith('absence:'));
      }
    }
  }

  private key = (staffId: string, date: string) => `${staffId}#${date}`;

  private addSpan(staffId: string, start: string, end: string, place: string, label: string, visit: boolean, absence: boolean): void {
    const a = splitLocal(start);
    const b = splitLocal(end);
    for (let d = 0; d <= daysBetween(a.date, b.date); d++) {
      const date = DateTime.fromISO(a.date, { zone: 'utc' }).plus({ days: d }).toISODate() ?? a.date;
      const from = d === 0 ? a.minute : 0;
      const to = date === b.date ? b.minute : 1440;
      if (to <= from) continue;
      const list = this.days.get(this.key(staffId, date)) ?? [];
      list.push({ start: from, end: to, place, label, visit: visit && d === 0, absence });
      this.days.set(this.key(staffId, date), list);
    }
  }

  private readonly familyDays = new Map<string, number>();

  /** A visit that stays or lands on its family's day (kept, moved or covered). */
  addFamilyVisit(v: WeekVisit): void {
    const key = `${v.family}#${v.start.slice(0, 10)}`;
    this.familyDays.set(key, (this.familyDays.get(key) ?? 0) + 1);
  }

  /** Why the family cannot have `v` at its time any more: its daily limit taken by the visits that stay and the moves. */
  familyFull(v: WeekVisit, maxPerDay: number): string | undefined {
    const n = this.familyDays.get(`${v.family}#${v.start.slice(0, 10)}`) ?? 0;
    return !hasRoom(n, 0, maxPerDay)
      ? `${v.family} already has maxSessionsPerDay (${maxPerDay}) visits on ${v.start.slice(0, 10)} with the moves proposed`
      : undefined;
  }

  addVisit(staffId: string, v: WeekVisit): void {
    this.addSpan(staffId, v.start, v.end, v.place, `a visit (${v.family}, ${v.place}) ${v.start.slice(11)}–${v.end.slice(11)}`, true, false);
  }

  /** Why `staffId` cannot give visit `v` at its time (working hours, absence, another engagement with travel, daily maximum), or undefined when they can. */
  whyNot(staffId: string, v: WeekVisit): string | undefined {
    const s = this.problem.staff.find((x) => x.id === staffId);
    if (!s) return `${staffId} is not an active therapist of the team`;
    const { date, minute: start } = splitLocal(v.start);
    const end = start + Math.max(0, daysBetween(date, splitLocal(v.end).date) * 1440 + splitLocal(v.end).minute - start);
    const weekday = DateTime.fromISO(date, { zone: 'utc' }).weekday;
    const hours = s.workingHours.find((h) => h.weekday === weekday);
    if (!hours) return `${staffId} does not work on ${date}`;
    const slots = this.days.get(this.key(staffId, date)) ?? [];
    const absent = slots.find((x) => x.absence && overlaps(x.start, x.end, start, end));
    if (absent) return `${staffId} is absent too (${absent.label.slice('absence:'.length)})`;
    const span = workingSpan(
      { start: clockMinutes(hours.start), end: clockMinutes(hours.end) },
      this.travel(s.base, v.place),
      this.travel(v.place, s.base),
    );
    if (start < span.start || end > span.end) {
      return `outside ${staffId}'s working hours (${hours.start}–${hours.end}, with travel from and back to ${s.base})`;
    }
    for (const x of slots) {
      if (!keepsTravel(x.start, x.end, x.place, start, end, v.place, this.travel)) {
        const gap = x.end <= start ? start - x.end : x.start >= end ? x.start - end : -1;
        const need = neededGap(x.start, x.end, x.place, start, end, v.place, this.travel);
        const what =
          x.visit || x.label.startsWith('a visit')
            ? x.label
            : x.absence
              ? `an absence ${hhmm(x.start)}–${hhmm(x.end)}`
              : `a meeting (${x.place}) ${hhmm(x.start)}–${hhmm(x.end)}`;
        return `${staffId} already has ${what}${gap >= 0 ? ` (travel between ${x.place} and ${v.place} takes ${need} min)` : ''}`;
      }
    }
    const visits = slots.filter((x) => x.visit).length;
    if (!hasRoom(visits, 0, s.maxVisitsPerDay)) return `${staffId} already has maxVisitsPerDay (${s.maxVisitsPerDay}) visits on ${date}`;
    return undefined;
  }
}

/**
 * What to do with each visit an absence knocks out, in the order a good coordinator would try (issue 23):
 * 1. move it, same staff and §4 rules, every other visit kept — also when one other visit of the same family shifts
 *    first to free a day (a chain of two moves, only where a single move is impossible), or into the first days of
 *    next week;
 * 2. the pair's other therapist covers it (a joint visit goes ahead with them alone; a family or individual visit
 *    is given as the partner's kind where the family's mix has that kind);
 * 3. a colleague of the absent person's role who is free covers it (a break of continuity, to be confirmed);
 * 4. cancel it (by the team, "staff absence").
 * Each visit gets all four options, the proposed one (the first possible), and for each impossible one the rule that
 * binds. Decisions are taken in that order across all visits, each seeing the ones before it, so the proposal as a
 * whole is consistent. Deterministic.
 */
export function repairAbsence(input: AbsenceRepairInput): AbsenceRepairResult {
  const { week, affected, families } = input;
  const byId = new Map(affected.map((v) => [v.id, v]));
  const moveOf = new Map<string, RepairOption>();
  const moveReason = new Map<string, string>();

  // 1a. Single moves in the week: the branch and bound over all affected visits at once.
  const first = repairWeek(week, input.kept, affected);
  let kept: WeekVisit[] = [...input.kept];
  // An affected visit that is not moved stays at its time (covered, or until it is cancelled): a move may not take
  // its family's day from it.
  const movedIds = new Set(first.moves.map((m) => m.visit));
  const familyDay = (family: string, date: string) =>
    [...input.kept, ...affected.filter((a) => !movedIds.has(a.id))].filter((k) => k.family === family && k.start.slice(0, 10) === date).length;
  const movedInto = new Map<string, number>();
  for (const m of first.moves) {
    const v = byId.get(m.visit);
    if (!v) continue;
    const key = `${v.family}#${m.start.slice(0, 10)}`;
    const count = familyDay(v.family, m.start.slice(0, 10)) + (movedInto.get(key) ?? 0);
    if (count >= (families.get(v.family)?.maxSessionsPerDay ?? 1)) {
      movedIds.delete(v.id);
      moveReason.set(
        v.id,
        `${v.family} already has maxSessionsPerDay (${families.get(v.family)?.maxSessionsPerDay ?? 1}) visits on ${m.start.slice(0, 10)} with the visits that stay`,
      );
      continue;
    }
    movedInto.set(key, (movedInto.get(key) ?? 0) + 1);
    moveOf.set(v.id, { option: 'move', possible: true, start: m.start, end: m.end, extraTravelMinutes: m.extraTravelMinutes, chain: [] });
    kept.push({ ...v, start: m.start, end: m.end });
  }
  for (const u of first.unplaced) moveReason.set(u.visit, u.reason);

  // 1b. Chains: another planned visit of the same family shifts (same staff, §4 rules) so this one fits. Fewest moves
  // first: only where no single move exists, one other visit at most, the cheapest in travel.
  const movable = new Set(input.movable);
  for (const v of affected) {
    if (moveOf.has(v.id)) continue;
    let best: { option: RepairOption; other: WeekVisit; otherAt: { start: string; end: string }; travel: number } | undefined;
    const staying = affected.filter((a) => a.id !== v.id && a.family === v.family && !moveOf.has(a.id));
    // Only a day where v's staff are there at all can be freed for it (this skips most tries in a long absence).
    const usable = (date: string) => v.staff.every((s) => !absentAllDay(week, s, date));
    for (const other of kept.filter((k) => k.family === v.family && movable.has(k.id) && usable(k.start.slice(0, 10)))) {
      // Only the two visits' staff and family matter to this try: a problem of just them is built in a fraction of the time.
      const involved = new Set([...v.staff, ...other.staff]);
      const rest = [...kept.filter((k) => k.id !== other.id), ...staying].filter(
        (k) => k.family === v.family || k.staff.some((x) => involved.has(x)),
      );
      const r = repairWeek(
        { ...week, staff: week.staff.filter((x) => involved.has(x.id)), families: week.families.filter((f) => f.id === v.family) },
        rest,
        [v, other],
      );
      const mine = r.moves.find((m) => m.visit === v.id);
      const theirs = r.moves.find((m) => m.visit === other.id);
      if (!mine || !theirs || theirs.start === other.start) continue;
      const travel = r.stats.extraTravelMinutes;
      if (!best || travel < best.travel) {
        best = {
          option: {
            option: 'move',
            possible: true,
            start: mine.start,
            end: mine.end,
            extraTravelMinutes: mine.extraTravelMinutes,
            chain: [{ visit: other.id, start: theirs.start, end: theirs.end }],
          },
          other,
          otherAt: { start: theirs.start, end: theirs.end },
          travel,
        };
      }
    }
    if (best) {
      const chosen = best;
      moveOf.set(v.id, chosen.option);
      movable.delete(chosen.other.id);
      kept = [
        ...kept.filter((k) => k.id !== chosen.other.id),
        { ...chosen.other, ...chosen.otherAt },
        { ...v, start: chosen.option.start ?? v.start, end: chosen.option.end ?? v.end },
      ];
    }
  }
  const chained = [...moveOf.values()].filter((o) => (o.chain ?? []).length > 0).length;

  // 1c. The first days of next week, where the treatment goes on.
  let movedToNextWeek = 0;
  const left = affected.filter((v) => !moveOf.has(v.id));
  const nextReason = new Map<string, string>();
  if (input.next && left.length > 0) {
    const r = repairWeek(input.next.problem, input.next.kept, left);
    for (const m of r.moves) {
      const v = byId.get(m.visit);
      if (!v) continue;
      moveOf.set(v.id, { option: 'move', possible: true, start: m.start, end: m.end, extraTravelMinutes: m.extraTravelMinutes, chain: [] });
      movedToNextWeek += 1;
    }
    for (const u of r.unplaced) nextReason.set(u.visit, u.reason);
  }

  // 2–4. Covers at the visit's own time, against the week's calendar with every decision so far.
  const calendar = new WeekCalendar(week);
  for (const k of kept) {
    calendar.addFamilyVisit(k);
    for (const s of k.staff) calendar.addVisit(s, k);
  }
  // The partner on a joint visit that stays is still booked for it: no other cover may take that time.
  for (const v of affected) {
    if (moveOf.has(v.id)) continue;
    for (const s of v.staff.filter((x) => !v.absent.includes(x))) calendar.addVisit(s, v);
  }
  const decisions: VisitDecision[] = [];
  let coveredByPartner = 0;
  let coveredByColleague = 0;
  let cancelled = 0;
  const ordered = [...affected].sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
  for (const v of ordered) {
    const family = families.get(v.family);
    const move: RepairOption = moveOf.get(v.id) ?? {
      option: 'move',
      possible: false,
      reason: [
        moveReason.get(v.id) ?? `${v.family} cannot be visited again this week`,
        ...(input.next
          ? [`next week (${input.next.days}): ${nextReason.get(v.id) ?? `${v.family}'s treatment does not go on, or it has no window then`}`]
          : []),
      ].join('. '),
    };
    const full = moveOf.has(v.id) ? undefined : calendar.familyFull(v, family?.maxSessionsPerDay ?? 1);
    const partner = full ? { option: 'partner' as const, possible: false, reason: full } : partnerOption(v, family, calendar);
    const colleague = full ? { option: 'colleague' as const, possible: false, reason: full } : colleagueOption(v, week, calendar);
    const cancel: RepairOption = { option: 'cancel', possible: true };
    const options = [move, partner, colleague, cancel];
    const proposed = options.find((o) => o.possible) ?? cancel;
    if (proposed.option === 'partner' || proposed.option === 'colleague') {
      calendar.addFamilyVisit(v);
      for (const s of (proposed.staff ?? []).filter((x) => !v.staff.includes(x))) calendar.addVisit(s, v);
      if (proposed.option === 'partner') coveredByPartner += 1;
      else coveredByColleague += 1;
    }
    if (proposed.option === 'cancel') cancelled += 1;
    decisions.push({ visit: v.id, proposed: proposed.option, options });
  }
  const moves = [...moveOf.values()];
  return {
    decisions,
    stats: {
      affected: affected.length,
      moved: moves.length,
      chained,
      movedToNextWeek,
      coveredByPartner,
      coveredByColleague,
      cancelled,
      extraTravelMinutes: moves.reduce((n, m) => n + (m.extraTravelMinutes ?? 0), 0),
    },
  };
}

/** The pair's other therapist: a joint visit goes ahead with them alone; a one-therapist visit is given as their kind where the mix has it. */
function partnerOption(v: AffectedVisit, family: CoverFamily | undefined, calendar: WeekCalendar): RepairOption {
  if (!family) return { option: 'partner', possible: false, reason: `${v.family} is not an active case` };
  const pair = [family.familyTherapist, family.individualTherapist];
  const partners = pair.filter((s) => !v.absent.includes(s));
  if (partners.length === 0)
    return { option: 'partner', possible: false, reason: `both of ${v.family}'s therapists (${pair.join(' and ')}) are absent` };
  if (v.kind === 'joint') {
    const partner = v.staff.find((s) => !v.absent.includes(s)) ?? partners[0] ?? '';
    return { option: 'partner', possible: true, staff: [partner], kind: kindOfRole(family, partner) };
  }
  const partner = partners.find((s) => !v.staff.includes(s));
  if (!partner) return { option: 'partner', possible: false, reason: `${v.family}'s pair has no one else to give it` };
  const kind = kindOfRole(family, partner);
  if (!family.kinds.includes(kind))
    return { option: 'partner', possible: false, reason: `${v.family}'s session mix has no ${kind} sessions, so ${partner} cannot take it as one` };
  const why = calendar.whyNot(partner, v);
  return why ? { option: 'partner', possible: false, reason: why } : { option: 'partner', possible: true, staff: [partner], kind };
}

/** A colleague of the absent person's role, not on the visit, free at the visit's time (the first in id order, so proposals are stable). */
function colleagueOption(v: AffectedVisit, week: PlanningProblem, calendar: WeekCalendar): RepairOption {
  const absent = v.absent[0] ?? '';
  const role = week.staff.find((s) => s.id === absent)?.role;
  const present = v.staff.filter((s) => !v.absent.includes(s));
  const colleagues = week.staff
    .filter((s) => s.role === role && !v.staff.includes(s.id))
    .map((s) => s.id)
    .sort();
  if (v.absent.length > 1 || !role)
    return { option: 'colleague', possible: false, reason: `more than one of the visit's therapists is absent (${v.absent.join(' and ')})` };
  if (colleagues.length === 0) return { option: 'colleague', possible: false, reason: `the team has no other ${role.replace('_', ' ')}` };
  const refusals: string[] = [];
  for (const c of colleagues) {
    const why = calendar.whyNot(c, v);
    if (!why) return { option: 'colleague', possible: true, staff: [...present, c].sort(), kind: v.kind, continuityBreak: true };
    refusals.push(why);
  }
  return { option: 'colleague', possible: false, reason: `no other ${role.replace('_', ' ')} is free then: ${refusals.join('; ')}` };
}

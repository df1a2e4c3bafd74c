import { DateTime } from 'luxon';
import { absenceLocalSpan } from '../domain/absence-interval.js';
import { planWeekExact } from '../domain/planning/plan-week-exact.js';
import { loadHighs } from '../solver/highs.js';
import type { WeekdayInterval } from '../schemas/common.js';
import { minutesOf } from '../schemas/common.js';
import { addDays, instantToLocal, weekDates } from '../domain/booking/time.js';
import { holidaysBetween } from '../domain/holidays.js';
import { Invalid } from '../domain/errors.js';
import { fieldErrors } from '../domain/field-errors.js';
import type { Principal } from '../domain/principal.js';
import { PlanningProblem } from '../schemas/planning.js';
import type { PlanningProblemInput } from '../schemas/planning.js';
import type { PlanProposal } from '../schemas/plan-proposal.js';
import { listFamilies } from '../store/families.js';
import { staffDaysBetween } from '../store/schedule.js';
import { listAbsences, listStaff } from '../store/staff.js';
import { visitsBetween } from '../store/visits.js';
import { dateRangeInstants } from '../domain/booking/time.js';
import { ownTeam } from './access.js';
import type { Deps } from './deps.js';
import { weekBookings } from './plan-commit.js';
import { loadTeam } from './visits.js';

const hhmm = (minutes: number) =>
  minutes >= 1440 ? '24:00' : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * The week's planning problem built from stored data (§4): the families active that week with their pair, the
 * sessions still to place (the mix less what is already booked that week), their windows; the therapists' working
 * hours, absences and everything already on their calendar (visits and meetings) as busy blocks with its place;
 * the team's travel matrix and holidays (the team's calendar: public holidays, the eves, its own days off).
 * `withoutVisits` leaves the week's visits out altogether (no busy blocks, nothing counted as booked): the re-plan
 * puts back the ones it keeps.
 */
export async function buildPlanningProblem(
  deps: Deps,
  teamId: string,
  week: string,
  options: { withoutVisits?: boolean } = {},
): Promise<PlanningProblem> {
  const team = await loadTeam(deps, teamId);
  const { monday, sunday } = weekDates(week);
  const [families, staff, absences] = await Promise.all([
    listFamilies(deps.db, teamId, 'active'),
    listStaff(deps.db, teamId),
    listAbsences(deps.db, teamId),
  ]);
  const inTreatment = families.filter((f) => (f.treatmentStart ?? monday) <= sunday && (f.treatmentEnd ?? sunday) >= monday);
  const range = dateRangeInstants(monday, sunday, team.zone);
  const booked = options.withoutVisits
    ? []
    : (await visitsBetween(deps.db, teamId, range.from, range.to)).filter((v) => v.status === 'planned' || v.status === 'done');
  const therapists = staff.filter((s) => s.active && s.role !== 'coordinator');
  const busy = new Map<string, { start: string; end: string; place: string; label: string }[]>();
  for (const s of therapists) {
    const days = await staffDaysBetween(deps.db, teamId, s.id, monday, sunday);
    const blocks: { start: string; end: string; place: string; label: string; countsAsVisit?: boolean }[] = days.flatMap((d) =>
      d.engagements
        .filter((e) => !(options.withoutVisits && e.type === 'visit'))
        .map((e) => ({
          start: instantToLocal(e.start, team.zone),
          end: instantToLocal(e.end, team.zone),
          place: e.place,
          label: e.ref,
          ...(e.type === 'visit' ? { countsAsVisit: true } : {}),
        })),
    );
    for (const a of absences.filter((x) => x.staffId === s.id && x.from <= sunday && x.to >= monday)) {
      // Whole days from midnight to midnight; a part-day absence just its hours.
      const span = absenceLocalSpan(a, team.zone, monday, sunday);
      if (span) blocks.push({ ...span, place: s.base, label: `absence:${a.kind}` });
    }
    busy.set(s.id, blocks);
  }
  // The part of the week that has passed is not planned: no working hours today before now, and no family windows
  // on the days that have passed (so the planner's reasons skip those days instead of calling them days off).
  const { today, nowMinutes } = planningStart(deps, team.zone);
  const dateOf = (weekday: number) => addDays(monday, weekday - 1);
  const hoursFromNow = (hours: readonly WeekdayInterval[]) =>
    hours.flatMap((h) => {
      const date = dateOf(h.weekday);
      if (date !== today) return [h];
      const start = Math.max(minutesOf(h.start), nowMinutes);
      return start < minutesOf(h.end) ? [{ ...h, start: hhmm(start) }] : [];
    });
  const windowsFromNow = (windows: readonly WeekdayInterval[]) =>
    windows.flatMap((w) => {
      const date = dateOf(w.weekday);
      if (date < today) return [];
      if (date > today) return [w];
      const start = Math.max(minutesOf(w.start), nowMinutes);
      return start < minutesOf(w.end) ? [{ ...w, start: hhmm(start) }] : [];
    });
  // A family's own booked visits: a full day loses its windows; otherwise the booked times are cut out of them
  // (a family is never visited twice at once).
  const windowsAround = (windows: readonly WeekdayInterval[], own: readonly { startLocal: string; endLocal: string }[], maxPerDay: number) =>
    windows.flatMap((w) => {
      const date = dateOf(w.weekday);
      const sameDay = own.filter((v) => v.startLocal.slice(0, 10) === date);
      if (sameDay.length >= maxPerDay) return [];
      let pieces = [{ start: minutesOf(w.start), end: minutesOf(w.end) }];
      for (const v of sameDay) {
        const bs = minutesOf(v.startLocal.slice(11));
        const be = v.endLocal.slice(0, 10) === date ? minutesOf(v.endLocal.slice(11)) : 1440;
        pieces = pieces
          .flatMap((p) => [
            { start: p.start, end: Math.min(p.end, bs) },
            { start: Math.max(p.start, be), end: p.end },
          ])
          .filter((p) => p.end > p.start);
      }
      return pieces.map((p) => ({ weekday: w.weekday, start: hhmm(p.start), end: hhmm(p.end) }));
    });
  const input: PlanningProblemInput = {
    week,
    timeZone: team.zone,
    slotMinutes: 15,
    holidays: holidaysBetween(monday, sunday, team.holidayCalendar).map((h) => h.date),
    travelMinutes: team.travelMinutes,
    staff: therapists.map((s) => ({
      id: s.id,
      role: s.role,
      base: s.base,
      workingHours: hoursFromNow(s.workingHours),
      busy: busy.get(s.id) ?? [],
      maxVisitsPerDay: s.maxVisitsPerDay,
    })),
    families: inTreatment
      .filter((f) => therapists.some((t) => t.id === f.familyTherapist) && therapists.some((t) => t.id === f.individualTherapist))
      .map((f) => {
        const already = booked.filter((v) => v.family === f.code);
        const sessions = f.sessions.map((s) => ({ ...s, count: Math.max(0, s.count - already.filter((v) => v.kind === s.kind).length) }));
        const remaining = sessions.reduce((n, s) => n + s.count, 0);
        return {
          id: f.code,
          place: f.place,
          familyTherapist: f.familyTherapist,
          individualTherapist: f.individualTherapist,
          sessions,
          minSessions: Math.min(remaining, Math.max(0, f.minSessions - already.length)),
          windows: windowsFromNow(windowsAround(f.windows, already, f.maxSessionsPerDay)),
          maxSessionsPerDay: f.maxSessionsPerDay,
          bookedDates: already.map((v) => v.startLocal.slice(0, 10)),
        };
      }),
  };
  const parsed = PlanningProblem.safeParse(input);
  // Stored data is validated on the way in; a problem that still fails means the team's data is inconsistent.
  if (!parsed.success) throw new Invalid(fieldErrors(parsed.error, 'problem'), 'The stored data does not make a valid planning problem.');
  return parsed.data;
}

/** Today in the zone and the first planning minute of it (now, rounded up to the next quarter hour). */
export function planningStart(deps: Deps, zone: string): { today: string; nowMinutes: number } {
  const now = DateTime.fromJSDate(deps.now(), { zone });
  return { today: now.toFormat('yyyy-MM-dd'), nowMinutes: Math.ceil((now.hour * 60 + now.minute + 1) / 15) * 15 };
}

const dayLabel = (date: string) => DateTime.fromISO(date).setLocale('en-GB').toFormat('ccc d LLL');

/**
 * Proposes the week's visits for the caller's team without booking anything; returns the problem too, so the
 * coordinator can see why, and what the week already holds. A week that has passed is a 400; in the current week only
 * what is still ahead is planned, `plannedFrom` says from when, and every shortfall reason starts by saying which part
 * of the week has passed.
 */
export async function proposeWeek(deps: Deps, principal: Principal, week: string): Promise<PlanProposal> {
  const teamId = ownTeam(principal);
  const team = await loadTeam(deps, teamId);
  const { monday, sunday } = weekDates(week);
  const { today, nowMinutes } = planningStart(deps, team.zone);
  if (sunday < today) {
    throw new Invalid([
      { path: 'path.week', message: `${week} has passed (it ended on ${sunday}); plan the current week (${today}) or a later one` },
    ]);
  }
  const problem = await buildPlanningProblem(deps, teamId, week);
  const result = planWeekExact(problem, await loadHighs());
  const bookings = await weekBookings(deps, teamId, team.zone, week, new Set(problem.families.map((f) => f.id)));
  if (monday > today) return { problem, result, ...bookings };
  const plannedFrom = nowMinutes >= 1440 ? `${addDays(today, 1)}T00:00` : `${today}T${hhmm(nowMinutes)}`;
  const passed =
    today === monday ? `${dayLabel(today)} before ${plannedFrom.slice(11)}` : `${dayLabel(monday)}–${dayLabel(today)} ${plannedFrom.slice(11)}`;
  const note = `${passed} has passed and is not planned`;
  return {
    problem,
    result: { ...result, shortfalls: result.shortfalls.map((s) => ({ ...s, reason: `${note}; ${s.reason}` })) },
    plannedFrom,
    ...bookings,
  };
}

import { Conflict, NotFound } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { absentAllDay, partDayEngagements } from '../domain/absence-interval.js';
import { findAlternatives } from '../domain/booking/alternatives.js';
import type { StaffDayView } from '../domain/booking/alternatives.js';
import { DateTime } from 'luxon';
import { addDays, dateRangeInstants, instantToLocal, minutesBetween, weekDates } from '../domain/booking/time.js';
import { travelLookup } from '../domain/planning/rules.js';
import { holidaysBetween } from '../domain/holidays.js';
import type { Alternative } from '../schemas/visit.js';
import { getFamily } from '../store/families.js';
import type { DayRef } from '../store/schedule.js';
import { dayRefKey, readDays } from '../store/schedule.js';
import { getStaff, listAbsences } from '../store/staff.js';
import { ownTeam } from './access.js';
import type { Deps } from './deps.js';
import { loadTeam, readVisit } from './visits.js';

/** The best free slots for a planned visit's pair in its week and the next, from today on (§4's rules); when there are none, why. */
export async function visitAlternatives(deps: Deps, principal: Principal, id: string): Promise<{ alternatives: Alternative[]; reason?: string }> {
  const teamId = ownTeam(principal);
  const visit = await readVisit(deps, principal, id);
  if (visit.status !== 'planned') throw new Conflict(`the visit is ${visit.status}`);
  const [team, family] = await Promise.all([loadTeam(deps, teamId), getFamily(deps.db, teamId, visit.family)]);
  if (!family) throw new NotFound();
  const { days: thisWeek } = weekDates(visit.week);
  const dates = [...thisWeek, ...thisWeek.map((d) => addDays(d, 7))];
  const range = dateRangeInstants(dates[0] ?? '', dates[13] ?? '', team.zone);
  const refs: DayRef[] = dates.flatMap((date) => [
    ...visit.staff.map((s): DayRef => ({ owner: 'staff', id: s, date })),
    { owner: 'family', id: family.code, date } as DayRef,
  ]);
  const [days, absences, staffRecords] = await Promise.all([
    readDays(deps.db, teamId, refs),
    listAbsences(deps.db, teamId),
    Promise.all(visit.staff.map((s) => getStaff(deps.db, teamId, s))),
  ]);
  const staff: StaffDayView[] = staffRecords.flatMap((s) => {
    if (!s) return [];
    const absentDates = new Set(dates.filter((d) => absences.some((a) => a.staffId === s.id && absentAllDay(a, d))));
    // Part-day absences are blocked time on the day, like a meeting at base.
    const byDate = new Map(
      dates.map((d) => [
        d,
        [
          ...(days.get(dayRefKey({ owner: 'staff', id: s.id, date: d }))?.engagements ?? []),
          ...partDayEngagements(absences, s.id, d, team.zone, s.base),
        ],
      ]),
    );
    return [{ id: s.id, base: s.base, workingHours: s.workingHours, maxVisitsPerDay: s.maxVisitsPerDay, days: byDate, absentDates }];
  });
  const holidays = new Set(holidaysBetween(dates[0] ?? '', dates[13] ?? '', team.holidayCalendar).map((h) => h.date));
  const travel = travelLookup(team.travelMinutes);
  const now = deps.now().toISOString();
  const slots = findAlternatives({
    ref: `visit:${visit.id}`,
    place: visit.place,
    minutes: minutesBetween(visit.start, visit.end),
    originalStart: visit.start,
    dates,
    holidays,
    zone: team.zone,
    slotMinutes: 15,
    familyWindows: family.windows,
    familyDays: new Map(dates.map((d) => [d, days.get(dayRefKey({ owner: 'family', id: family.code, date: d }))?.engagements ?? []])),
    familyMaxPerDay: family.maxSessionsPerDay,
    staff,
    travel,
    notBefore: now > range.from ? now : range.from,
  });
  const alternatives = slots.map(({ start, end, week, extraTravelMinutes, minutesFromOriginal }) => ({
    start,
    end,
    week,
    extraTravelMinutes,
    minutesFromOriginal,
  }));
  if (alternatives.length > 0) return { alternatives };
  // None: name each remaining day's first blocking fact, grouped, so the coordinator knows what to change.
  const today = instantToLocal(now, team.zone).slice(0, 10);
  const causes = new Map<string, string[]>();
  for (const date of dates.filter((d) => d >= today)) {
    const weekday = DateTime.fromISO(date).weekday;
    const familyDay = days.get(dayRefKey({ owner: 'family', id: family.code, date }))?.engagements ?? [];
    const others = <T extends { ref: string }>(list: readonly T[]): T[] => list.filter((e) => e.ref !== `visit:${visit.id}`);
    let cause: string;
    if (holidays.has(date)) cause = 'holiday';
    else if (!family.windows.some((w) => w.weekday === weekday)) cause = `no visiting window for ${family.code}`;
    else {
      const off = staff.filter((s) => !s.workingHours.some((h) => h.weekday === weekday)).map((s) => s.id);
      const absent = staff.filter((s) => s.absentDates.has(date)).map((s) => s.id);
      const full = staff.filter((s) => others(s.days.get(date) ?? []).filter((e) => e.type === 'visit').length >= s.maxVisitsPerDay).map((s) => s.id);
      if (absent.length) cause = `${absent.join(' and ')} absent`;
      else if (off.length) cause = `${off.join(' and ')} not working`;
      else if (others(familyDay).length >= family.maxSessionsPerDay)
        cause = `${family.code} already at maxSessionsPerDay (${family.maxSessionsPerDay})`;
      else if (full.length) cause = `${full.join(' and ')} at maxVisitsPerDay`;
      else cause = `no common free time for ${visit.staff.join(' and ')} in ${family.code}'s windows (travel included)`;
    }
    causes.set(cause, [...(causes.get(cause) ?? []), date]);
  }
  const reason = [...causes].map(([cause, ds]) => `${cause} on ${ds.join(', ')}`).join('; ');
  return { alternatives, reason: reason || 'no days left in this week or the next' };
}

import { Conflict, NotFound } from '../http/errors.js';
import type { Principal } from '../http/principal.js';
import { findAlternatives } from '../domain/booking/alternatives.js';
import type { StaffDayView } from '../domain/booking/alternatives.js';
import { addDays, dateRangeInstants, minutesBetween, weekDates } from '../domain/booking/time.js';
import { holidaysBetween } from '../domain/holidays.js';
import type { Alternative } from '../schemas/visit.js';
import { getFamily } from '../store/families.js';
import type { DayRef } from '../store/schedule.js';
import { dayRefKey, readDays } from '../store/schedule.js';
import { getStaff, listAbsences } from '../store/staff.js';
import { ownTeam } from './access.js';
import type { Deps } from './deps.js';
import { loadTeam, readVisit } from './visits.js';

/** The best free slots for a planned visit's pair in its week and the next, from today on (§4's rules). */
export async function visitAlternatives(deps: Deps, principal: Principal, id: string): Promise<Alternative[]> {
  const teamId = ownTeam(principal);
  const visit = await readVisit(deps, principal, id);
  if (visit.status !== 'planned') throw new Conflict(`the visit is ${visit.status}`);
  const [team, family] = await Promise.all([loadTeam(deps, teamId), getFamily(deps.db, teamId, visit.family)]);
  if (!family) throw new NotFound();
  const { days: thisWeek } = weekDates(visit.week);
  const dates = [...thisWeek, ...thisWeek.map((d) => addDays(d, 7))];
  const range = dateRangeInstants(dates[0] ?? '', dates[13] ?? '', team.zone);
  const refs: DayRef[] = dates.flatMap((date) => [...visit.staff.map((s): DayRef => ({ owner: 'staff', id: s, date })), { owner: 'family', id: family.code, date } as DayRef]);
  const [days, absences, staffRecords] = await Promise.all([readDays(deps.db, teamId, refs), listAbsences(deps.db, teamId), Promise.all(visit.staff.map((s) => getStaff(deps.db, teamId, s)))]);
  const staff: StaffDayView[] = staffRecords.flatMap((s) => {
    if (!s) return [];
    const absentDates = new Set(dates.filter((d) => absences.some((a) => a.staffId === s.id && a.from <= d && d <= a.to)));
    const byDate = new Map(dates.map((d) => [d, days.get(dayRefKey({ owner: 'staff', id: s.id, date: d }))?.engagements ?? []]));
    return [{ id: s.id, base: s.base, workingHours: s.workingHours, maxVisitsPerDay: s.maxVisitsPerDay, days: byDate, absentDates }];
  });
  const holidays = new Set(holidaysBetween(dates[0] ?? '', dates[13] ?? '', team.holidayCalendar).map((h) => h.date));
  const travel = (a: string, b: string) => team.travelMinutes[a]?.[b] ?? 120;
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
  return slots.map(({ start, end, week, extraTravelMinutes, minutesFromOriginal }) => ({ start, end, week, extraTravelMinutes, minutesFromOriginal }));
}

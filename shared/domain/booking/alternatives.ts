import { DateTime } from 'luxon';
import type { Engagement } from '../../schemas/engagement.js';
import type { WeekdayInterval } from '../../schemas/common.js';
import { minutesOf } from '../../schemas/common.js';
import type { TravelTime } from './conflicts.js';
import { findFamilyCollision, findStaffCollision } from './conflicts.js';
import { isoWeekOf, localToInstant, minutesBetween } from './time.js';
import { dayRoute, gridStarts, hasRoom, workingSpan } from '../planning/rules.js';

export interface StaffDayView {
  id: string;
  base: string;
  workingHours: readonly WeekdayInterval[];
  maxVisitsPerDay: number;
  /** Engagements by local date. */
  days: ReadonlyMap<string, readonly Engagement[]>;
  absentDates: ReadonlySet<string>;
}

export interface AlternativeSlot {
  start: string;
  end: string;
  startInstant: string;
  week: string;
  extraTravelMinutes: number;
  minutesFromOriginal: number;
}

/** Minutes a staff member drives on a day: base → engagements in time order → base. */
export function dayTravel(base: string, day: readonly Engagement[], travel: TravelTime): number {
  return dayRoute(
    base,
    [...day].sort((a, b) => a.start.localeCompare(b.start)).map((e) => e.place),
    travel,
  );
}

/**
 * Free slots for a visit of `minutes` at `place`, given by `staff`, on `dates`: inside the family's windows and
 * each staff member's working hours (with travel from and back to base), on the slot grid, never colliding with
 * anyone's engagements (travel included), within each person's daily maximum, on non-holidays (§4 rules 1–4).
 * Ranked by extra travel, then closeness to the original start; at most `perDay` a day and `limit` in all.
 */
export function findAlternatives(input: {
  ref: string;
  place: string;
  minutes: number;
  originalStart: string;
  dates: readonly string[];
  holidays: ReadonlySet<string>;
  zone: string;
  slotMinutes: number;
  familyWindows: readonly WeekdayInterval[];
  familyDays: ReadonlyMap<string, readonly Engagement[]>;
  familyMaxPerDay: number;
  staff: readonly StaffDayView[];
  travel: TravelTime;
  notBefore: string;
  limit?: number;
  perDay?: number;
}): AlternativeSlot[] {
  const found: AlternativeSlot[] = [];
  for (const date of input.dates) {
    if (input.holidays.has(date)) continue;
    if (input.staff.some((s) => s.absentDates.has(date))) continue;
    const weekday = DateTime.fromISO(date, { zone: 'utc' }).weekday;
    const familyDay = input.familyDays.get(date) ?? [];
    for (const window of input.familyWindows.filter((w) => w.weekday === weekday)) {
      let from = minutesOf(window.start);
      let to = minutesOf(window.end);
      for (const s of input.staff) {
        const hours = s.workingHours.find((h) => h.weekday === weekday);
        if (!hours) {
          to = -1;
          break;
        }
        const span = workingSpan(
          { start: minutesOf(hours.start), end: minutesOf(hours.end) },
          input.travel(s.base, input.place),
          input.travel(input.place, s.base),
        );
        from = Math.max(from, span.start);
        to = Math.min(to, span.end);
      }
      for (const m of gridStarts(from, to, input.minutes, input.slotMinutes)) {
        const local = (t: number) => `${date}T${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
        const start = localToInstant(local(m), input.zone);
        const end = localToInstant(local(m + input.minutes), input.zone);
        if (!start || !end || start < input.notBefore || start === input.originalStart) continue;
        const candidate = { ref: input.ref, start, end, place: input.place };
        if (findFamilyCollision(familyDay, candidate, input.familyMaxPerDay)) continue;
        let extra = 0;
        let fits = true;
        for (const s of input.staff) {
          const day = (s.days.get(date) ?? []).filter((e) => e.ref !== input.ref);
          if (!hasRoom(day.filter((e) => e.type === 'visit').length, 0, s.maxVisitsPerDay) || findStaffCollision(day, candidate, input.travel)) {
            fits = false;
            break;
          }
          const withCandidate = [...day, { ...candidate, type: 'visit' as const, version: 1, updatedAt: '' }];
          extra += dayTravel(s.base, withCandidate, input.travel) - dayTravel(s.base, day, input.travel);
        }
        if (!fits) continue;
        found.push({
          start: local(m),
          end: local(m + input.minutes),
          startInstant: start,
          week: isoWeekOf(start, input.zone),
          extraTravelMinutes: extra,
          minutesFromOriginal: Math.abs(minutesBetween(input.originalStart, start)),
        });
      }
    }
  }
  const originalWeek = isoWeekOf(input.originalStart, input.zone);
  found.sort(
    (a, b) =>
      Number(a.week !== originalWeek) - Number(b.week !== originalWeek) ||
      a.extraTravelMinutes - b.extraTravelMinutes ||
      a.minutesFromOriginal - b.minutesFromOriginal ||
      a.startInstant.localeCompare(b.startInstant),
  );
  const perDay = new Map<string, number>();
  const ranked: AlternativeSlot[] = [];
  for (const slot of found) {
    const date = slot.start.slice(0, 10);
    if ((perDay.get(date) ?? 0) >= (input.perDay ?? 3)) continue;
    perDay.set(date, (perDay.get(date) ?? 0) + 1);
    ranked.push(slot);
    if (ranked.length >= (input.limit ?? 10)) break;
  }
  return ranked;
}

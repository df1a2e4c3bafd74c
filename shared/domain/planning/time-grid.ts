import { DateTime } from 'luxon';
import { holidaysBetween } from '../holidays.js';

/** Minutes in a wall-clock day; plan times are wall-clock minutes from local midnight. */
export const DAY_MINUTES = 1440;

/** One day of the planned week. */
export interface WeekDay {
  /** 0 = Monday … 6 = Sunday. */
  index: number;
  /** ISO weekday 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local date `YYYY-MM-DD`. */
  date: string;
  /** Short English label, e.g. `Thu 24 Dec`. */
  label: string;
  /** Holiday name when the day is not a working day, else undefined. */
  holiday: string | undefined;
  /** Wall-clock minutes that do not exist on this day (spring-forward gap), as [start, end) intervals. */
  gaps: { start: number; end: number }[];
}

/** The seven local dates of an ISO week, Monday first. */
export function weekDates(week: string): string[] {
  const monday = DateTime.fromISO(`${week}-1`, { zone: 'utc' });
  if (!monday.isValid) throw new RangeError(`not an ISO week: ${week}`);
  return Array.from({ length: 7 }, (_, i) => monday.plus({ days: i }).toISODate() ?? '');
}

/**
 * Non-working dates of the week: the given list when present (names unknown), else the Swedish
 * public holidays plus Midsummer, Christmas and New Year's Eve (../holidays.ts).
 */
export function weekHolidays(week: string, holidays: readonly string[] | undefined): Map<string, string> {
  const dates = weekDates(week);
  const result = new Map<string, string>();
  if (holidays) {
    for (const date of holidays) if (dates.includes(date)) result.set(date, 'holiday');
    return result;
  }
  for (const day of holidaysBetween(dates[0] ?? '', dates[6] ?? '')) result.set(day.date, day.name);
  return result;
}

/** Wall-clock minutes of a day that do not exist in the zone (the hour skipped when clocks go forward). */
export function nonexistentMinutes(date: string, zone: string): { start: number; end: number }[] {
  const gaps: { start: number; end: number }[] = [];
  const [year, month, day] = date.split('-').map(Number);
  // Only a day whose UTC offset changes can skip wall-clock time; most days need two look-ups.
  const midnight = DateTime.fromObject({ year, month, day }, { zone });
  if (midnight.offset === midnight.plus({ days: 1 }).offset) return gaps;
  for (let hour = 0; hour < 24; hour++) {
    for (const minute of [0, 30]) {
      const t = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
      if (t.hour !== hour || t.minute !== minute) {
        const start = hour * 60 + minute;
        const last = gaps.at(-1);
        if (last && last.end === start) last.end = start + 30;
        else gaps.push({ start, end: start + 30 });
      }
    }
  }
  return gaps;
}

/** The days of the planned week with holidays and DST gaps resolved. */
export function planningWeek(week: string, zone: string, holidays: readonly string[] | undefined): WeekDay[] {
  const named = weekHolidays(week, holidays);
  return weekDates(week).map((date, index) => {
    const d = DateTime.fromISO(date, { zone: 'utc' });
    const name = named.get(date);
    return {
      index,
      weekday: index + 1,
      date,
      label: d.setLocale('en-GB').toFormat('ccc d LLL'),
      holiday: name,
      gaps: nonexistentMinutes(date, zone),
    };
  });
}

/** `HH:mm` (or `24:00`) as minutes from midnight. */
export function clockMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Splits `YYYY-MM-DDTHH:mm` into its date and minute of day. */
export function splitLocal(local: string): { date: string; minute: number } {
  return { date: local.slice(0, 10), minute: clockMinutes(local.slice(11, 16)) };
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days);
}

/** A local date plus a minute of day (may be 1440 = next midnight) as `YYYY-MM-DDTHH:mm`. */
export function formatLocal(date: string, minute: number): string {
  const d = DateTime.fromISO(date, { zone: 'utc' }).plus({ days: Math.floor(minute / DAY_MINUTES) });
  const m = ((minute % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return `${d.toISODate() ?? ''}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** `Tue–Thu`, `Mon, Wed` style list of day labels from sorted day indices. */
export function dayRanges(days: readonly WeekDay[], indices: readonly number[]): string {
  const short = (i: number) => days[i]?.label.slice(0, 3) ?? '';
  const parts: string[] = [];
  let i = 0;
  while (i < indices.length) {
    let j = i;
    while (j + 1 < indices.length && (indices[j + 1] ?? 0) === (indices[j] ?? 0) + 1) j++;
    const a = indices[i] ?? 0;
    const b = indices[j] ?? 0;
    parts.push(j - i >= 2 ? `${short(a)}–${short(b)}` : j === i ? short(a) : `${short(a)}, ${short(b)}`);
    i = j + 1;
  }
  return parts.join(', ');
}

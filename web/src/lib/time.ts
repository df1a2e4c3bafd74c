import { DateTime, Settings } from 'luxon';

/** The team's zone: every time is shown in Stockholm time, 24-hour, Monday-first ISO weeks. */
export const zone = 'Europe/Stockholm';
Settings.defaultZone = zone;
Settings.defaultLocale = 'sv-SE';

export const now = (): DateTime => DateTime.now().setZone(zone);

/** The ISO week (`2026-W49`) a date lies in. */
export const isoWeekOf = (d: DateTime): string => `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
export const thisWeek = (): string => isoWeekOf(now());

/** The Monday of an ISO week, at 00:00 in Stockholm. */
export const mondayOf = (week: string): DateTime => DateTime.fromISO(`${week}-1`, { zone });
export const shiftWeek = (week: string, by: number): string => isoWeekOf(mondayOf(week).plus({ weeks: by }));
export const daysOf = (week: string): DateTime[] => Array.from({ length: 7 }, (_, i) => mondayOf(week).plus({ days: i }));

/** `2026-12-07T14:30` (a local date-time of the API) → DateTime in Stockholm. */
export const local = (s: string): DateTime => DateTime.fromISO(s, { zone });
export const hhmm = (s: string): string => local(s).toFormat('HH:mm');
export const dayLabel = (d: DateTime): string => d.toFormat('ccc d/M');
export const longDay = (d: DateTime): string => d.toFormat('cccc d MMMM');
export const weekLabel = (week: string): string => `v. ${Number(week.slice(6))} ${week.slice(0, 4)}`;
export const isoDate = (d: DateTime): string => d.toISODate() ?? '';
/** Minutes between two local date-times. */
export const minutesBetween = (a: string, b: string): number => Math.round(local(b).diff(local(a), 'minutes').minutes);
/** The first and last date of an ISO week, `YYYY-MM-DD`. */
export const weekRange = (week: string): { from: string; to: string } => ({
  from: isoDate(mondayOf(week)),
  to: isoDate(mondayOf(week).plus({ days: 6 })),
});

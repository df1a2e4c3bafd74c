import { DateTime } from 'luxon';

/** A local wall-clock date-time (YYYY-MM-DDTHH:mm) in `zone` as a UTC instant; undefined when that wall time does not exist (the spring-forward gap). */
export function localToInstant(local: string, zone: string): string | undefined {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid || dt.toFormat("yyyy-MM-dd'T'HH:mm") !== local) return undefined;
  return dt.toUTC().toISO() ?? undefined;
}

/** The wall-clock form (YYYY-MM-DDTHH:mm) of an instant in `zone`. */
export function instantToLocal(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** The local date (YYYY-MM-DD) of an instant in `zone`. */
export function localDateOf(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone).toFormat('yyyy-MM-dd');
}

/** The ISO week (YYYY-Www) of an instant in `zone`. */
export function isoWeekOf(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone).toFormat("kkkk-'W'WW");
}

/** Monday and Sunday (local dates) of an ISO week. */
export function weekDates(week: string): { monday: string; sunday: string; days: string[] } {
  const monday = DateTime.fromISO(`${week}-1`, { zone: 'utc' });
  const days = Array.from({ length: 7 }, (_, i) => monday.plus({ days: i }).toFormat('yyyy-MM-dd'));
  return { monday: days[0] ?? '', sunday: days[6] ?? '', days };
}

/** Minutes between two instants (real elapsed time). */
export function minutesBetween(a: string, b: string): number {
  return (Date.parse(b) - Date.parse(a)) / 60_000;
}

/** A local date `days` later (negative: earlier). */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toFormat('yyyy-MM-dd');
}

/** The instants bounding a range of local dates [fromDate 00:00, day after toDate 00:00) in `zone`. */
export function dateRangeInstants(fromDate: string, toDate: string, zone: string): { from: string; to: string } {
  const from = DateTime.fromISO(fromDate, { zone }).startOf('day').toUTC().toISO() ?? '';
  const to = DateTime.fromISO(addDays(toDate, 1), { zone }).startOf('day').toUTC().toISO() ?? '';
  return { from, to };
}

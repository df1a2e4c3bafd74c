import { DateTime } from 'luxon';

/** Last day of a treatment of `weeks` weeks starting on `startDate` (inclusive). */
export function treatmentEndDate(startDate: string, weeks: number, zone: string): string {
  const start = DateTime.fromISO(startDate, { zone });
  return start.plus({ weeks }).minus({ days: 1 }).toISODate() ?? startDate;
}

/** Today's date in the zone, from an injected clock. */
export function todayIn(zone: string, now: Date): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() ?? '';
}

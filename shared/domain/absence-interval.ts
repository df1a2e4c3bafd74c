import type { Engagement } from '../schemas/engagement.js';
import type { Absence } from '../schemas/staff.js';
import { addDays, instantToLocal, localToInstant } from './booking/time.js';

type AbsenceSpan = Pick<Absence, 'from' | 'to' | 'start' | 'end'>;

/**
 * The UTC instants an absence blocks: a part-day absence its own start and end; a whole-day absence from the first
 * day's midnight to the midnight after the last, in the team's zone.
 */
export function absenceInstants(absence: AbsenceSpan, zone: string): { start: string; end: string } {
  if (absence.start !== undefined && absence.end !== undefined) return { start: absence.start, end: absence.end };
  const midnight = (date: string) => localToInstant(`${date}T00:00`, zone) ?? `${date}T00:00:00.000Z`;
  return { start: midnight(absence.from), end: midnight(addDays(absence.to, 1)) };
}

/** True when the absence blocks any part of [start, end) (UTC instants). */
export function absenceOverlaps(absence: AbsenceSpan, zone: string, start: string, end: string): boolean {
  const a = absenceInstants(absence, zone);
  return a.start < end && start < a.end;
}

/** True when two absences block a common moment. */
export function absencesOverlap(a: AbsenceSpan, b: AbsenceSpan, zone: string): boolean {
  const x = absenceInstants(a, zone);
  return absenceOverlaps(b, zone, x.start, x.end);
}

/** True for a whole-day absence covering `date` (a part-day one never takes a whole day). */
export function absentAllDay(absence: AbsenceSpan, date: string): boolean {
  return absence.start === undefined && absence.from <= date && date <= absence.to;
}

/** The local wall-clock span of an absence, clipped to [fromDate, toDate] (local dates): for busy blocks. */
export function absenceLocalSpan(absence: AbsenceSpan, zone: string, fromDate: string, toDate: string): { start: string; end: string } | undefined {
  const { start, end } = absenceInstants(absence, zone);
  const startLocal = absence.start !== undefined ? instantToLocal(start, zone) : `${absence.from}T00:00`;
  const endLocal = absence.end !== undefined ? instantToLocal(end, zone) : `${addDays(absence.to, 1)}T00:00`;
  const lo = `${fromDate}T00:00`;
  const hi = `${addDays(toDate, 1)}T00:00`;
  const s = startLocal > lo ? startLocal : lo;
  const e = endLocal < hi ? endLocal : hi;
  return e > s ? { start: s, end: e } : undefined;
}

/**
 * A staff member's part-day absences touching `date`, as engagements at their base (blocked time the booking checks
 * keep clear of, travel included); whole-day absences are not here (they take the whole day: `absentAllDay`).
 */
export function partDayEngagements(absences: readonly Absence[], staffId: string, date: string, zone: string, base: string): Engagement[] {
  const dayStart = localToInstant(`${date}T00:00`, zone) ?? '';
  const dayEnd = localToInstant(`${addDays(date, 1)}T00:00`, zone) ?? '';
  return absences
    .filter((a) => a.staffId === staffId && a.start !== undefined && a.end !== undefined && a.start < dayEnd && dayStart < a.end)
    .map((a) => ({
      ref: `absence:${a.id}`,
      type: 'meeting' as const,
      start: a.start ?? '',
      end: a.end ?? '',
      place: base,
      version: 1,
      updatedAt: a.createdAt,
      title: `absence (${a.kind})`,
    }));
}

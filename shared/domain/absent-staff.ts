import type { Absence } from '../schemas/staff.js';
import { absenceOverlaps } from './absence-interval.js';

type Timed = { staff: readonly string[]; start: string; end: string };

/** The staff of a visit (or a visit at another time) that an absence covers at its time (UTC instants). */
export function absentStaffOf(visit: Timed, absences: readonly Pick<Absence, 'staffId' | 'from' | 'to' | 'start' | 'end'>[], zone: string): string[] {
  return visit.staff.filter((s) => absences.some((a) => a.staffId === s && absenceOverlaps(a, zone, visit.start, visit.end)));
}

/**
 * Visits as the absent see them: each visit's staff without those absent at its time (issue 23). What derives messages
 * from the schedule (reminders, agenda lines) uses this, so nobody is reminded of a visit during their own absence,
 * while the partner on a joint visit still is.
 */
export function withoutAbsentStaff<T extends Timed>(
  visits: readonly T[],
  absences: readonly Pick<Absence, 'staffId' | 'from' | 'to' | 'start' | 'end'>[],
  zone: string,
): T[] {
  if (absences.length === 0) return [...visits];
  return visits.map((v) => {
    const absent = absentStaffOf(v, absences, zone);
    return absent.length === 0 ? v : { ...v, staff: v.staff.filter((s) => !absent.includes(s)) };
  });
}

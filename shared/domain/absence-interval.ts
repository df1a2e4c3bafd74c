import type { Absence } from '../schemas/staff.js';
import { addDays, localToInstant } from './booking/time.js';

/** The UTC instants an absence blocks: a whole-day absence from the first day's midnight to the midnight after the last, in the team's zone. */
export function absenceInstants(absence: Pick<Absence, 'from' | 'to'>, zone: string): { start: string; end: string } {
  return { start: localToInstant(`${absence.from}T00:00`, zone) ?? `${absence.from}T00:00:00.000Z`, end: localToInstant(`${addDays(absence.to, 1)}T00:00`, zone) ?? `${addDays(absence.to, 1)}T00:00:00.000Z` };
}

/** True when the absence blocks any part of [start, end) (UTC instants). */
export function absenceOverlaps(absence: Pick<Absence, 'from' | 'to'>, zone: string, start: string, end: string): boolean {
  const a = absenceInstants(absence, zone);
  return a.start < end && start < a.end;
}

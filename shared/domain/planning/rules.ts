/**
 * The hard rules of SPEC §4, written once for every engine that places a visit: the heuristic and the exact phase
 * (through the model and the plan state), the repair, the booking guard, the alternatives and the cover checks.
 * Times are minutes on one time line (minutes of a day, or minutes since the epoch for instants). `validate-plan.ts`
 * is the independent oracle that checks all of them and deliberately does not import this module.
 */

/** Minutes to drive from one place to another. */
export type Travel<P> = (from: P, to: P) => number;

/** What an unknown drive is taken to be when the matrix knows no drive at all (a county's longest drive). */
export const UNKNOWN_TRAVEL_WITHOUT_MATRIX = 120;

/** The longest drive a travel matrix knows (0 when it knows none). */
export function longestDrive(matrix: Readonly<Record<string, Readonly<Record<string, number>>>>): number {
  let longest = 0;
  for (const row of Object.values(matrix)) for (const minutes of Object.values(row)) longest = Math.max(longest, minutes);
  return longest;
}

/**
 * A team's travel matrix as a lookup. A pair of places the matrix does not know takes the longest drive it knows —
 * never 0: a therapist must reach the next kitchen in time, so an unknown drive is assumed to be a long one.
 */
export function travelLookup(matrix: Readonly<Record<string, Readonly<Record<string, number>>>>): Travel<string> {
  const values = Object.values(matrix).flatMap((row) => Object.values(row));
  const unknown = values.length === 0 ? UNKNOWN_TRAVEL_WITHOUT_MATRIX : longestDrive(matrix);
  return (from, to) => matrix[from]?.[to] ?? unknown;
}

/** Rules 2 and 3: two engagements [aStart, aEnd) and [bStart, bEnd) share time. */
export function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd;
}

/**
 * Rule 2: two engagements of one person, [aStart, aEnd) at `a` and [bStart, bEnd) at `b`, do not overlap and leave
 * at least the drive between their places, in whichever order they come.
 */
export function keepsTravel<P>(aStart: number, aEnd: number, a: P, bStart: number, bEnd: number, b: P, travel: Travel<P>): boolean {
  if (aEnd <= bStart) return bStart - aEnd >= travel(a, b);
  if (bEnd <= aStart) return aStart - bEnd >= travel(b, a);
  return false;
}

/** The gap rule 2 asks for between the two engagements of `keepsTravel` (0 when they overlap). */
export function neededGap<P>(aStart: number, aEnd: number, a: P, bStart: number, bEnd: number, b: P, travel: Travel<P>): number {
  if (aEnd <= bStart) return travel(a, b);
  if (bEnd <= aStart) return travel(b, a);
  return 0;
}

/**
 * Rule 2 at the ends of a working day: a visit at a place starts no earlier than working hours' start plus the drive
 * from base, and ends no later than their end less the drive back.
 */
export function workingSpan(hours: { start: number; end: number }, fromBase: number, backToBase: number): { start: number; end: number } {
  return { start: hours.start + fromBase, end: hours.end - backToBase };
}

/** Rules 3 and 4: a day with `planned` visits and `booked` ones already booked has room for one more under `max`. */
export function hasRoom(planned: number, booked: number, max: number): boolean {
  return planned + booked < max;
}

/** Rules 3 and 4: how many more visits a day with `booked` already booked takes under `max`. */
export function roomLeft(booked: number, max: number): number {
  return Math.max(0, max - booked);
}

/** Rule 1: the starts on the `slot` grid (from 00:00) of a visit of `minutes` that lies inside [from, to). */
export function gridStarts(from: number, to: number, minutes: number, slot: number): number[] {
  const starts: number[] = [];
  for (let start = Math.ceil(from / slot) * slot; start + minutes <= to; start += slot) starts.push(start);
  return starts;
}

/** Rule 5: who gives a visit of a kind — `family` the family therapist, `individual` the individual one, `joint` both. */
export function staffOfKind<T>(kind: 'family' | 'individual' | 'joint', familyTherapist: T, individualTherapist: T): T[] {
  return kind === 'joint' ? [familyTherapist, individualTherapist] : kind === 'family' ? [familyTherapist] : [individualTherapist];
}

/** Objective (c): a staff member's drive on a day, base → the stops in time order → base (0 on a day without stops). */
export function dayRoute<P>(base: P, stopsInOrder: readonly P[], travel: Travel<P>): number {
  if (stopsInOrder.length === 0) return 0;
  let total = 0;
  let at = base;
  for (const place of stopsInOrder) {
    total += travel(at, place);
    at = place;
  }
  return total + travel(at, base);
}

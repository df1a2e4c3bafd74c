import type { Engagement } from '../../schemas/engagement.js';
import { hasRoom, keepsTravel, neededGap, overlaps, type Travel } from '../planning/rules.js';

export type TravelTime = Travel<string>;

/** An instant as minutes since the epoch: the time line the rules compare on. */
const minutesOfInstant = (instant: string): number => Date.parse(instant) / 60_000;

/** Why a candidate cannot join a day: the engagement it collides with and the gap it would need. */
export interface Collision {
  with: Engagement;
  neededGapMinutes: number;
}

/**
 * The first engagement a candidate collides with on a staff member's day: an overlap, or a gap shorter than
 * the travel time between the two places (§4 rule 2). Engagements with the candidate's own ref are ignored (a move).
 */
export function findStaffCollision(
  day: readonly Engagement[],
  candidate: Pick<Engagement, 'ref' | 'start' | 'end' | 'place'>,
  travel: TravelTime,
): Collision | undefined {
  const start = minutesOfInstant(candidate.start);
  const end = minutesOfInstant(candidate.end);
  for (const other of day) {
    if (other.ref === candidate.ref) continue;
    const otherStart = minutesOfInstant(other.start);
    const otherEnd = minutesOfInstant(other.end);
    if (keepsTravel(otherStart, otherEnd, other.place, start, end, candidate.place, travel)) continue;
    return { with: other, neededGapMinutes: neededGap(otherStart, otherEnd, other.place, start, end, candidate.place, travel) };
  }
  return undefined;
}

/** A family can have at most `maxPerDay` visits a day and never two at once (§4 rule 3). */
export function findFamilyCollision(
  day: readonly Engagement[],
  candidate: Pick<Engagement, 'ref' | 'start' | 'end'>,
  maxPerDay: number,
): 'overlap' | 'max-per-day' | undefined {
  const others = day.filter((e) => e.ref !== candidate.ref);
  const start = minutesOfInstant(candidate.start);
  const end = minutesOfInstant(candidate.end);
  if (others.some((e) => overlaps(minutesOfInstant(e.start), minutesOfInstant(e.end), start, end))) return 'overlap';
  if (!hasRoom(others.length, 0, maxPerDay)) return 'max-per-day';
  return undefined;
}

/** Inserts or replaces an engagement, keeping the day in time order. */
export function withEngagement(day: readonly Engagement[], engagement: Engagement): Engagement[] {
  return [...day.filter((e) => e.ref !== engagement.ref), engagement].sort((a, b) => a.start.localeCompare(b.start) || a.ref.localeCompare(b.ref));
}

export function withoutEngagement(day: readonly Engagement[], ref: string): Engagement[] {
  return day.filter((e) => e.ref !== ref);
}

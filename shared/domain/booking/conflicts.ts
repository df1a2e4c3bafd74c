import type { Engagement } from '../../schemas/engagement.js';
import { minutesBetween } from './time.js';

export type TravelTime = (from: string, to: string) => number;

/** Why a candidate cannot join a day: the engagement it collides with and the gap it would need. */
export interface Collision {
  with: Engagement;
  neededGapMinutes: number;
}

/**
 * The first engagement a candidate collides with on a staff member's day: an overlap, or a gap shorter than
 * the travel time between the two places (§4 rule 2). Engagements with the candidate's own ref are ignored (a move).
 */
export function findStaffCollision(day: readonly Engagement[], candidate: Pick<Engagement, 'ref' | 'start' | 'end' | 'place'>, travel: TravelTime): Collision | undefined {
  for (const other of day) {
    if (other.ref === candidate.ref) continue;
    if (other.start < candidate.end && candidate.start < other.end) return { with: other, neededGapMinutes: 0 };
    if (other.end <= candidate.start) {
      const need = travel(other.place, candidate.place);
      if (minutesBetween(other.end, candidate.start) < need) return { with: other, neededGapMinutes: need };
    } else {
      const need = travel(candidate.place, other.place);
      if (minutesBetween(candidate.end, other.start) < need) return { with: other, neededGapMinutes: need };
    }
  }
  return undefined;
}

/** A family can have at most `maxPerDay` visits a day and never two at once (§4 rule 3). */
export function findFamilyCollision(day: readonly Engagement[], candidate: Pick<Engagement, 'ref' | 'start' | 'end'>, maxPerDay: number): 'overlap' | 'max-per-day' | undefined {
  const others = day.filter((e) => e.ref !== candidate.ref);
  if (others.some((e) => e.start < candidate.end && candidate.start < e.end)) return 'overlap';
  if (others.length + 1 > maxPerDay) return 'max-per-day';
  return undefined;
}

/** Inserts or replaces an engagement, keeping the day in time order. */
export function withEngagement(day: readonly Engagement[], engagement: Engagement): Engagement[] {
  return [...day.filter((e) => e.ref !== engagement.ref), engagement].sort((a, b) => a.start.localeCompare(b.start) || a.ref.localeCompare(b.ref));
}

export function withoutEngagement(day: readonly Engagement[], ref: string): Engagement[] {
  return day.filter((e) => e.ref !== ref);
}

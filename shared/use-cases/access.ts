import { Forbidden, NotFound } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';

/** The caller's own team. Staff routes never take a team from the URL, so another team's data is unreachable by construction. */
export function ownTeam(principal: Principal): string {
  if (!principal.teamId) throw new Forbidden('Your account belongs to no team.');
  return principal.teamId;
}

export const isCoordinator = (p: Principal): boolean => p.groups.has('coordinator');

/** A therapist may read only their own staff record; others in the team look like they don't exist (404). */
export function assertSelfOrCoordinator(principal: Principal, staffId: string): void {
  if (isCoordinator(principal)) return;
  if (principal.staffId !== staffId) throw new NotFound();
}

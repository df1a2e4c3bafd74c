import { Conflict, ServiceUnavailable } from '../domain/errors.js';
import { logger } from '../logger.js';
import type { Group } from '../domain/principal.js';
import type { SignIn, SignInDirectory } from '../identity/sign-in-directory.js';
import { SignInDirectoryFailed, SignInTaken } from '../identity/sign-in-directory.js';
import type { Staff, StaffRole } from '../schemas/staff.js';
import * as store from '../store/staff.js';
import type { Deps } from './deps.js';

/** What the staff use cases need besides the table: the sign-in directory (absent when SIGN_IN_MODE=off). */
export type StaffDeps = Deps & { signIns?: SignInDirectory | undefined };

/** The group a staff role signs in with. */
export const groupOfRole = (role: StaffRole): Group => (role === 'coordinator' ? 'coordinator' : 'therapist');

/** The 409 when an e-mail already signs in as another person: field-level, and it names nobody. */
export const emailTaken = (): Conflict =>
  new Conflict('This e-mail address already signs in as someone else; each staff member needs their own.', [
    { path: 'email', message: 'already signs in as someone else' },
  ]);

/**
 * Runs one step against the directory, mapping its failures to API errors: an e-mail that belongs to someone else is
 * 409 on `email`, an unreachable directory 503 with `unavailable` (the message says what was and was not done).
 */
export async function signInStep<T>(run: () => Promise<T>, unavailable: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SignInTaken) throw emailTaken();
    if (error instanceof SignInDirectoryFailed) {
      logger.warn('sign-in directory failed', { error: error.message });
      throw new ServiceUnavailable(unavailable);
    }
    throw error;
  }
}

/**
 * Brings a staff member's sign-in in line with their record: an active member has exactly one enabled sign-in in the
 * group of their role (created when missing); an inactive one's sign-in, if any, is disabled. Idempotent, so any
 * later write, a retried request or `npm start` converges a sign-in that an earlier failure left behind.
 */
export async function syncSignIn(signIns: SignInDirectory, staff: Staff): Promise<SignIn | undefined> {
  if (staff.email === undefined) return undefined; // contact details purged: the sign-in was disabled at deactivation
  const ref = { teamId: staff.teamId, staffId: staff.id, email: staff.email };
  if (!staff.active) {
    const signIn = await signIns.findByStaff(ref);
    if (signIn?.enabled) await signIns.disable(staff.email);
    return signIn && { ...signIn, enabled: false };
  }
  const signIn = await signIns.ensure({ ...ref, group: groupOfRole(staff.role) });
  if (!signIn.enabled) await signIns.enable(staff.email);
  return { ...signIn, enabled: true };
}

/**
 * After a failed record write that followed a sign-in change: puts the sign-in back in line with the record as it is
 * now stored. Best effort — if the directory fails here too, the sign-in was only narrowed (disabled or moved to
 * the therapist group), never widened, and the next write or start converges it.
 */
export async function restoreSignIn(deps: StaffDeps, teamId: string, staffId: string): Promise<void> {
  if (!deps.signIns) return;
  try {
    const stored = await store.getStaff(deps.db, teamId, staffId);
    if (stored) await syncSignIn(deps.signIns, stored);
  } catch (error) {
    logger.warn('sign-in restore failed', { error: error instanceof Error ? error.name : 'unknown' });
  }
}

/** Every staff member of a team gets the sign-in their record calls for (`npm start`, after a lost sign-ins file). */
export async function reconcileTeamSignIns(deps: StaffDeps, teamId: string): Promise<number> {
  if (!deps.signIns) return 0;
  const staff = await store.listStaff(deps.db, teamId);
  for (const member of staff) await syncSignIn(deps.signIns, member);
  return staff.length;
}

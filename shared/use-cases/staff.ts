import { Conflict, Forbidden, Invalid, NotFound, ServiceUnavailable } from '../http/errors.js';
import type { Principal } from '../http/principal.js';
import type { Absence, CreateAbsenceBody, CreateStaffBody, UpdateStaffBody } from '../schemas/staff.js';
import { Absence as AbsenceSchema, Staff } from '../schemas/staff.js';
import { absenceInstants, absencesOverlap } from '../domain/absence-interval.js';
import { addDays, instantToLocal, localToInstant } from '../domain/booking/time.js';
import type { Engagement } from '../schemas/engagement.js';
import { staffDaysBetween } from '../store/schedule.js';
import { answerItems, progressItems, resumedStep } from '../store/idempotency.js';
import * as store from '../store/staff.js';
import { getTeam } from '../store/teams.js';
import { assertSelfOrCoordinator, isCoordinator, ownTeam } from './access.js';
import type { Deps } from './deps.js';
import { normalEmail } from '../identity/sign-in-directory.js';
import type { StaffDeps } from './sign-ins.js';
import { emailTaken, groupOfRole, restoreSignIn, signInStep, syncSignIn } from './sign-ins.js';
import { logger } from '../http/logger.js';
import { assertVersion } from './versions.js';

async function assertBaseServed(deps: Deps, teamId: string, base: string): Promise<void> {
  const team = await getTeam(deps.db, teamId);
  if (!team) throw new NotFound('Your team does not exist.');
  if (!team.places.includes(base)) {
    throw new Invalid([{ path: 'base', message: `"${base}" is not one of the team's places (${team.places.join(', ')})` }]);
  }
}

async function loadStaff(deps: Deps, teamId: string, staffId: string): Promise<Staff> {
  const staff = await store.getStaff(deps.db, teamId, staffId);
  if (!staff) throw new NotFound();
  return staff;
}

/**
 * Adds a staff member and creates their sign-in. Order: the record first, then the sign-in, so a failure between the
 * two leaves a record without a sign-in (nobody gains access) rather than a sign-in without a record. That failure is
 * a 503 saying the record was saved; sending the same request again finishes it (the duplicate's 409 comes after
 * the sign-in is ensured), as does any later change to the person or `npm start`'s reconciliation.
 */
export async function createStaff(deps: StaffDeps, principal: Principal, input: CreateStaffBody): Promise<Staff> {
  const teamId = ownTeam(principal);
  await assertBaseServed(deps, teamId, input.base);
  const at = deps.now().toISOString();
  const staff = Staff.parse({ ...input, teamId, active: true, version: 1, createdAt: at, updatedAt: at });
  const signIns = deps.signIns;
  if (signIns) {
    const holder = await signInStep(() => signIns.find(input.email), 'The sign-in service did not answer; nothing was changed. Try again.');
    if (holder && (holder.teamId !== teamId || holder.staffId !== staff.id)) throw emailTaken();
  }
  try {
    // With an Idempotency-Key, the key's record completes in this transaction (issue 24 §1).
    await store.createStaff(deps.db, staff, answerItems(staff));
  } catch (error) {
    // The same person created again (a retry after the sign-in step failed): finish their sign-in, then the usual 409.
    if (error instanceof Conflict && signIns) {
      const existing = await store.getStaff(deps.db, teamId, staff.id);
      if (existing?.email !== undefined && normalEmail(existing.email) === normalEmail(input.email)) {
        await signInStep(() => syncSignIn(signIns, existing), 'The staff member exists, but their sign-in could not be created yet; try again.');
      }
    }
    throw error;
  }
  if (signIns) {
    try {
      await signInStep(() => syncSignIn(signIns, staff), 'The staff member was saved, but their sign-in could not be created yet; send the same request again to finish it.');
    } catch (error) {
      // Lost a race for the e-mail with another team's new staff member: undo the record, so the 409 changed nothing.
      if (error instanceof Conflict) await store.deleteNewStaff(deps.db, teamId, staff.id);
      throw error;
    }
  }
  return staff;
}

/** The team's staff; a therapist sees only their own record. */
export async function listStaff(deps: Deps, principal: Principal): Promise<Staff[]> {
  const teamId = ownTeam(principal);
  const staff = await store.listStaff(deps.db, teamId);
  return isCoordinator(principal) ? staff : staff.filter((s) => s.id === principal.staffId);
}

export async function readStaff(deps: Deps, principal: Principal, staffId: string): Promise<Staff> {
  const teamId = ownTeam(principal);
  assertSelfOrCoordinator(principal, staffId);
  return loadStaff(deps, teamId, staffId);
}

/**
 * Updates a staff member: the coordinator anything, a therapist only their own reminder choices (a lead time outside
 * the team's policy is a 400 for anyone). A role change moves their sign-in's group. A change that narrows what the sign-in may do
 * (coordinator → therapist) is made in the directory before the record, one that widens it after, so the sign-in
 * never grants more than the record says, whatever fails in between.
 */
export async function updateStaff(deps: StaffDeps, principal: Principal, staffId: string, input: UpdateStaffBody): Promise<Staff> {
  const teamId = ownTeam(principal);
  assertSelfOrCoordinator(principal, staffId);
  const { version, ...changes } = input;
  // A therapist changes only their own reminder choices (§6), never their hours, role or daily maximum.
  if (!isCoordinator(principal)) {
    const refused = Object.keys(changes).filter((k) => k !== 'notifications');
    if (refused.length > 0) throw new Forbidden(`a therapist changes only their own notifications, not ${refused.join(', ')}`);
  }
  const current = await loadStaff(deps, teamId, staffId);
  assertVersion(current.version, version, 'staff member');
  if (changes.base !== undefined) await assertBaseServed(deps, teamId, changes.base);
  const lead = changes.notifications?.visitLeadMinutes;
  if (lead !== undefined) {
    const policy = (await getTeam(deps.db, teamId))?.reminderPolicy;
    if (policy && (lead < policy.minLeadMinutes || lead > policy.maxLeadMinutes)) {
      throw new Invalid([{ path: 'notifications.visitLeadMinutes', message: `must be between ${policy.minLeadMinutes} and ${policy.maxLeadMinutes} minutes (the team's policy)` }]);
    }
  }
  const next = Staff.parse({ ...current, ...changes, version: version + 1, updatedAt: deps.now().toISOString() });
  const signIns = deps.signIns;
  const unavailable = 'The sign-in service did not answer; nothing was changed. Try again.';
  const signIn = signIns && current.email !== undefined ? await signInStep(() => signIns.findByStaff({ teamId, staffId, email: current.email ?? '' }), unavailable) : undefined;
  if (signIn && changes.email !== undefined && normalEmail(changes.email) !== signIn.email) {
    throw new Conflict('The e-mail is this person’s sign-in (their user name) and cannot be changed here; nothing was changed.', [{ path: 'email', message: 'is the sign-in’s user name and cannot be changed' }]);
  }
  if (signIns && !signIn && next.active && next.email !== undefined) {
    // No sign-in yet (an earlier failure): the one this write will create must not take someone else's e-mail.
    const email = next.email;
    if (await signInStep(() => signIns.find(email), unavailable)) throw emailTaken();
  }
  const narrowing = signIn !== undefined && groupOfRole(current.role) === 'coordinator' && groupOfRole(next.role) === 'therapist';
  if (signIns && narrowing) await signInStep(() => signIns.setGroup(signIn.email, 'therapist'), unavailable);
  try {
    await store.replaceStaff(deps.db, next, version);
  } catch (error) {
    if (narrowing) await restoreSignIn(deps, teamId, staffId);
    throw error;
  }
  if (signIns) {
    const roleChanged = groupOfRole(current.role) !== groupOfRole(next.role);
    try {
      await signInStep(() => syncSignIn(signIns, next), 'The change was saved, but the sign-in’s group could not be moved yet; send the change again to finish it.');
    } catch (error) {
      if (roleChanged || !(error instanceof ServiceUnavailable)) throw error;
      // Nothing about the sign-in changed: the record is saved, and the next write or start converges the sign-in.
      logger.warn('sign-in sync after update failed', { route: 'updateStaff' });
    }
  }
  return next;
}

/**
 * Deactivation keeps the record (visits and audit refer to it) but takes the person out of planning, and disables
 * their sign-in at once: in the directory first, then the record, so a failure leaves them locked out rather than in.
 */
export async function deactivateStaff(deps: StaffDeps, principal: Principal, staffId: string, version: number): Promise<Staff> {
  const teamId = ownTeam(principal);
  const current = await loadStaff(deps, teamId, staffId);
  assertVersion(current.version, version, 'staff member');
  const at = deps.now().toISOString();
  const next = Staff.parse({ ...current, active: false, deactivatedAt: at, version: version + 1, updatedAt: at });
  const signIns = deps.signIns;
  const unavailable = 'The sign-in service did not answer, so the sign-in could not be disabled; nothing was changed. Try again.';
  const signIn = signIns && current.email !== undefined ? await signInStep(() => signIns.findByStaff({ teamId, staffId, email: current.email ?? '' }), unavailable) : undefined;
  if (signIns && signIn?.enabled) await signInStep(() => signIns.disable(signIn.email), unavailable);
  try {
    await store.replaceStaff(deps.db, next, version, answerItems(next));
  } catch (error) {
    if (signIn?.enabled) await restoreSignIn(deps, teamId, staffId);
    throw error;
  }
  return next;
}

export async function listAbsences(deps: Deps, principal: Principal, staffId: string): Promise<Absence[]> {
  const teamId = ownTeam(principal);
  assertSelfOrCoordinator(principal, staffId);
  await loadStaff(deps, teamId, staffId);
  const absences = await store.listAbsences(deps.db, teamId, staffId);
  return absences.sort((a, b) => a.from.localeCompare(b.from));
}

/** A therapist records their own absences; the coordinator anyone's. */
/**
 * Records an absence and lists what is already booked in it, so the coordinator can move or cancel it: a sick
 * therapist must be able to report it whatever is on their calendar.
 */
export async function createAbsence(deps: Deps, principal: Principal, staffId: string, input: CreateAbsenceBody): Promise<Absence & { affected: (Engagement & { startLocal: string; endLocal: string })[] }> {
  const teamId = ownTeam(principal);
  assertSelfOrCoordinator(principal, staffId);
  const team = await getTeam(deps.db, teamId);
  const zone = team?.zone ?? 'Europe/Stockholm';
  // Two steps: the absence, then what it affects (read after it, so nothing booked before it is missed). With an
  // Idempotency-Key the first notes the absence in the key's record; a retry after a crash answers with it (issue 24 §1).
  const recorded = resumedStep('absence');
  let absence: Absence;
  if (recorded !== undefined) absence = AbsenceSchema.parse(recorded);
  else {
    await loadStaff(deps, teamId, staffId);
    const span = absenceSpanOf(input, zone);
    const overlapping = (await store.listAbsences(deps.db, teamId, staffId)).find((a) => absencesOverlap(a, span, zone));
    if (overlapping) {
      const when = overlapping.startLocal !== undefined ? `${overlapping.startLocal}–${overlapping.endLocal ?? ''}` : `${overlapping.from}–${overlapping.to}`;
      throw new Conflict(`${staffId} already has an absence ${when} (${overlapping.kind}, id ${overlapping.id}) overlapping this one; change or remove that one instead`);
    }
    absence = { teamId, staffId, id: deps.newId(), ...span, kind: input.kind, createdAt: deps.now().toISOString() };
    // Only the days the transaction guards are listed: never a list as long as a span the caller chose.
    const dates: string[] = [];
    for (let d = span.from; d <= span.to && dates.length < store.guardedAbsenceDays; d = addDays(d, 1)) dates.push(d);
    await store.putAbsence(deps.db, absence, dates, progressItems('absence', absence));
  }
  const span = absence;
  const blocked = absenceInstants(absence, zone);
  const affected = (await staffDaysBetween(deps.db, teamId, staffId, span.from, span.to))
    .flatMap((d) => d.engagements)
    .filter((e) => e.start < blocked.end && blocked.start < e.end)
    .map((e) => ({ ...e, startLocal: instantToLocal(e.start, zone), endLocal: instantToLocal(e.end, zone) }));
  return { ...absence, affected };
}

/** Whole days as given; a part-day absence as instants in the team's zone (400 on a wall time the clocks skip), with the dates it touches. */
function absenceSpanOf(input: CreateAbsenceBody, zone: string): Pick<Absence, 'from' | 'to' | 'start' | 'end' | 'startLocal' | 'endLocal'> {
  if (input.start === undefined || input.end === undefined) return { from: input.from ?? '', to: input.to ?? '' };
  const start = localToInstant(input.start, zone);
  const end = localToInstant(input.end, zone);
  const problems = [];
  if (!start) problems.push({ path: 'start', message: `${input.start} does not exist in ${zone} (the clocks go forward)` });
  if (!end) problems.push({ path: 'end', message: `${input.end} does not exist in ${zone} (the clocks go forward)` });
  if (!start || !end) throw new Invalid(problems);
  const lastDate = input.end.slice(11) === '00:00' ? addDays(input.end.slice(0, 10), -1) : input.end.slice(0, 10);
  const from = input.start.slice(0, 10);
  return { from, to: lastDate < from ? from : lastDate, start, end, startLocal: input.start, endLocal: input.end };
}

export async function deleteAbsence(deps: Deps, principal: Principal, staffId: string, absenceId: string): Promise<void> {
  const teamId = ownTeam(principal);
  assertSelfOrCoordinator(principal, staffId);
  if (!(await store.deleteAbsence(deps.db, teamId, staffId, absenceId))) throw new NotFound();
}

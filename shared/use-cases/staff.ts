import { Conflict, Forbidden, Invalid, NotFound, ServiceUnavailable } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Absence, CreateAbsenceBody, CreateStaffBody, UpdateAbsenceBody, UpdateStaffBody } from '../schemas/staff.js';
import { Absence as AbsenceSchema, Staff } from '../schemas/staff.js';
import { absenceInstants, absenceOverlaps, absencesOverlap } from '../domain/absence-interval.js';
import { findFamilyCollision, findStaffCollision } from '../domain/booking/conflicts.js';
import { addDays, instantToLocal, localDateOf, localToInstant } from '../domain/booking/time.js';
import { travelLookup } from '../domain/planning/rules.js';
import type { Engagement } from '../schemas/engagement.js';
import type { Team } from '../schemas/team.js';
import { getFamily } from '../store/families.js';
import { dayRefKey, readDays, staffDaysBetween } from '../store/schedule.js';
import { visitsBetween } from '../store/visits.js';
import { answerItems, progressItems, resumedStep } from '../store/idempotency.js';
import * as store from '../store/staff.js';
import { getTeam } from '../store/teams.js';
import { assertSelfOrCoordinator, isCoordinator, ownTeam } from './access.js';
import type { Deps } from './deps.js';
import { normalEmail } from '../identity/sign-in-directory.js';
import type { StaffDeps } from './sign-ins.js';
import { emailTaken, groupOfRole, restoreSignIn, signInStep, syncSignIn } from './sign-ins.js';
import { logger } from '../logger.js';
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
/**
 * The team a staff write is for: the caller's own; an administrator (who belongs to no team) names it, and adds only
 * its coordinators — the coordinator adds the team's therapists.
 */
async function staffTeamOf(deps: Deps, principal: Principal, named: string | undefined, role?: string): Promise<string> {
  if (principal.teamId) {
    if (named !== undefined && named !== principal.teamId) throw new Forbidden('You add staff to your own team only.');
    return principal.teamId;
  }
  if (!principal.groups.has('admin')) throw new Forbidden('Your account belongs to no team.');
  if (named === undefined) throw new Invalid([{ path: 'teamId', message: 'an administrator names the team' }]);
  if (role !== undefined && role !== 'coordinator')
    throw new Invalid([{ path: 'role', message: 'an administrator adds a team’s coordinators; the coordinator adds its therapists' }]);
  if (!(await getTeam(deps.db, named))) throw new NotFound();
  return named;
}

export async function createStaff(deps: StaffDeps, principal: Principal, body: CreateStaffBody): Promise<Staff> {
  const { teamId: named, ...input } = body;
  const teamId = await staffTeamOf(deps, principal, named, input.role);
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
      await signInStep(
        () => syncSignIn(signIns, staff),
        'The staff member was saved, but their sign-in could not be created yet; send the same request again to finish it.',
      );
    } catch (error) {
      // Lost a race for the e-mail with another team's new staff member: undo the record, so the 409 changed nothing.
      if (error instanceof Conflict) await store.deleteNewStaff(deps.db, teamId, staff.id);
      throw error;
    }
  }
  return staff;
}

/** The team's staff; a therapist sees only their own record; an administrator a named team's coordinators. */
export async function listStaff(deps: Deps, principal: Principal, named?: string): Promise<Staff[]> {
  const teamId = await staffTeamOf(deps, principal, named);
  const staff = await store.listStaff(deps.db, teamId);
  if (!principal.teamId) return staff.filter((s) => s.role === 'coordinator');
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
      throw new Invalid([
        {
          path: 'notifications.visitLeadMinutes',
          message: `must be between ${policy.minLeadMinutes} and ${policy.maxLeadMinutes} minutes (the team's policy)`,
        },
      ]);
    }
  }
  const next = Staff.parse({ ...current, ...changes, version: version + 1, updatedAt: deps.now().toISOString() });
  const signIns = deps.signIns;
  const unavailable = 'The sign-in service did not answer; nothing was changed. Try again.';
  const signIn =
    signIns && current.email !== undefined
      ? await signInStep(() => signIns.findByStaff({ teamId, staffId, email: current.email ?? '' }), unavailable)
      : undefined;
  if (signIn && changes.email !== undefined && normalEmail(changes.email) !== signIn.email) {
    throw new Conflict('The e-mail is this person’s sign-in (their user name) and cannot be changed here; nothing was changed.', [
      { path: 'email', message: 'is the sign-in’s user name and cannot be changed' },
    ]);
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
      await signInStep(
        () => syncSignIn(signIns, next),
        'The change was saved, but the sign-in’s group could not be moved yet; send the change again to finish it.',
      );
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
  const signIn =
    signIns && current.email !== undefined
      ? await signInStep(() => signIns.findByStaff({ teamId, staffId, email: current.email ?? '' }), unavailable)
      : undefined;
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
  return absences.map((a) => ({ ...a, version: a.version ?? 1 })).sort((a, b) => a.from.localeCompare(b.from));
}

/** A therapist records their own absences; the coordinator anyone's. */
/**
 * Records an absence and lists what is already booked in it, so the coordinator can move or cancel it: a sick
 * therapist must be able to report it whatever is on their calendar.
 */
export async function createAbsence(
  deps: Deps,
  principal: Principal,
  staffId: string,
  input: CreateAbsenceBody,
): Promise<Absence & { affected: (Engagement & { startLocal: string; endLocal: string })[] }> {
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
      const when =
        overlapping.startLocal !== undefined ? `${overlapping.startLocal}–${overlapping.endLocal ?? ''}` : `${overlapping.from}–${overlapping.to}`;
      throw new Conflict(
        `${staffId} already has an absence ${when} (${overlapping.kind}, id ${overlapping.id}) overlapping this one; change or remove that one instead`,
      );
    }
    absence = { teamId, staffId, id: deps.newId(), ...span, kind: input.kind, version: 1, createdAt: deps.now().toISOString() };
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

type Affected = Engagement & { startLocal: string; endLocal: string };
/** A visit cancelled for this absence that can go back where it was. */
export interface RestorableVisit {
  visit: string;
  version: number;
  family: string;
  kind: string;
  staff: string[];
  startLocal: string;
  endLocal: string;
}

/**
 * Changes an absence in place — ends it early or extends it — from the version read (issue 23). Like recording it, it
 * bumps the days of the old and the new span in the same transaction, so a booking racing it re-checks. The answer
 * lists what is booked inside the new span (`affected`, to re-plan) and, when it got shorter, the visits cancelled for
 * the staff absence in the freed time that are still free to go back where they were (`restorable`: commit them with
 * action `restore` in POST /weeks/{week}/replan/commit).
 */
export async function updateAbsence(
  deps: Deps,
  principal: Principal,
  staffId: string,
  absenceId: string,
  input: UpdateAbsenceBody,
): Promise<Absence & { affected: Affected[]; restorable: RestorableVisit[] }> {
  const teamId = ownTeam(principal);
  assertSelfOrCoordinator(principal, staffId);
  const member = await loadStaff(deps, teamId, staffId);
  const team = await getTeam(deps.db, teamId);
  if (!team) throw new NotFound('Your team does not exist.');
  const mine = await store.listAbsences(deps.db, teamId, staffId);
  const current = mine.find((a) => a.id === absenceId);
  if (!current) throw new NotFound();
  assertVersion(current.version ?? 1, input.version, 'absence');
  const span = absenceSpanOf(input, team.zone);
  const overlapping = mine.find((a) => a.id !== absenceId && absencesOverlap(a, span, team.zone));
  if (overlapping) {
    const when =
      overlapping.startLocal !== undefined ? `${overlapping.startLocal}–${overlapping.endLocal ?? ''}` : `${overlapping.from}–${overlapping.to}`;
    throw new Conflict(
      `${staffId} already has an absence ${when} (${overlapping.kind}, id ${overlapping.id}) overlapping this one; change or remove that one instead`,
    );
  }
  const at = deps.now().toISOString();
  const { start: _s, end: _e, startLocal: _sl, endLocal: _el, ...kept } = current;
  const next: Absence = { ...kept, ...span, kind: input.kind, version: input.version + 1, updatedAt: at };
  const from = current.from < span.from ? current.from : span.from;
  const to = current.to > span.to ? current.to : span.to;
  const dates: string[] = [];
  for (let d = from; d <= to && dates.length < store.guardedAbsenceDays; d = addDays(d, 1)) dates.push(d);
  await store.replaceAbsence(deps.db, next, dates, input.version);
  const blocked = absenceInstants(next, team.zone);
  const affected = (await staffDaysBetween(deps.db, teamId, staffId, span.from, span.to))
    .flatMap((d) => d.engagements)
    .filter((e) => e.start < blocked.end && blocked.start < e.end)
    .map((e) => ({ ...e, startLocal: instantToLocal(e.start, team.zone), endLocal: instantToLocal(e.end, team.zone) }));
  const others = (await store.listAbsences(deps.db, teamId)).filter((a) => a.id !== absenceId);
  const restorable = await restorableVisits(deps, team, member.id, current, next, others);
  return { ...next, affected, restorable };
}

/** Visits of `staffId` cancelled for a staff absence in the time `before` covered and `after` no longer does, from now on, whose time is still free for all their staff and their family. */
async function restorableVisits(
  deps: Deps,
  team: Team,
  staffId: string,
  before: Absence,
  after: Absence,
  otherAbsences: readonly Absence[],
): Promise<RestorableVisit[]> {
  const old = absenceInstants(before, team.zone);
  const now = deps.now().toISOString();
  const from = old.start > now ? old.start : now;
  if (from >= old.end) return [];
  const candidates = (await visitsBetween(deps.db, team.id, from, old.end)).filter(
    (v) =>
      v.status === 'cancelled' &&
      v.cancelReason === 'staff_absence' &&
      v.staff.includes(staffId) &&
      v.start > now &&
      !absenceOverlaps(after, team.zone, v.start, v.end) &&
      !otherAbsences.some((a) => v.staff.includes(a.staffId) && absenceOverlaps(a, team.zone, v.start, v.end)),
  );
  if (candidates.length === 0) return [];
  const refs = candidates.flatMap((v) => {
    const date = localDateOf(v.start, team.zone);
    return [...v.staff.map((id) => ({ owner: 'staff' as const, id, date })), { owner: 'family' as const, id: v.family, date }];
  });
  const days = await readDays(deps.db, team.id, refs);
  const travel = travelLookup(team.travelMinutes);
  const maxPerDay = new Map<string, number>();
  for (const code of new Set(candidates.map((v) => v.family))) maxPerDay.set(code, (await getFamily(deps.db, team.id, code))?.maxSessionsPerDay ?? 1);
  return candidates
    .filter((v) => {
      const date = localDateOf(v.start, team.zone);
      const candidate = { ref: `visit:${v.id}`, start: v.start, end: v.end, place: v.place };
      const staffFree = v.staff.every(
        (id) => !findStaffCollision(days.get(dayRefKey({ owner: 'staff', id, date }))?.engagements ?? [], candidate, travel),
      );
      return (
        staffFree &&
        !findFamilyCollision(days.get(dayRefKey({ owner: 'family', id: v.family, date }))?.engagements ?? [], candidate, maxPerDay.get(v.family) ?? 1)
      );
    })
    .map((v) => ({
      visit: v.id,
      version: v.version,
      family: v.family,
      kind: v.kind,
      staff: v.staff,
      startLocal: v.startLocal,
      endLocal: v.endLocal,
    }));
}

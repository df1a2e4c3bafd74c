import { Conflict, Invalid, NotFound } from '../http/errors.js';
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

export async function createStaff(deps: Deps, principal: Principal, input: CreateStaffBody): Promise<Staff> {
  const teamId = ownTeam(principal);
  await assertBaseServed(deps, teamId, input.base);
  const at = deps.now().toISOString();
  const staff = Staff.parse({ ...input, teamId, active: true, version: 1, createdAt: at, updatedAt: at });
  await store.createStaff(deps.db, staff, answerItems(staff));
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

export async function updateStaff(deps: Deps, principal: Principal, staffId: string, input: UpdateStaffBody): Promise<Staff> {
  const teamId = ownTeam(principal);
  const current = await loadStaff(deps, teamId, staffId);
  const { version, ...changes } = input;
  assertVersion(current.version, version, 'staff member');
  if (changes.base !== undefined) await assertBaseServed(deps, teamId, changes.base);
  const next = Staff.parse({ ...current, ...changes, version: version + 1, updatedAt: deps.now().toISOString() });
  await store.replaceStaff(deps.db, next, version);
  return next;
}

/** Deactivation keeps the record (visits and audit refer to it) but takes the person out of planning. */
export async function deactivateStaff(deps: Deps, principal: Principal, staffId: string, version: number): Promise<Staff> {
  const teamId = ownTeam(principal);
  const current = await loadStaff(deps, teamId, staffId);
  assertVersion(current.version, version, 'staff member');
  const at = deps.now().toISOString();
  const next = Staff.parse({ ...current, active: false, deactivatedAt: at, version: version + 1, updatedAt: at });
  await store.replaceStaff(deps.db, next, version, answerItems(next));
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

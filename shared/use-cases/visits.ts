import { Conflict, Invalid, NotFound } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { dateRangeInstants, isoWeekOf, localToInstant, minutesBetween, weekDates } from '../domain/booking/time.js';
import { DateTime } from 'luxon';
import { absentStaffOf } from '../domain/absent-staff.js';
import type { WeekdayInterval } from '../schemas/common.js';
import type { Engagement } from '../schemas/engagement.js';
import type { AuditEntry, Family } from '../schemas/family.js';
import type { Team } from '../schemas/team.js';
import type { CancelVisitBody, CreateVisitBody, MoveVisitBody, ProposedVisits } from '../schemas/visit.js';
import { Visit } from '../schemas/visit.js';
import { listAudit } from '../store/audit.js';
import { getFamily } from '../store/families.js';
import { answerItems, progressItems, resumedStep } from '../store/idempotency.js';
import { visitFiguresWrite } from '../store/figures.js';
import { staffDaysBetween } from '../store/schedule.js';
import { listAbsences, listStaff } from '../store/staff.js';
import { getTeam } from '../store/teams.js';
import { getVisit, getVisits, visitsBetween, visitsOfFamily, visitWrite } from '../store/visits.js';
import { isCoordinator, ownTeam } from './access.js';
import type { Deps } from './deps.js';
import type { Placement } from './schedule.js';
import { applyScheduleChange } from './schedule.js';
import { changeNoticeWrites } from './notices.js';
import { assertVersion } from './versions.js';

export async function loadTeam(deps: Deps, teamId: string): Promise<Team> {
  const team = await getTeam(deps.db, teamId);
  if (!team) throw new NotFound('Your team does not exist.');
  return team;
}

const treats = (principal: Principal, family: Pick<Family, 'familyTherapist' | 'individualTherapist'>) =>
  principal.staffId !== undefined && (family.familyTherapist === principal.staffId || family.individualTherapist === principal.staffId);

/** A therapist sees and changes the visits they give and the visits of families they treat; the coordinator all of the team's. */
function canSee(principal: Principal, visit: Visit, family: Family | undefined): boolean {
  return (
    isCoordinator(principal) ||
    (principal.staffId !== undefined && visit.staff.includes(principal.staffId)) ||
    (family !== undefined && treats(principal, family))
  );
}

/** Who gives a session of this kind: the family therapist, the individual therapist, or both (§4 rule 5). */
export function staffFor(kind: Visit['kind'], family: Pick<Family, 'familyTherapist' | 'individualTherapist'>): string[] {
  if (kind === 'family') return [family.familyTherapist];
  if (kind === 'individual') return [family.individualTherapist];
  return [family.familyTherapist, family.individualTherapist];
}

/** Local start/end → UTC instants; 400 for wall times that do not exist (spring forward) or visits over 4 hours. */
export function toInterval(team: Team, start: string, end: string): { start: string; end: string } {
  const s = localToInstant(start, team.zone);
  const e = localToInstant(end, team.zone);
  const problems = [];
  if (!s) problems.push({ path: 'start', message: `${start} does not exist in ${team.zone} (the clocks go forward)` });
  if (!e) problems.push({ path: 'end', message: `${end} does not exist in ${team.zone} (the clocks go forward)` });
  if (s && e && minutesBetween(s, e) > 240) problems.push({ path: 'end', message: 'a visit lasts at most 4 hours' });
  if (s && e && minutesBetween(s, e) <= 0) problems.push({ path: 'end', message: 'end must be after start' });
  if (problems.length || !s || !e) throw new Invalid(problems);
  return { start: s, end: e };
}

export function visitPlacement(visit: Visit, family: Pick<Family, 'maxSessionsPerDay'>): Placement {
  const engagement: Engagement = {
    ref: `visit:${visit.id}`,
    type: 'visit',
    start: visit.start,
    end: visit.end,
    place: visit.place,
    version: visit.version,
    updatedAt: visit.updatedAt,
    family: visit.family,
    visitKind: visit.kind,
  };
  return { engagement, staff: visit.staff, family: { code: visit.family, maxPerDay: family.maxSessionsPerDay } };
}

/** How each staff member wants change notices (§6). */
export async function noticeChannels(deps: Deps, teamId: string): Promise<Map<string, 'sms' | 'email' | 'off'>> {
  return new Map(
    (await listStaff(deps.db, teamId)).map((s) => [
      s.id,
      s.notifications.changeNotice === 'sms' && !s.mobile ? 'email' : s.notifications.changeNotice,
    ]),
  );
}

export const auditOf = (principal: Principal, action: string, before: Visit | undefined, after: Visit, warnings: readonly string[] = []) => ({
  teamId: after.teamId,
  entity: 'visit' as const,
  entityId: after.id,
  action,
  actor: principal.staffId ?? principal.subject,
  at: after.updatedAt,
  before,
  after,
  ...(warnings.length > 0 ? { warnings: [...warnings] } : {}),
});

/** The case's figure item follows a visit's status in the same transaction (§9 survives the §10 purge). */
function figureWrites(deps: Deps, before: Visit, after: Visit) {
  const write = visitFiguresWrite(deps.db, before, after);
  return write ? [write] : [];
}

const insideOne = (intervals: readonly WeekdayInterval[], weekday: number, start: string, end: string) =>
  intervals.some((i) => i.weekday === weekday && i.start <= start && end <= i.end);

/**
 * What a manual booking breaks that the planner would not (§4 rules 1–2): outside a therapist's working hours or
 * the family's visiting windows. Accepted — an evening crisis visit happens — but said, to the coordinator and in the audit.
 */
export async function bookingWarnings(
  deps: Deps,
  teamId: string,
  staffIds: readonly string[],
  family: Pick<Family, 'code' | 'windows'> | undefined,
  startLocal: string,
  endLocal: string,
): Promise<string[]> {
  const weekday = DateTime.fromISO(startLocal).weekday;
  const start = startLocal.slice(11);
  const end = endLocal.slice(0, 10) === startLocal.slice(0, 10) ? endLocal.slice(11) : '24:00';
  const staff = (await listStaff(deps.db, teamId)).filter((s) => staffIds.includes(s.id));
  const warnings = staff
    .filter((s) => !insideOne(s.workingHours, weekday, start, end))
    .map((s) => `${startLocal}–${end} is outside ${s.id}'s working hours`);
  if (family && !insideOne(family.windows, weekday, start, end)) warnings.push(`${startLocal}–${end} is outside ${family.code}'s visiting windows`);
  return warnings;
}

async function activeFamily(deps: Deps, teamId: string, code: string, path = 'family'): Promise<Family> {
  const family = await getFamily(deps.db, teamId, code);
  if (!family) throw new Invalid([{ path, message: `no family ${code} in the team` }]);
  if (family.status !== 'active') throw new Conflict(`family ${code} is ${family.status}, not active`);
  return family;
}

/** Why a visit on this local date is outside the family's treatment period, or undefined when it is inside (§3). */
export function outsideTreatment(family: Pick<Family, 'code' | 'treatmentStart' | 'treatmentEnd'>, localDate: string): string | undefined {
  if (family.treatmentStart !== undefined && localDate < family.treatmentStart) {
    return `${localDate} is before ${family.code}'s treatment started (${family.treatmentStart})`;
  }
  if (family.treatmentEnd !== undefined && localDate > family.treatmentEnd) {
    return `${localDate} is after ${family.code}'s treatment is planned to end (${family.treatmentEnd}); extend the treatment first`;
  }
  return undefined;
}

function assertInTreatment(family: Family | undefined, localStart: string): void {
  const reason = family && outsideTreatment(family, localStart.slice(0, 10));
  if (reason) throw new Conflict(reason);
}

/** Books one visit by hand; `warnings` when it is outside working hours or the family's windows. */
export async function createVisit(deps: Deps, principal: Principal, input: CreateVisitBody): Promise<Visit & { warnings?: string[] }> {
  const teamId = ownTeam(principal);
  const team = await loadTeam(deps, teamId);
  const family = await activeFamily(deps, teamId, input.family);
  if (!isCoordinator(principal) && !treats(principal, family))
    throw new Invalid([{ path: 'family', message: `no family ${input.family} in the team` }]);
  if (!family.sessions.some((s) => s.kind === input.kind && s.count > 0))
    throw new Invalid([{ path: 'kind', message: `family ${family.code} has no ${input.kind} sessions in its mix` }]);
  const interval = toInterval(team, input.start, input.end);
  assertInTreatment(family, input.start);
  const at = deps.now().toISOString();
  const visit = Visit.parse({
    teamId,
    id: deps.newId(),
    family: family.code,
    kind: input.kind,
    staff: staffFor(input.kind, family),
    start: interval.start,
    end: interval.end,
    startLocal: input.start,
    endLocal: input.end,
    week: isoWeekOf(interval.start, team.zone),
    place: family.place,
    status: 'planned',
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
  const absences = await listAbsences(deps.db, teamId);
  const warnings = await bookingWarnings(deps, teamId, visit.staff, family, input.start, input.end);
  const answer = warnings.length > 0 ? { ...visit, warnings } : visit;
  await applyScheduleChange(deps, team, absences, {
    records: [visitWrite(visit, undefined)],
    remove: [],
    add: [visitPlacement(visit, family)],
    audits: [{ entry: auditOf(principal, 'create', undefined, visit, warnings), id: deps.newId() }],
    extra: answerItems(answer),
  });
  return answer;
}

async function visibleVisit(deps: Deps, principal: Principal, id: string): Promise<{ visit: Visit; family: Family | undefined }> {
  const teamId = ownTeam(principal);
  const visit = await getVisit(deps.db, teamId, id);
  if (!visit) throw new NotFound();
  const family = await getFamily(deps.db, teamId, visit.family);
  if (!canSee(principal, visit, family)) throw new NotFound();
  return { visit, family };
}

export async function readVisit(deps: Deps, principal: Principal, id: string): Promise<Visit> {
  return (await visibleVisit(deps, principal, id)).visit;
}

/** A visit's history (who booked, moved, cancelled or recorded it, when, before and after), oldest first. */
export async function visitAudit(deps: Deps, principal: Principal, id: string): Promise<AuditEntry[]> {
  const { visit } = await visibleVisit(deps, principal, id);
  return listAudit(deps.db, visit.teamId, 'visit', visit.id);
}

function assertPlanned(visit: Visit): void {
  if (visit.status !== 'planned') throw new Conflict(`the visit is ${visit.status}`);
}

/** Moves a visit to a new time, with the version read; `warnings` as for a new booking. */
export async function moveVisit(deps: Deps, principal: Principal, id: string, input: MoveVisitBody): Promise<Visit & { warnings?: string[] }> {
  const { visit, family } = await visibleVisit(deps, principal, id);
  assertVersion(visit.version, input.version, 'visit');
  assertPlanned(visit);
  const team = await loadTeam(deps, visit.teamId);
  const interval = toInterval(team, input.start, input.end);
  assertInTreatment(family, input.start);
  const moved = Visit.parse({
    ...visit,
    start: interval.start,
    end: interval.end,
    startLocal: input.start,
    endLocal: input.end,
    week: isoWeekOf(interval.start, team.zone),
    version: visit.version + 1,
    updatedAt: deps.now().toISOString(),
  });
  const maxPerDay = { maxSessionsPerDay: family?.maxSessionsPerDay ?? 1 };
  const absences = await listAbsences(deps.db, visit.teamId);
  const warnings = await bookingWarnings(deps, visit.teamId, visit.staff, family, input.start, input.end);
  await applyScheduleChange(deps, team, absences, {
    records: [visitWrite(moved, visit.version), ...changeNoticeWrites(team, await noticeChannels(deps, team.id), visit, moved, deps.now())],
    remove: [visitPlacement(visit, maxPerDay)],
    add: [visitPlacement(moved, maxPerDay)],
    audits: [{ entry: auditOf(principal, 'move', visit, moved, warnings), id: deps.newId() }],
  });
  return warnings.length > 0 ? { ...moved, warnings } : moved;
}

/** Cancels a visit: who cancelled (family or team) and why, for the evaluation figures. */
export async function cancelVisit(deps: Deps, principal: Principal, id: string, input: CancelVisitBody): Promise<Visit> {
  const { visit, family } = await visibleVisit(deps, principal, id);
  assertVersion(visit.version, input.version, 'visit');
  assertPlanned(visit);
  const team = await loadTeam(deps, visit.teamId);
  const cancelled = Visit.parse({
    ...visit,
    status: 'cancelled',
    cancelledBy: input.by,
    cancelReason: input.reason,
    version: visit.version + 1,
    updatedAt: deps.now().toISOString(),
  });
  await applyScheduleChange(deps, team, [], {
    records: [visitWrite(cancelled, visit.version), ...changeNoticeWrites(team, await noticeChannels(deps, team.id), visit, cancelled, deps.now())],
    remove: [visitPlacement(visit, { maxSessionsPerDay: family?.maxSessionsPerDay ?? 1 })],
    add: [],
    audits: [{ entry: auditOf(principal, 'cancel', visit, cancelled), id: deps.newId() }],
    extra: [...figureWrites(deps, visit, cancelled), ...answerItems(cancelled)],
  });
  return cancelled;
}

/** A family's planned visits that have not started yet. */
export async function futureVisits(deps: Deps, teamId: string, code: string): Promise<Visit[]> {
  const now = deps.now().toISOString();
  return (await visitsOfFamily(deps.db, teamId, code)).filter((v) => v.status === 'planned' && v.start > now);
}

/** When a treatment ends (completed or declined), its future visits are cancelled by the team, freeing the therapists' time. */
export async function cancelFutureVisits(deps: Deps, principal: Principal, team: Team, family: Family): Promise<number> {
  const visits = await futureVisits(deps, team.id, family.code);
  for (const visit of visits) {
    const cancelled = Visit.parse({
      ...visit,
      status: 'cancelled',
      cancelledBy: 'team',
      cancelReason: 'treatment_ended',
      version: visit.version + 1,
      updatedAt: deps.now().toISOString(),
    });
    await applyScheduleChange(deps, team, [], {
      records: [visitWrite(cancelled, visit.version), ...changeNoticeWrites(team, await noticeChannels(deps, team.id), visit, cancelled, deps.now())],
      remove: [visitPlacement(visit, family)],
      add: [],
      audits: [{ entry: auditOf(principal, 'cancel:treatment-ended', visit, cancelled), id: deps.newId() }],
      extra: figureWrites(deps, visit, cancelled),
    });
  }
  return visits.length;
}

/** Records what happened: done or no-show, once the visit has started. */
export async function recordOutcome(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { version: number; status: 'done' | 'no_show' },
): Promise<Visit> {
  const { visit, family } = await visibleVisit(deps, principal, id);
  assertVersion(visit.version, input.version, 'visit');
  assertPlanned(visit);
  if (visit.start > deps.now().toISOString()) throw new Conflict('the visit has not started yet');
  const team = await loadTeam(deps, visit.teamId);
  const updated = Visit.parse({ ...visit, status: input.status, version: visit.version + 1, updatedAt: deps.now().toISOString() });
  const maxPerDay = { maxSessionsPerDay: family?.maxSessionsPerDay ?? 1 };
  // A done visit stays on the calendar; a no-show frees the time.
  await applyScheduleChange(deps, team, [], {
    records: [visitWrite(updated, visit.version)],
    remove: [visitPlacement(visit, maxPerDay)],
    add: input.status === 'done' ? [visitPlacement(updated, maxPerDay)] : [],
    audits: [{ entry: auditOf(principal, input.status, visit, updated), id: deps.newId() }],
    extra: [...figureWrites(deps, visit, updated), ...answerItems(updated)],
  });
  return updated;
}

type VisitQuery = {
  staff?: string | undefined;
  family?: string | undefined;
  week?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

/**
 * Lists visits by staff member and date range (their current schedule), by family, or by week (all statuses). A planned
 * visit inside an absence of one of its staff carries `absentStaff` until the coordinator decides it (issue 23).
 */
export async function listVisits(deps: Deps, principal: Principal, query: VisitQuery): Promise<(Visit & { absentStaff?: string[] })[]> {
  const teamId = ownTeam(principal);
  const visits = await visitsFor(deps, principal, teamId, query);
  if (!visits.some((v) => v.status === 'planned')) return visits;
  const [team, absences] = await Promise.all([loadTeam(deps, teamId), listAbsences(deps.db, teamId)]);
  return visits.map((v) => {
    const absent = v.status === 'planned' ? absentStaffOf(v, absences, team.zone) : [];
    return absent.length > 0 ? { ...v, absentStaff: absent } : v;
  });
}

async function visitsFor(deps: Deps, principal: Principal, teamId: string, query: VisitQuery): Promise<Visit[]> {
  if (query.staff !== undefined) {
    if (!isCoordinator(principal) && principal.staffId !== query.staff) throw new NotFound();
    const days = await staffDaysBetween(deps.db, teamId, query.staff, query.from ?? '', query.to ?? '');
    const ids = days.flatMap((d) => d.engagements.filter((e) => e.type === 'visit').map((e) => e.ref.slice('visit:'.length)));
    return getVisits(deps.db, teamId, ids);
  }
  if (query.family !== undefined) {
    const family = await getFamily(deps.db, teamId, query.family);
    if (!family || (!isCoordinator(principal) && !treats(principal, family))) throw new NotFound();
    return visitsOfFamily(deps.db, teamId, query.family);
  }
  const team = await loadTeam(deps, teamId);
  const { monday, sunday } = weekDates(query.week ?? '');
  const { from, to } = dateRangeInstants(monday, sunday, team.zone);
  const visits = await visitsBetween(deps.db, teamId, from, to);
  if (isCoordinator(principal)) return visits;
  const mine = new Set<string>();
  for (const code of new Set(visits.map((v) => v.family))) {
    const family = await getFamily(deps.db, teamId, code);
    if (family && treats(principal, family)) mine.add(code);
  }
  return visits.filter((v) => mine.has(v.family) || (principal.staffId !== undefined && v.staff.includes(principal.staffId)));
}

/** What happened to each family's part of a committed proposal. */
export interface CommitOutcome {
  booked: { family: string; visits: Visit[] }[];
  collided: { family: string; reason: string }[];
}

/**
 * Books a planner proposal (or a chosen subset): all-or-nothing per family, families one after the other. With an
 * Idempotency-Key each family's transaction also notes its booked visits in the key's record, so a retry after a
 * crash reports those as booked and books only the families the first attempt did not get to (issue 24 §1).
 */
export async function commitPlan(deps: Deps, principal: Principal, week: string, input: { visits: ProposedVisits }): Promise<CommitOutcome> {
  const teamId = ownTeam(principal);
  const team = await loadTeam(deps, teamId);
  const byFamily = new Map<string, ProposedVisits>();
  const problems: { path: string; message: string }[] = [];
  input.visits.forEach((v, i) => {
    if (!weekDates(week).days.includes(v.start.slice(0, 10))) problems.push({ path: `visits[${i}].start`, message: `is not in ${week}` });
    byFamily.set(v.family, [...(byFamily.get(v.family) ?? []), v]);
  });
  const families = new Map<string, Family>();
  for (const code of byFamily.keys()) {
    const family = await getFamily(deps.db, teamId, code);
    if (family) families.set(code, family);
  }
  input.visits.forEach((v, i) => {
    const family = families.get(v.family);
    if (!family) return problems.push({ path: `visits[${i}].family`, message: `no family ${v.family} in the team` });
    const expected = staffFor(v.kind, family);
    if (JSON.stringify([...v.staff].sort()) !== JSON.stringify([...expected].sort()))
      problems.push({ path: `visits[${i}].staff`, message: `a ${v.kind} visit of ${v.family} is given by ${expected.join(' and ')}` });
    if (v.place !== family.place) problems.push({ path: `visits[${i}].place`, message: `${v.family} is visited in ${family.place}` });
  });
  if (problems.length) throw new Invalid(problems);
  const intervals = input.visits.map((v, i) => {
    try {
      return toInterval(team, v.start, v.end);
    } catch (error) {
      if (error instanceof Invalid) throw new Invalid((error.fields ?? []).map((f) => ({ ...f, path: `visits[${i}].${f.path}` })));
      throw error;
    }
  });
  const absences = await listAbsences(deps.db, teamId);
  const outcome: CommitOutcome = { booked: [], collided: [] };
  for (const [code, proposed] of byFamily) {
    const family = families.get(code);
    if (!family) continue;
    const bookedBefore = resumedStep(`booked:${code}`);
    if (Array.isArray(bookedBefore)) {
      outcome.booked.push({ family: code, visits: bookedBefore.map((v) => Visit.parse(v)) });
      continue;
    }
    if (family.status !== 'active') {
      outcome.collided.push({ family: code, reason: `family ${code} is ${family.status}, not active` });
      continue;
    }
    const outside = proposed.map((p) => outsideTreatment(family, p.start.slice(0, 10))).find((r) => r !== undefined);
    if (outside) {
      outcome.collided.push({ family: code, reason: outside });
      continue;
    }
    const at = deps.now().toISOString();
    const visits = proposed.map((p) => {
      const interval = intervals[input.visits.indexOf(p)] ?? toInterval(team, p.start, p.end);
      return Visit.parse({
        teamId,
        id: deps.newId(),
        family: code,
        kind: p.kind,
        staff: staffFor(p.kind, family),
        start: interval.start,
        end: interval.end,
        startLocal: p.start,
        endLocal: p.end,
        week,
        place: family.place,
        status: 'planned',
        version: 1,
        createdAt: at,
        updatedAt: at,
      });
    });
    try {
      await applyScheduleChange(deps, team, absences, {
        records: visits.map((v) => visitWrite(v, undefined)),
        remove: [],
        add: visits.map((v) => visitPlacement(v, family)),
        audits: visits.map((v) => ({ entry: auditOf(principal, 'create:plan', undefined, v), id: deps.newId() })),
        extra: progressItems(`booked:${code}`, visits),
      });
      outcome.booked.push({ family: code, visits });
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      outcome.collided.push({ family: code, reason: error.message });
    }
  }
  return outcome;
}

import { Conflict, Invalid, NotFound } from '../domain/errors.js';
import type { FieldError } from '../domain/errors.js';
import { fieldErrors } from '../domain/field-errors.js';
import type { Principal } from '../domain/principal.js';
import { canTransition, nextStatuses } from '../domain/family-status.js';
import { todayIn, treatmentEndDate } from '../domain/treatment.js';
import type {
  AuditEntry,
  CompletionBody,
  CreateFamilyBody,
  FamilyStatus,
  FamilyTransitionBody,
  TallyBody,
  UpdateFamilyBody,
} from '../schemas/family.js';
import { Family } from '../schemas/family.js';
import { listAudit } from '../store/audit.js';
import { caseFiguresWrite, tallyWrite } from '../store/figures.js';
import type { TransactItem } from '../store/client.js';

type TransactItems = TransactItem[];
import * as store from '../store/families.js';
import { answerItems, progressItems, resumedStep } from '../store/idempotency.js';
import { getStaff } from '../store/staff.js';
import { getTeam } from '../store/teams.js';
import type { Team } from '../schemas/team.js';
import { isCoordinator, ownTeam } from './access.js';
import { cancelFutureVisits, futureVisits } from './visits.js';
import type { Deps } from './deps.js';
import { assertVersion } from './versions.js';

async function loadTeam(deps: Deps, teamId: string): Promise<Team> {
  const team = await getTeam(deps.db, teamId);
  if (!team) throw new NotFound('Your team does not exist.');
  return team;
}

/** The place must be served and the pair must be active staff of the right roles in the team. */
async function checkReferences(deps: Deps, team: Team, family: Pick<Family, 'place' | 'familyTherapist' | 'individualTherapist'>): Promise<void> {
  const problems: FieldError[] = [];
  if (!team.places.includes(family.place)) {
    problems.push({ path: 'place', message: `"${family.place}" is not one of the team's places (${team.places.join(', ')})` });
  }
  const pair = [
    ['familyTherapist', family.familyTherapist, 'family_therapist'],
    ['individualTherapist', family.individualTherapist, 'individual_therapist'],
  ] as const;
  for (const [path, staffId, role] of pair) {
    const staff = await getStaff(deps.db, team.id, staffId);
    if (!staff) problems.push({ path, message: `no staff member "${staffId}" in the team` });
    else if (!staff.active) problems.push({ path, message: `"${staffId}" is deactivated` });
    else if (staff.role !== role) problems.push({ path, message: `"${staffId}" is a ${staff.role}, not a ${role}` });
  }
  if (problems.length > 0) throw new Invalid(problems);
}

const treats = (principal: Principal, family: Family): boolean =>
  principal.staffId !== undefined && (family.familyTherapist === principal.staffId || family.individualTherapist === principal.staffId);

/** The family if the caller may see it: the coordinator sees the team's, a therapist only the families they treat. Otherwise 404. */
async function visibleFamily(deps: Deps, principal: Principal, code: string): Promise<Family> {
  const teamId = ownTeam(principal);
  const family = await store.getFamily(deps.db, teamId, code);
  if (!family || (!isCoordinator(principal) && !treats(principal, family))) throw new NotFound();
  return family;
}

function audit(
  principal: Principal,
  teamId: string,
  code: string,
  action: string,
  at: string,
  before: Family | undefined,
  after: Family,
): AuditEntry {
  return { teamId, entity: 'family', entityId: code, action, actor: principal.staffId ?? principal.subject, at, before, after };
}

async function save(
  deps: Deps,
  principal: Principal,
  action: string,
  before: Family | undefined,
  after: Family,
  extra: TransactItems = [],
): Promise<Family> {
  const entry = audit(principal, after.teamId, after.code, action, after.updatedAt, before, after);
  // The case's figure item changes in the same transaction as the case (§9 figures survive the §10 purge).
  await store.writeFamilyAudited(deps.db, after, entry, deps.newId(), before?.version, [
    caseFiguresWrite(deps.db, after, before === undefined),
    ...extra,
  ]);
  return after;
}

export async function createFamily(deps: Deps, principal: Principal, input: CreateFamilyBody): Promise<Family> {
  const teamId = ownTeam(principal);
  const team = await loadTeam(deps, teamId);
  await checkReferences(deps, team, input);
  const at = deps.now().toISOString();
  const family = Family.parse({ ...input, teamId, status: 'referred', version: 1, createdAt: at, updatedAt: at });
  return save(deps, principal, 'create', undefined, family, answerItems(family));
}

export async function listFamilies(
  deps: Deps,
  principal: Principal,
  filter: { status?: FamilyStatus | undefined; place?: string | undefined; therapist?: string | undefined },
): Promise<Family[]> {
  const teamId = ownTeam(principal);
  const families = await store.listFamilies(deps.db, teamId, filter.status);
  return families
    .filter((f) => isCoordinator(principal) || treats(principal, f))
    .filter((f) => filter.place === undefined || f.place === filter.place)
    .filter((f) => filter.therapist === undefined || f.familyTherapist === filter.therapist || f.individualTherapist === filter.therapist)
    .sort((a, b) => a.code.localeCompare(b.code));
}

export async function readFamily(deps: Deps, principal: Principal, code: string): Promise<Family> {
  return visibleFamily(deps, principal, code);
}

export async function updateFamily(deps: Deps, principal: Principal, code: string, input: UpdateFamilyBody): Promise<Family> {
  const current = await visibleFamily(deps, principal, code);
  const { version, ...changes } = input;
  assertVersion(current.version, version, 'family');
  const merged = Family.safeParse({ ...current, ...changes, version: version + 1, updatedAt: deps.now().toISOString() });
  if (!merged.success) throw new Invalid(fieldErrors(merged.error));
  if (changes.place !== undefined || changes.familyTherapist !== undefined || changes.individualTherapist !== undefined) {
    await checkReferences(deps, await loadTeam(deps, current.teamId), merged.data);
  }
  const restaffed =
    (changes.familyTherapist !== undefined && changes.familyTherapist !== current.familyTherapist) ||
    (changes.individualTherapist !== undefined && changes.individualTherapist !== current.individualTherapist) ||
    (changes.place !== undefined && changes.place !== current.place);
  if (restaffed) {
    const upcoming = await futureVisits(deps, current.teamId, current.code);
    if (upcoming.length > 0)
      throw new Conflict(`the family has ${upcoming.length} planned visit(s) with the current pair and place; move or cancel them first`);
  }
  if (current.status === 'active' && changes.treatmentWeeks !== undefined && current.treatmentStart) {
    const team = await loadTeam(deps, current.teamId);
    merged.data.treatmentEnd = treatmentEndDate(current.treatmentStart, changes.treatmentWeeks, team.zone);
  }
  return save(deps, principal, 'update', current, merged.data);
}

/**
 * Moves a case along referred → accepted → active → completed, or to declined; anything else is 409. Closing a case
 * takes two steps (the case, then its future visits one by one): with an Idempotency-Key the first notes the closed
 * case in the key's record, and a retry after a crash cancels what is left and answers with it (issue 24 §1).
 */
export async function transitionFamily(deps: Deps, principal: Principal, code: string, input: FamilyTransitionBody): Promise<Family> {
  const closed = resumedStep('family');
  if (closed !== undefined) {
    const saved = Family.parse(closed);
    await cancelFutureVisits(deps, principal, await loadTeam(deps, saved.teamId), saved);
    return saved;
  }
  const current = await visibleFamily(deps, principal, code);
  if (!canTransition(current.status, input.to)) {
    const allowed = nextStatuses(current.status);
    throw new Conflict(
      `a ${current.status} family cannot become ${input.to}` + (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (no further status)'),
    );
  }
  assertVersion(current.version, input.version, 'family');
  const now = deps.now();
  const team = await loadTeam(deps, current.teamId);
  const today = todayIn(team.zone, now);
  const next: Family = { ...current, status: input.to, version: input.version + 1, updatedAt: now.toISOString() };
  if (input.to === 'declined') {
    next.declineReason = input.reason;
    next.declinedOn = today;
  }
  if (input.to === 'active') {
    next.treatmentStart = input.startDate ?? today;
    next.treatmentEnd = treatmentEndDate(next.treatmentStart, current.treatmentWeeks, team.zone);
  }
  if (input.to === 'completed') {
    const end = input.endDate ?? (next.treatmentEnd === undefined || next.treatmentEnd > today ? today : next.treatmentEnd);
    assertEndDate(current, end, today);
    next.treatmentEnd = end;
    next.completion = { type: input.completionType ?? 'other', ...(input.outcomes ? { outcomes: input.outcomes } : {}) };
  }
  const after = Family.parse(next);
  const closing = input.to === 'completed' || input.to === 'declined';
  const saved = await save(deps, principal, `status:${input.to}`, current, after, closing ? progressItems('family', after) : answerItems(after));
  // A closed case keeps no future visits: they are cancelled by the team (reason: treatment ended).
  if (closing) await cancelFutureVisits(deps, principal, team, saved);
  return saved;
}

function assertEndDate(family: Family, end: string, today: string): void {
  if (family.treatmentStart && end < family.treatmentStart)
    throw new Invalid([{ path: 'endDate', message: `must not be before the treatment start ${family.treatmentStart}` }]);
  if (end > today) throw new Invalid([{ path: 'endDate', message: 'must not be in the future' }]);
}

/** Corrects a completed case's end date, completion type or outcomes, with the version read; audited. */
export async function correctCompletion(deps: Deps, principal: Principal, code: string, input: CompletionBody): Promise<Family> {
  const current = await visibleFamily(deps, principal, code);
  if (current.status !== 'completed' || !current.completion) throw new Conflict(`a ${current.status} family has no completion to correct`);
  assertVersion(current.version, input.version, 'family');
  const now = deps.now();
  const team = await loadTeam(deps, current.teamId);
  const end = input.endDate ?? current.treatmentEnd ?? todayIn(team.zone, now);
  assertEndDate(current, end, todayIn(team.zone, now));
  const outcomes = input.outcomes ?? current.completion.outcomes;
  const next: Family = {
    ...current,
    treatmentEnd: end,
    completion: { type: input.completionType ?? current.completion.type, ...(outcomes ? { outcomes } : {}) },
    version: input.version + 1,
    updatedAt: now.toISOString(),
  };
  return save(deps, principal, 'completion', current, Family.parse(next));
}

/**
 * The de-linked tally (issue 11): the categories are ADDed to the team's yearly counters and the case records only
 * that its tally was submitted. The audit entry holds the family before/after (no categories); the counters carry no
 * timestamp and nothing is logged, so nothing links the categories to the case.
 */
export async function submitTally(deps: Deps, principal: Principal, code: string, input: TallyBody): Promise<Family> {
  const current = await visibleFamily(deps, principal, code);
  if (current.status === 'referred' || current.status === 'declined') throw new Conflict('a tally is submitted once a case is accepted');
  if (current.tallySubmitted) throw new Conflict('the tally of this case was already submitted');
  assertVersion(current.version, input.version, 'family');
  const year = (current.treatmentStart ?? current.referral.date).slice(0, 4);
  const counters: Record<string, number> = { cases: 1 };
  for (const c of input.concerns) counters[`concern:${c}`] = 1;
  for (const d of input.diagnoses) counters[`diagnosis:${d}`] = 1;
  const next = Family.parse({ ...current, tallySubmitted: true, version: input.version + 1, updatedAt: deps.now().toISOString() });
  return save(deps, principal, 'tally', current, next, [tallyWrite(deps.db, current.teamId, year, counters), ...answerItems(next)]);
}

export async function familyAudit(deps: Deps, principal: Principal, code: string): Promise<AuditEntry[]> {
  const family = await visibleFamily(deps, principal, code);
  return listAudit(deps.db, family.teamId, 'family', code);
}

import { Invalid, NotFound } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { AuditEntry } from '../schemas/family.js';
import type { CreateInquiryBody, UpdateInquiryBody } from '../schemas/inquiry.js';
import { Inquiry } from '../schemas/inquiry.js';
import { answerItems } from '../store/idempotency.js';
import * as store from '../store/inquiries.js';
import { getTeam } from '../store/teams.js';
import { ownTeam } from './access.js';
import type { Deps } from './deps.js';
import { assertVersion } from './versions.js';

async function assertPlace(deps: Deps, teamId: string, municipality: string): Promise<void> {
  const team = await getTeam(deps.db, teamId);
  if (!team) throw new NotFound('Your team does not exist.');
  if (!team.places.includes(municipality))
    throw new Invalid([{ path: 'municipality', message: `"${municipality}" is not one of the team's places (${team.places.join(', ')})` }]);
}

const auditOf = (principal: Principal, teamId: string, action: string, before: Inquiry | undefined, after: Inquiry): AuditEntry => ({
  teamId,
  entity: 'inquiry',
  entityId: after.id,
  action,
  actor: principal.staffId ?? principal.subject,
  at: after.updatedAt,
  before,
  after,
});

/** Logs an inquiry or consultation that is not a case — one short request, categories only. */
export async function createInquiry(deps: Deps, principal: Principal, input: CreateInquiryBody): Promise<Inquiry> {
  const teamId = ownTeam(principal);
  await assertPlace(deps, teamId, input.municipality);
  const at = deps.now().toISOString();
  const inquiry = Inquiry.parse({ ...input, id: deps.newId(), version: 1, createdAt: at, updatedAt: at });
  // With an Idempotency-Key, its record and this answer commit in the same transaction (issue 24 §1).
  await store.writeInquiryAudited(
    deps.db,
    teamId,
    inquiry,
    auditOf(principal, teamId, 'create', undefined, inquiry),
    deps.newId(),
    undefined,
    false,
    answerItems(inquiry),
  );
  return inquiry;
}

export async function listInquiries(
  deps: Deps,
  principal: Principal,
  range: { from?: string | undefined; to?: string | undefined },
): Promise<Inquiry[]> {
  const teamId = ownTeam(principal);
  return (await store.listInquiries(deps.db, teamId))
    .filter((i) => (range.from === undefined || i.date >= range.from) && (range.to === undefined || i.date <= range.to))
    .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
}

async function existing(deps: Deps, teamId: string, id: string): Promise<Inquiry> {
  const inquiry = await store.getInquiry(deps.db, teamId, id);
  if (!inquiry) throw new NotFound();
  return inquiry;
}

export async function updateInquiry(deps: Deps, principal: Principal, id: string, input: UpdateInquiryBody): Promise<Inquiry> {
  const teamId = ownTeam(principal);
  const current = await existing(deps, teamId, id);
  const { version, ...changes } = input;
  assertVersion(current.version, version, 'inquiry');
  if (changes.municipality !== undefined) await assertPlace(deps, teamId, changes.municipality);
  const next = Inquiry.parse({ ...current, ...changes, version: version + 1, updatedAt: deps.now().toISOString() });
  await store.writeInquiryAudited(deps.db, teamId, next, auditOf(principal, teamId, 'update', current, next), deps.newId(), version);
  return next;
}

export async function deleteInquiry(deps: Deps, principal: Principal, id: string, version: number): Promise<void> {
  const teamId = ownTeam(principal);
  const current = await existing(deps, teamId, id);
  assertVersion(current.version, version, 'inquiry');
  const gone = { ...current, version: version + 1, updatedAt: deps.now().toISOString() };
  await store.writeInquiryAudited(deps.db, teamId, current, auditOf(principal, teamId, 'delete', current, gone), deps.newId(), version, true);
}

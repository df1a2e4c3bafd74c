import pMap from 'p-map';
import { Conflict, Forbidden, NotFound } from '../http/errors.js';
import type { Principal } from '../http/principal.js';
import { localDateOf, redactCode, redactedCode, schedule } from '../domain/retention.js';
import { todayIn } from '../domain/treatment.js';
import type { Family } from '../schemas/family.js';
import type { EraseFamilyBody, PurgeCounts, PurgePreview, PurgePreviewEntry, PurgeReceipt, RetentionSettings, TeamRetention, UpdateRetentionBody } from '../schemas/retention.js';
import { RetentionSettings as RetentionSettingsSchema, noPurgeCounts } from '../schemas/retention.js';
import { Staff } from '../schemas/staff.js';
import type { Team } from '../schemas/team.js';
import { getCalendarFeed } from '../store/calendar.js';
import { getFamily, listFamilies } from '../store/families.js';
import { discardCaseFigures, foldCaseFigures } from '../store/figures.js';
import type { TableKey } from '../store/purge.js';
import { deleteIdempotencyRecordsMentioning } from '../store/idempotency.js';
import { deleteIfVersion, deleteKeys, familyDayKeys, getRaw, keyOf, rawAudit, rawMeetingsAndSeries, rawReminders, rawVisitsOfFamily, replaceIfUnchanged } from '../store/purge.js';
import { getRetention, listReceipts, putReceipt, putRetentionAudited } from '../store/retention.js';
import { listStaff } from '../store/staff.js';
import { keys } from '../store/table-design.js';
import { getTeam } from '../store/teams.js';
import type { Deps } from './deps.js';
import { answerItems, noteProgress, resumedStep } from '../store/idempotency.js';

/**
 * Retention and purge (SPEC §10). A case goes in an order that a crash at any point leaves resumable: its figures are
 * folded first (exactly once: foldCaseFigures is one conditional transaction), then what refers to it, and the family
 * record last — so the next run finds the case again and finishes it, every step being a no-op where already done.
 */
export type PurgeStep = 'figures' | 'reminders' | 'meetings' | 'days' | 'visits' | 'audit' | 'family' | 'expired-meetings' | 'staff' | 'expired-reminders';
export const purgeSteps: readonly PurgeStep[] = ['figures', 'reminders', 'meetings', 'days', 'visits', 'audit', 'family', 'expired-meetings', 'staff', 'expired-reminders'];

export interface PurgeHooks {
  /** Called after each step (tests inject a crash here). */
  afterStep?: (step: PurgeStep) => void | Promise<void>;
}

const settingsOf = (t: TeamRetention): RetentionSettings => RetentionSettingsSchema.parse({ caseMonths: t.caseMonths, declinedMonths: t.declinedMonths, meetingMonths: t.meetingMonths, staffMonths: t.staffMonths, reminderDays: t.reminderDays });

/** The name a former staff member keeps once their contact details are purged. */
export const formerStaffName = 'Tidigare medarbetare';

interface TeamState {
  team: Team;
  meetings: Record<string, unknown>[];
  series: Record<string, unknown>[];
  reminders: Record<string, unknown>[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const datesOf = (item: Record<string, unknown>): string[] => [...new Set([str(item['startLocal']).slice(0, 10), str(item['endLocal']).slice(0, 10)].filter((d) => d !== ''))];

async function loadState(deps: Deps, team: Team): Promise<TeamState> {
  const [{ meetings, series }, reminders] = await Promise.all([rawMeetingsAndSeries(deps.db, team.id), rawReminders(deps.db, team.id)]);
  return { team, meetings, series, reminders };
}

/** Rewrites one staff day under its version, re-reading when it changed meanwhile; `transform` answers undefined for "nothing to change". */
async function rewriteDay(deps: Deps, key: TableKey, transform: (item: Record<string, unknown>) => Record<string, unknown> | undefined): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const item = await getRaw(deps.db, key);
    if (!item) return false;
    const next = transform(item);
    if (!next) return false;
    const version = num(item['version']) ?? 0;
    if (await replaceIfUnchanged(deps.db, { ...next, version: version + 1, changedAt: deps.now().toISOString() }, version)) return true;
  }
  throw new Error('a staff day kept changing during the purge');
}

const withoutEngagements = (refs: ReadonlySet<string>) => (item: Record<string, unknown>) => {
  const engagements = Array.isArray(item['engagements']) ? (item['engagements'] as unknown[]) : [];
  const kept = engagements.filter((e) => !(typeof e === 'object' && e !== null && refs.has(str((e as Record<string, unknown>)['ref']))));
  return kept.length === engagements.length ? undefined : { ...item, engagements: kept };
};

const redacting = (code: string) => (item: Record<string, unknown>) => {
  const { value, changed } = redactCode(item, code);
  return changed ? value : undefined;
};

/** Requests a purge keeps in flight at once within one step (steps stay in order, so a crash still resumes). */
const inFlight = 8;

async function removeFromStaffDays(deps: Deps, teamId: string, records: readonly Record<string, unknown>[], refOf: (id: string) => string, counts: PurgeCounts): Promise<void> {
  const byDay = new Map<string, { key: TableKey; refs: Set<string> }>();
  for (const record of records) {
    for (const staffId of strings(record['staff'])) {
      for (const date of datesOf(record)) {
        const key = keys.staffDay(teamId, staffId, date);
        const entry = byDay.get(key.sk) ?? { key, refs: new Set<string>() };
        entry.refs.add(refOf(str(record['id'])));
        byDay.set(key.sk, entry);
      }
    }
  }
  // Each day is its own conditional rewrite, independent of the others: a few in flight at once.
  const rewritten = await pMap(byDay.values(), ({ key, refs }) => rewriteDay(deps, key, withoutEngagements(refs)), { concurrency: inFlight });
  counts.dayItems += rewritten.filter(Boolean).length;
}

/** Everything of one case, in a resumable order; `figures` fold keeps its contribution to the figures, discard drops it (erasure). */
async function purgeCase(deps: Deps, state: TeamState, code: string, figures: 'fold' | 'discard', today: string, counts: PurgeCounts, hooks: PurgeHooks): Promise<void> {
  const { db } = deps;
  const teamId = state.team.id;
  // 1. The figures, exactly once, before anything they are computed from can go.
  if (figures === 'fold') {
    if ((await foldCaseFigures(db, teamId, code, today)) === 'folded') counts.figuresFolded += 1;
  } else if ((await discardCaseFigures(db, teamId, code)) === 'discarded') counts.figuresDiscarded += 1;
  await hooks.afterStep?.('figures');

  const visits = await rawVisitsOfFamily(db, teamId, code);
  const visitIds = new Set(visits.map((v) => str(v['id'])));
  // 2. Reminders about its visits (they name the visit, and change notices carry its times).
  const aboutCase = (r: Record<string, unknown>) => {
    const sk = str(r['sk']);
    const [kind, id] = sk.split('#');
    return visitIds.has(str(r['visitId'])) || ((kind === 'visit' || kind === 'change') && id !== undefined && visitIds.has(id)) || redactCode(r, code).changed;
  };
  const reminders = state.reminders.filter(aboutCase);
  counts.reminders += await deleteKeys(db, reminders.map(keyOf));
  state.reminders = state.reminders.filter((r) => !aboutCase(r));
  await hooks.afterStep?.('reminders');

  // 3. Meetings and series that name the case (a handover meeting's family, a title): the code is redacted, the meeting stays.
  for (const list of [state.meetings, state.series]) {
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (!item) continue;
      const redacted = redacting(code)(item);
      if (!redacted) continue;
      // Its audit trail and (a meeting's) engagements on the staff's days hold the title and a handover's family too.
      // They are redacted before the meeting itself, so a crash in between leaves the meeting for the next run to find.
      for (const entry of await rawAudit(db, teamId, 'meeting', str(item['id']))) {
        const clean = redacting(code)(entry);
        if (clean) await replaceIfUnchanged(db, clean, undefined);
      }
      if (list === state.meetings) {
        for (const staffId of strings(item['staff'])) for (const date of datesOf(item)) if (await rewriteDay(deps, keys.staffDay(teamId, staffId, date), redacting(code))) counts.dayItems += 1;
      }
      if (redacted['family'] === redactedCode) delete redacted['family'];
      const version = num(item['version']) ?? 0;
      const next = { ...redacted, version: version + 1 };
      if (!(await replaceIfUnchanged(db, next, version))) throw new Error('a meeting changed during the purge; the next run redacts it');
      list[i] = next;
      counts.meetingsScrubbed += 1;
    }
  }
  await hooks.afterStep?.('meetings');

  // 4. Its visits off the staff's days (a past day keeps the rest), and the family's own day guards.
  await removeFromStaffDays(deps, teamId, visits, (id) => `visit:${id}`, counts);
  counts.dayItems += await deleteKeys(db, await familyDayKeys(db, teamId, code));
  await hooks.afterStep?.('days');

  // 5. The visits' audit trails, then the visits.
  const visitAudit = await pMap(visitIds, (id) => rawAudit(db, teamId, 'visit', id), { concurrency: inFlight });
  counts.auditEntries += await deleteKeys(db, visitAudit.flat().map(keyOf));
  counts.visits += await deleteKeys(db, visits.map(keyOf));
  await hooks.afterStep?.('visits');

  // 6. The family's audit trail; 7. the family record, last.
  counts.auditEntries += await deleteKeys(db, (await rawAudit(db, teamId, 'family', code)).map(keyOf));
  await hooks.afterStep?.('audit');
  // Replayable answers (Idempotency-Key records, at most 24 h old) that show the case.
  await deleteIdempotencyRecordsMentioning(db, teamId, code);
  await deleteKeys(db, [keys.family(teamId, code)]);
  await hooks.afterStep?.('family');
}

/** What has a purge date in a team, and whether it is due on `asOf`; codes only when `withCodes` (the coordinator's view). */
async function planTeam(deps: Deps, state: TeamState, settings: RetentionSettings, asOf: string): Promise<(PurgePreviewEntry & { ref: Record<string, unknown> | Family | Staff })[]> {
  const zone = state.team.zone;
  const entries: (PurgePreviewEntry & { ref: Record<string, unknown> | Family | Staff })[] = [];
  for (const family of await listFamilies(deps.db, state.team.id)) {
    if (family.status === 'completed' && family.treatmentEnd) entries.push({ kind: 'case', code: family.code, ...schedule('case', family.treatmentEnd, settings, asOf), ref: family });
    if (family.status === 'declined') entries.push({ kind: 'declinedReferral', code: family.code, ...schedule('declinedReferral', family.declinedOn ?? localDateOf(family.updatedAt, zone), settings, asOf), ref: family });
  }
  for (const meeting of state.meetings) {
    const end = str(meeting['end']);
    if (end) entries.push({ kind: 'meeting', ...schedule('meeting', localDateOf(end, zone), settings, asOf), ref: meeting });
  }
  for (const series of state.series) {
    if (series['status'] !== 'ended') continue;
    const spec = series['spec'] as Record<string, unknown> | undefined;
    const last = str(spec?.['untilDate']) || localDateOf(str(series['updatedAt']), zone);
    entries.push({ kind: 'series', ...schedule('meeting', last, settings, asOf), ref: series });
  }
  for (const staff of await listStaff(deps.db, state.team.id)) {
    if (staff.active || staff.contactsPurgedAt) continue;
    entries.push({ kind: 'staffContacts', staffId: staff.id, ...schedule('staffContacts', localDateOf(staff.deactivatedAt ?? staff.updatedAt, zone), settings, asOf), ref: staff });
  }
  for (const reminder of state.reminders) {
    if (reminder['status'] === 'pending' || reminder['status'] === 'sending') continue;
    const sent = str(reminder['sentAt']) || str(reminder['failedAt']) || str(reminder['updatedAt']);
    entries.push({ kind: 'reminder', ...schedule('reminder', localDateOf(sent, zone), settings, asOf), ref: reminder });
  }
  return entries;
}

async function purgeExpiredMeeting(deps: Deps, state: TeamState, meeting: Record<string, unknown>, counts: PurgeCounts): Promise<void> {
  const teamId = state.team.id;
  const id = str(meeting['id']);
  const mine = (r: Record<string, unknown>) => str(r['meetingId']) === id || str(r['sk']).split('#')[1] === id;
  counts.reminders += await deleteKeys(deps.db, state.reminders.filter(mine).map(keyOf));
  state.reminders = state.reminders.filter((r) => !mine(r));
  await removeFromStaffDays(deps, teamId, [meeting], (mid) => `meeting:${mid}`, counts);
  counts.auditEntries += await deleteKeys(deps.db, (await rawAudit(deps.db, teamId, 'meeting', id)).map(keyOf));
  if (await deleteIfVersion(deps.db, keyOf(meeting), num(meeting['version']) ?? 0)) counts.meetings += 1;
}

async function purgeStaffContacts(deps: Deps, staff: Staff, at: string, counts: PurgeCounts): Promise<void> {
  for (const scope of ['staff', 'team'] as const) {
    const feed = await getCalendarFeed(deps.db, staff.teamId, staff.id, scope);
    if (feed) counts.feedTokens += (await deleteKeys(deps.db, [keys.calendarToken(feed.tokenHash), keys.calendarFeed(staff.teamId, staff.id, scope)])) / 2;
  }
  const { email: _email, mobile: _mobile, ...rest } = staff;
  const scrubbed = Staff.parse({ ...rest, name: formerStaffName, notifications: { visitReminder: 'off', dailyAgenda: 'off', changeNotice: 'off' }, contactsPurgedAt: at, version: staff.version + 1, updatedAt: at });
  if (await replaceIfUnchanged(deps.db, { ...keys.staff(staff.teamId, staff.id), ...scrubbed }, staff.version)) counts.staffContacts += 1;
}

/** Runs one team's purge as of `asOf` (yyyy-mm-dd in the team's zone) and writes its receipt. */
export async function purgeTeam(deps: Deps, team: Team, options: { asOf?: string; actor: string; hooks?: PurgeHooks }): Promise<PurgeReceipt> {
  const hooks = options.hooks ?? {};
  const at = deps.now().toISOString();
  const asOf = options.asOf ?? todayIn(team.zone, deps.now());
  const settings = settingsOf(await getRetention(deps.db, team.id));
  const state = await loadState(deps, team);
  const due = (await planTeam(deps, state, settings, asOf)).filter((e) => e.due);
  const counts = noPurgeCounts();
  for (const entry of due) {
    if ((entry.kind === 'case' || entry.kind === 'declinedReferral') && entry.code) {
      await purgeCase(deps, state, entry.code, 'fold', asOf, counts, hooks);
      counts[entry.kind === 'case' ? 'cases' : 'declinedReferrals'] += 1;
    }
  }
  for (const entry of due) {
    if (entry.kind === 'meeting') await purgeExpiredMeeting(deps, state, entry.ref as Record<string, unknown>, counts);
    if (entry.kind === 'series') {
      const series = entry.ref as Record<string, unknown>;
      counts.auditEntries += await deleteKeys(deps.db, (await rawAudit(deps.db, team.id, 'meeting', str(series['id']))).map(keyOf));
      if (await deleteIfVersion(deps.db, keyOf(series), num(series['version']) ?? 0)) counts.series += 1;
    }
  }
  await hooks.afterStep?.('expired-meetings');
  for (const entry of due) if (entry.kind === 'staffContacts') await purgeStaffContacts(deps, entry.ref as Staff, at, counts);
  await hooks.afterStep?.('staff');
  const stillThere = new Set(state.reminders.map((r) => str(r['sk'])));
  const expired = due.filter((e) => e.kind === 'reminder').map((e) => e.ref as Record<string, unknown>).filter((r) => stillThere.has(str(r['sk'])));
  counts.reminders += await deleteKeys(deps.db, expired.map(keyOf));
  await hooks.afterStep?.('expired-reminders');
  const receipt: PurgeReceipt = { teamId: team.id, id: deps.newId(), kind: 'purge', actor: options.actor, at, asOf, counts };
  await putReceipt(deps.db, receipt);
  return receipt;
}

/** What would go and when. The coordinator sees the codes; the operator's view (`withCodes` false) never does. */
export async function previewTeam(deps: Deps, team: Team, asOf: string, withCodes: boolean): Promise<PurgePreview> {
  const settings = settingsOf(await getRetention(deps.db, team.id));
  const state = await loadState(deps, team);
  const entries = (await planTeam(deps, state, settings, asOf))
    .map(({ ref: _ref, code, ...entry }) => ({ ...entry, ...(withCodes && code ? { code } : {}) }))
    .sort((a, b) => a.purgeOn.localeCompare(b.purgeOn) || a.kind.localeCompare(b.kind));
  return { teamId: team.id, asOf, settings, entries };
}

/** The retention settings route: a coordinator for their own team (others: 404), the platform admin for any. */
async function teamFor(deps: Deps, principal: Principal, teamId: string): Promise<Team> {
  const isAdmin = principal.groups.has('admin');
  if (!isAdmin && !(principal.groups.has('coordinator') && principal.teamId === teamId)) throw new NotFound();
  const team = await getTeam(deps.db, teamId);
  if (!team) throw new NotFound();
  return team;
}

export async function readRetention(deps: Deps, principal: Principal, teamId: string): Promise<TeamRetention> {
  await teamFor(deps, principal, teamId);
  return getRetention(deps.db, teamId);
}

export async function updateRetention(deps: Deps, principal: Principal, teamId: string, input: UpdateRetentionBody): Promise<TeamRetention> {
  await teamFor(deps, principal, teamId);
  const current = await getRetention(deps.db, teamId);
  const { version, ...changes } = input;
  if (current.version !== version) throw new Conflict(`the retention settings are at version ${current.version}, not ${version}; reload and try again`);
  const at = deps.now().toISOString();
  const actor = principal.staffId ?? principal.subject;
  const next: TeamRetention = { ...current, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)), teamId, version: version + 1, updatedAt: at, updatedBy: actor };
  const audit = { teamId, entity: 'retention' as const, entityId: teamId, action: 'update', actor, at, before: current, after: next };
  await putRetentionAudited(deps.db, next, version, audit, deps.newId());
  return next;
}

export async function previewRetention(deps: Deps, principal: Principal, teamId: string, asOf: string | undefined): Promise<PurgePreview> {
  const team = await teamFor(deps, principal, teamId);
  return previewTeam(deps, team, asOf ?? todayIn(team.zone, deps.now()), principal.groups.has('coordinator') && principal.teamId === teamId);
}

export async function receiptsOf(deps: Deps, principal: Principal, teamId: string): Promise<{ receipts: PurgeReceipt[] }> {
  await teamFor(deps, principal, teamId);
  return { receipts: await listReceipts(deps.db, teamId) };
}

/**
 * Erasure on request (GDPR art. 17, or a case registered by mistake): the coordinator erases one case now, confirmed
 * with the version read, folding its contribution into the figures or discarding it. The receipt is the audit record.
 */
export async function eraseFamily(deps: Deps, principal: Principal, code: string, input: EraseFamilyBody, hooks: PurgeHooks = {}): Promise<PurgeReceipt> {
  if (!principal.teamId) throw new Forbidden('Your account belongs to no team.');
  if (!principal.groups.has('coordinator')) throw new Forbidden('Only the coordinator erases a case.');
  const team = await getTeam(deps.db, principal.teamId);
  const family = team ? await getFamily(deps.db, team.id, code) : undefined;
  // With an Idempotency-Key the erasure is noted in the key's record before anything goes, so a retry after a crash
  // finishes it (each step is a no-op where done, the case record goes last) even once the case itself is gone (issue 24 §1).
  const resumed = resumedStep('erasing') !== undefined;
  if (!team || (!family && !resumed)) throw new NotFound();
  if (family && !resumed && family.version !== input.version) throw new Conflict(`the family is at version ${family.version}, not ${input.version}; reload and confirm again`);
  if (!resumed) await noteProgress('erasing', true);
  const counts = noPurgeCounts();
  const today = todayIn(team.zone, deps.now());
  if (family) await purgeCase(deps, await loadState(deps, team), code, input.figures, today, counts, hooks);
  counts.erasedCases = 1;
  const receipt: PurgeReceipt = { teamId: team.id, id: deps.newId(), kind: 'erasure', actor: principal.staffId ?? principal.subject, at: deps.now().toISOString(), asOf: today, figures: input.figures, counts };
  await putReceipt(deps.db, receipt, answerItems(receipt));
  return receipt;
}

/** Runs every team's purge (the daily job); one team's trouble does not stop the others. */
export async function purgeAllTeams(deps: Deps, teams: readonly Team[], options: { asOf?: string; actor: string; onError?: (teamId: string, error: unknown) => void }): Promise<{ receipts: PurgeReceipt[]; failedTeams: number }> {
  const receipts: PurgeReceipt[] = [];
  let failedTeams = 0;
  for (const team of teams) {
    try {
      receipts.push(await purgeTeam(deps, team, { actor: options.actor, ...(options.asOf ? { asOf: options.asOf } : {}) }));
    } catch (error) {
      failedTeams += 1;
      options.onError?.(team.id, error);
    }
  }
  return { receipts, failedTeams };
}


import pMap from 'p-map';
import { Conflict, Forbidden, NotFound } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
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
import type { TableKey, TransactItem } from '../store/purge.js';
import { deleteIdempotencyRecordsMentioning } from '../store/idempotency.js';
import { deleteAtVersion, deleteCounted, deleteExisting, eachCounted, familyDayKeys, getRaw, keyOf, rawAudit, rawMeetingsAndSeries, rawReminders, rawVisitsOfFamily, replaceAtVersion, replaceIfUnchanged, writeCounted } from '../store/purge.js';
import type { ReceiptKey } from '../store/retention.js';
import { closeReceipt, getRetention, listReceipts, openReceipt, putRetentionAudited, receiptAdd, receiptKeyOf } from '../store/retention.js';
import { listStaff } from '../store/staff.js';
import { keys } from '../store/table-design.js';
import { getTeam } from '../store/teams.js';
import type { Deps } from './deps.js';
import { answerItems, progressItems, resumedStep } from '../store/idempotency.js';

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
  /** Called after each transaction that removed something and counted it on the receipt (tests kill the run here). */
  afterWrite?: (counted: keyof PurgeCounts) => void | Promise<void>;
}

/**
 * One run's receipt, opened before anything is removed. Every removal is counted on it in the SAME transaction as the
 * removal (a conditional delete counts only what was still there), so after a crash at any point the receipts of all
 * runs add up to what was removed, each item once: the killed run's receipt keeps what it did, the next run's the rest.
 */
class RunReceipt {
  constructor(private readonly deps: Deps, readonly key: ReceiptKey, private readonly hooks: PurgeHooks) {}
  /** The receipt's counters raised, as an item of another transaction (the figures' fold). */
  add(counts: Partial<PurgeCounts>): TransactItem {
    return receiptAdd(this.deps.db, this.key, counts);
  }
  /** After a transaction that carried `add`. */
  async committed(counted: keyof PurgeCounts): Promise<void> {
    await this.hooks.afterWrite?.(counted);
  }
  /** Deletes what of these is still there; how many. */
  delete(keyList: readonly TableKey[], counted: keyof PurgeCounts): Promise<number> {
    return deleteCounted(this.deps.db, this.key, keyList, counted, () => this.committed(counted));
  }
  /** Independent writes, each counted once; the indexes whose condition failed. */
  each(ops: readonly TransactItem[], counted: keyof PurgeCounts): Promise<number[]> {
    return eachCounted(this.deps.db, this.key, ops, counted, () => this.committed(counted));
  }
  /** Writes all or nothing, counted `counted` once; false when a condition failed. */
  async write(ops: readonly TransactItem[], counted: keyof PurgeCounts): Promise<boolean> {
    const done = await writeCounted(this.deps.db, this.key, ops, { [counted]: 1 });
    if (done) await this.committed(counted);
    return done;
  }
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

type Transform = (item: Record<string, unknown>) => Record<string, unknown> | undefined;

/** Rewrites staff days under their versions (counted in dayItems), re-reading those that changed meanwhile; a transform answers undefined for "nothing to change". */
async function rewriteDays(deps: Deps, receipt: RunReceipt, days: readonly { key: TableKey; transform: Transform }[]): Promise<void> {
  let pending = days;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= 5) throw new Error('a staff day kept changing during the purge');
    const items = await pMap(pending, ({ key }) => getRaw(deps.db, key), { concurrency: inFlight });
    const writes = pending.flatMap((day, i) => {
      const item = items[i];
      const next = item ? day.transform(item) : undefined;
      if (!item || !next) return [];
      const version = num(item['version']) ?? 0;
      return [{ day, op: replaceAtVersion(deps.db, { ...next, version: version + 1, changedAt: deps.now().toISOString() }, version) }];
    });
    const changed = await receipt.each(writes.map((w) => w.op), 'dayItems');
    pending = changed.flatMap((i) => (writes[i] ? [writes[i].day] : []));
  }
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

/** Reads a purge keeps in flight at once within one step (its writes go one transaction after another: each adds to the receipt). */
const inFlight = 8;

async function removeFromStaffDays(deps: Deps, teamId: string, records: readonly Record<string, unknown>[], refOf: (id: string) => string, receipt: RunReceipt): Promise<void> {
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
  // Each day is its own conditional rewrite, independent of the others (up to 99 in one transaction with the receipt).
  await rewriteDays(deps, receipt, [...byDay.values()].map(({ key, refs }) => ({ key, transform: withoutEngagements(refs) })));
}

/**
 * Everything of one case, in a resumable order; `figures` fold keeps its contribution to the figures, discard drops it
 * (erasure). The family record's removal is counted as `as` (a case, a declined referral, an erased case).
 */
async function purgeCase(deps: Deps, state: TeamState, code: string, figures: 'fold' | 'discard', today: string, as: 'cases' | 'declinedReferrals' | 'erasedCases', receipt: RunReceipt, hooks: PurgeHooks): Promise<void> {
  const { db } = deps;
  const teamId = state.team.id;
  // 1. The figures, exactly once, before anything they are computed from can go; counted on the receipt in the same transaction.
  if (figures === 'fold') {
    if ((await foldCaseFigures(db, teamId, code, today, [receipt.add({ figuresFolded: 1 })])) === 'folded') await receipt.committed('figuresFolded');
  } else if ((await discardCaseFigures(db, teamId, code, [receipt.add({ figuresDiscarded: 1 })])) === 'discarded') await receipt.committed('figuresDiscarded');
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
  await receipt.delete(reminders.map(keyOf), 'reminders');
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
        await rewriteDays(deps, receipt, strings(item['staff']).flatMap((staffId) => datesOf(item).map((date) => ({ key: keys.staffDay(teamId, staffId, date), transform: redacting(code) }))));
      }
      if (redacted['family'] === redactedCode) delete redacted['family'];
      const version = num(item['version']) ?? 0;
      const next = { ...redacted, version: version + 1 };
      if (!(await receipt.write([replaceAtVersion(db, next, version)], 'meetingsScrubbed'))) throw new Error('a meeting changed during the purge; the next run redacts it');
      list[i] = next;
    }
  }
  await hooks.afterStep?.('meetings');

  // 4. Its visits off the staff's days (a past day keeps the rest), and the family's own day guards.
  await removeFromStaffDays(deps, teamId, visits, (id) => `visit:${id}`, receipt);
  await receipt.delete(await familyDayKeys(db, teamId, code), 'dayItems');
  await hooks.afterStep?.('days');

  // 5. The visits' audit trails, then the visits.
  const visitAudit = await pMap(visitIds, (id) => rawAudit(db, teamId, 'visit', id), { concurrency: inFlight });
  await receipt.delete(visitAudit.flat().map(keyOf), 'auditEntries');
  await receipt.delete(visits.map(keyOf), 'visits');
  await hooks.afterStep?.('visits');

  // 6. The family's audit trail; 7. the family record, last (counted as the case).
  await receipt.delete((await rawAudit(db, teamId, 'family', code)).map(keyOf), 'auditEntries');
  await hooks.afterStep?.('audit');
  // Replayable answers (Idempotency-Key records, at most 24 h old) that show the case.
  await deleteIdempotencyRecordsMentioning(db, teamId, code);
  await receipt.write([deleteExisting(db, keys.family(teamId, code))], as);
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

async function purgeExpiredMeeting(deps: Deps, state: TeamState, meeting: Record<string, unknown>, receipt: RunReceipt): Promise<void> {
  const teamId = state.team.id;
  const id = str(meeting['id']);
  const mine = (r: Record<string, unknown>) => str(r['meetingId']) === id || str(r['sk']).split('#')[1] === id;
  await receipt.delete(state.reminders.filter(mine).map(keyOf), 'reminders');
  state.reminders = state.reminders.filter((r) => !mine(r));
  await removeFromStaffDays(deps, teamId, [meeting], (mid) => `meeting:${mid}`, receipt);
  await receipt.delete((await rawAudit(deps.db, teamId, 'meeting', id)).map(keyOf), 'auditEntries');
  await receipt.write([deleteAtVersion(deps.db, keyOf(meeting), num(meeting['version']) ?? 0)], 'meetings');
}

async function purgeStaffContacts(deps: Deps, staff: Staff, at: string, receipt: RunReceipt): Promise<void> {
  for (const scope of ['staff', 'team'] as const) {
    const feed = await getCalendarFeed(deps.db, staff.teamId, staff.id, scope);
    // The token's lookup item and the feed record together, counted once (the feed record decides: it is removed last).
    if (feed) await receipt.write([{ Delete: { TableName: deps.db.tableName, Key: keys.calendarToken(feed.tokenHash) } }, deleteExisting(deps.db, keys.calendarFeed(staff.teamId, staff.id, scope))], 'feedTokens');
  }
  const { email: _email, mobile: _mobile, ...rest } = staff;
  const scrubbed = Staff.parse({ ...rest, name: formerStaffName, notifications: { visitReminder: 'off', dailyAgenda: 'off', changeNotice: 'off' }, contactsPurgedAt: at, version: staff.version + 1, updatedAt: at });
  await receipt.write([replaceAtVersion(deps.db, { ...keys.staff(staff.teamId, staff.id), ...scrubbed }, staff.version)], 'staffContacts');
}

/** Runs one team's purge as of `asOf` (yyyy-mm-dd in the team's zone) and writes its receipt. */
export async function purgeTeam(deps: Deps, team: Team, options: { asOf?: string; actor: string; hooks?: PurgeHooks }): Promise<PurgeReceipt> {
  const hooks = options.hooks ?? {};
  const at = deps.now().toISOString();
  const asOf = options.asOf ?? todayIn(team.zone, deps.now());
  const settings = settingsOf(await getRetention(deps.db, team.id));
  const state = await loadState(deps, team);
  const due = (await planTeam(deps, state, settings, asOf)).filter((e) => e.due);
  const opened: PurgeReceipt = { teamId: team.id, id: deps.newId(), kind: 'purge', actor: options.actor, at, asOf, counts: noPurgeCounts() };
  await openReceipt(deps.db, opened);
  const receipt = new RunReceipt(deps, receiptKeyOf(opened), hooks);
  for (const entry of due) {
    if ((entry.kind === 'case' || entry.kind === 'declinedReferral') && entry.code) {
      await purgeCase(deps, state, entry.code, 'fold', asOf, entry.kind === 'case' ? 'cases' : 'declinedReferrals', receipt, hooks);
    }
  }
  for (const entry of due) {
    if (entry.kind === 'meeting') await purgeExpiredMeeting(deps, state, entry.ref as Record<string, unknown>, receipt);
    if (entry.kind === 'series') {
      const series = entry.ref as Record<string, unknown>;
      await receipt.delete((await rawAudit(deps.db, team.id, 'meeting', str(series['id']))).map(keyOf), 'auditEntries');
      await receipt.write([deleteAtVersion(deps.db, keyOf(series), num(series['version']) ?? 0)], 'series');
    }
  }
  await hooks.afterStep?.('expired-meetings');
  for (const entry of due) if (entry.kind === 'staffContacts') await purgeStaffContacts(deps, entry.ref as Staff, at, receipt);
  await hooks.afterStep?.('staff');
  const stillThere = new Set(state.reminders.map((r) => str(r['sk'])));
  const expired = due.filter((e) => e.kind === 'reminder').map((e) => e.ref as Record<string, unknown>).filter((r) => stillThere.has(str(r['sk'])));
  await receipt.delete(expired.map(keyOf), 'reminders');
  await hooks.afterStep?.('expired-reminders');
  return closeReceipt(deps.db, receipt.key, deps.now().toISOString());
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
  // With an Idempotency-Key the erasure's receipt is noted in the key's record as it opens, so a retry after a crash
  // finishes the erasure on the same receipt (each step is a no-op where done, the case record goes last) even once the
  // case itself is gone (issue 24 §1); every removal is counted on the receipt in its own transaction (§4).
  const noted = resumedStep('erasing') as ReceiptKey | undefined;
  if (!team || (!family && !noted)) throw new NotFound();
  if (family && !noted && family.version !== input.version) throw new Conflict(`the family is at version ${family.version}, not ${input.version}; reload and confirm again`);
  const today = todayIn(team.zone, deps.now());
  let key = noted;
  if (!key) {
    const opened: PurgeReceipt = { teamId: team.id, id: deps.newId(), kind: 'erasure', actor: principal.staffId ?? principal.subject, at: deps.now().toISOString(), asOf: today, figures: input.figures, counts: noPurgeCounts() };
    key = receiptKeyOf(opened);
    await openReceipt(deps.db, opened, progressItems('erasing', key));
  }
  const receipt = new RunReceipt(deps, key, hooks);
  if (family) await purgeCase(deps, await loadState(deps, team), code, input.figures, today, 'erasedCases', receipt, hooks);
  return closeReceipt(deps.db, receipt.key, deps.now().toISOString(), (closed) => answerItems(closed));
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


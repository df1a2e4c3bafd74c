import { Conflict, Forbidden, NotFound } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { localDateOf, schedule } from '../domain/retention.js';
import { todayIn } from '../domain/treatment.js';
import type { Family } from '../schemas/family.js';
import type { Meeting, MeetingSeries } from '../schemas/meeting.js';
import type { Reminder } from '../schemas/reminder.js';
import type {
  EraseFamilyBody,
  PurgeCounts,
  PurgePreview,
  PurgePreviewEntry,
  PurgeReceipt,
  RetentionSettings,
  TeamRetention,
  UpdateRetentionBody,
} from '../schemas/retention.js';
import { RetentionSettings as RetentionSettingsSchema, noPurgeCounts } from '../schemas/retention.js';
import type { Staff } from '../schemas/staff.js';
import type { Team } from '../schemas/team.js';
import { forgetAudit } from '../store/audit.js';
import { forgetCalendarFeeds } from '../store/calendar.js';
import { forgetFamily, getFamily, listFamilies } from '../store/families.js';
import { discardCase, foldCase } from '../store/figures.js';
import { answerItems, deleteIdempotencyRecordsMentioning, progressItems, resumedStep } from '../store/idempotency.js';
import type { ItemKindName } from '../store/item-kinds.js';
import {
  forgetMeeting,
  forgetSeries,
  meetingsAndSeriesToPurge,
  namesCase,
  redactCaseInMeeting,
  redactCaseInMeetingAudit,
} from '../store/meetings.js';
import type { Stored } from '../store/purge.js';
import { PurgeRun } from '../store/purge.js';
import { forgetReminders, isAboutMeeting, isAboutVisits, mentionsCase, remindersToPurge } from '../store/reminders.js';
import type { ReceiptKey } from '../store/retention.js';
import { closeReceipt, getRetention, listReceipts, openReceipt, putRetentionAudited, receiptKeyOf } from '../store/retention.js';
import { forgetEngagements, forgetFamilyDays, redactCaseOnStaffDays } from '../store/schedule.js';
import { listStaff, redactStaffContacts } from '../store/staff.js';
import { getTeam } from '../store/teams.js';
import { forgetVisits, visitsOfFamilyToForget } from '../store/visits.js';
import type { Deps } from './deps.js';
import { forEachTeam } from './each-team.js';

/**
 * Retention and purge (SPEC §10). The store modules own every item's shape and offer its `forget…`/`redact…`
 * operations; this module only puts them in order. A case goes in an order that a crash at any point leaves resumable:
 * its figures are folded first (exactly once: the fold is one conditional transaction), then what refers to it, and
 * the family record last — so the next run finds the case again and finishes it, every step being a no-op where
 * already done. Every removal is counted on the run's receipt in the same transaction (store/purge.ts, PurgeRun), so
 * the receipts of a killed run and the runs after it add up to what was removed, each item once.
 */
export type PurgeStep =
  'figures' | 'reminders' | 'meetings' | 'days' | 'visits' | 'audit' | 'family' | 'expired-meetings' | 'staff' | 'expired-reminders';
export const purgeSteps: readonly PurgeStep[] = [
  'figures',
  'reminders',
  'meetings',
  'days',
  'visits',
  'audit',
  'family',
  'expired-meetings',
  'staff',
  'expired-reminders',
];

/**
 * Which steps remove or redact each kind of item (store/item-kinds.ts). A kind that holds personal data must have at
 * least one (a test checks it); docs/data-model.md is generated from this and the registry.
 */
export const purgeStepsByKind: { readonly [K in ItemKindName]: readonly PurgeStep[] } = {
  team: [],
  retention: [],
  staff: ['staff'],
  absence: [],
  calendarFeed: ['staff'],
  calendarToken: ['staff'],
  family: ['family'],
  familyDay: ['days'],
  visit: ['visits'],
  staffDay: ['meetings', 'days', 'expired-meetings'],
  meeting: ['meetings', 'expired-meetings'],
  series: ['meetings', 'expired-meetings'],
  reminder: ['reminders', 'expired-meetings', 'expired-reminders'],
  auditEntry: ['meetings', 'visits', 'audit', 'expired-meetings'],
  purgeReceipt: [],
  idempotencyRecord: ['family'],
  figCase: ['figures'],
  figRollup: [],
  figInquiry: [],
  figTally: [],
  networkMember: [],
  readiness: [],
};

export interface PurgeHooks {
  /** Called after each step (tests inject a crash here). */
  afterStep?: (step: PurgeStep) => void | Promise<void>;
  /** Called after each transaction that removed something and counted it on the receipt (tests kill the run here). */
  afterWrite?: (counted: keyof PurgeCounts) => void | Promise<void>;
}

const settingsOf = (t: TeamRetention): RetentionSettings =>
  RetentionSettingsSchema.parse({
    caseMonths: t.caseMonths,
    declinedMonths: t.declinedMonths,
    meetingMonths: t.meetingMonths,
    staffMonths: t.staffMonths,
    reminderDays: t.reminderDays,
  });

/** The name a former staff member keeps once their contact details are purged. */
export const formerStaffName = 'Tidigare medarbetare';

interface TeamState {
  team: Team;
  meetings: Stored<Meeting>[];
  series: Stored<MeetingSeries>[];
  reminders: Stored<Reminder>[];
}

async function loadState(deps: Deps, team: Team): Promise<TeamState> {
  const [{ meetings, series }, reminders] = await Promise.all([meetingsAndSeriesToPurge(deps.db, team.id), remindersToPurge(deps.db, team.id)]);
  return { team, meetings, series, reminders };
}

const runOf = (deps: Deps, key: ReceiptKey, hooks: PurgeHooks) => new PurgeRun(deps.db, key, deps.now, hooks.afterWrite);

/**
 * Everything of one case, in a resumable order; `figures` fold keeps its contribution to the figures, discard drops it
 * (erasure). The family record's removal is counted as `as` (a case, a declined referral, an erased case).
 */
async function purgeCase(
  run: PurgeRun,
  state: TeamState,
  code: string,
  figures: 'fold' | 'discard',
  today: string,
  as: 'cases' | 'declinedReferrals' | 'erasedCases',
  hooks: PurgeHooks,
): Promise<void> {
  const teamId = state.team.id;
  // 1. The figures, exactly once, before anything they are computed from can go.
  if (figures === 'fold') await foldCase(run, teamId, code, today);
  else await discardCase(run, teamId, code);
  await hooks.afterStep?.('figures');

  const visits = await visitsOfFamilyToForget(run.db, teamId, code);
  const visitIds = new Set(visits.map((v) => v.value.id));
  // 2. Reminders about its visits (they name the visit, and change notices carry its times), or naming the case.
  const aboutCase = (r: Stored<Reminder>) => isAboutVisits(r.value, visitIds) || mentionsCase(r.value, code);
  await forgetReminders(run, state.reminders.filter(aboutCase));
  state.reminders = state.reminders.filter((r) => !aboutCase(r));
  await hooks.afterStep?.('reminders');

  // 3. Meetings and series that name the case (a handover meeting's family, a title): the code is redacted, the meeting
  // stays. Its audit trail and (a meeting's) engagements on the staff's days hold the title and a handover's family
  // too: they are redacted before the meeting itself, so a crash in between leaves the meeting for the next run to find.
  for (let i = 0; i < state.meetings.length; i++) {
    const meeting = state.meetings[i];
    if (!meeting || !namesCase(meeting, code)) continue;
    await redactCaseInMeetingAudit(run.db, teamId, meeting.value.id, code);
    await redactCaseOnStaffDays(run, teamId, meeting.value, code);
    state.meetings[i] = await redactCaseInMeeting(run, meeting, code);
  }
  for (let i = 0; i < state.series.length; i++) {
    const series = state.series[i];
    if (!series || !namesCase(series, code)) continue;
    await redactCaseInMeetingAudit(run.db, teamId, series.value.id, code);
    state.series[i] = await redactCaseInMeeting(run, series, code);
  }
  await hooks.afterStep?.('meetings');

  // 4. Its visits off the staff's days (a past day keeps the rest), and the family's own day guards.
  await forgetEngagements(
    run,
    teamId,
    'visit',
    visits.map((v) => v.value),
  );
  await forgetFamilyDays(run, teamId, code);
  await hooks.afterStep?.('days');

  // 5. The visits' audit trails, then the visits.
  await forgetAudit(run, teamId, 'visit', visitIds);
  await forgetVisits(run, visits);
  await hooks.afterStep?.('visits');

  // 6. The family's audit trail; 7. the family record, last (counted as the case).
  await forgetAudit(run, teamId, 'family', [code]);
  await hooks.afterStep?.('audit');
  // Replayable answers (Idempotency-Key records, at most 24 h old) that show the case.
  await deleteIdempotencyRecordsMentioning(run.db, teamId, code);
  await forgetFamily(run, teamId, code, as);
  await hooks.afterStep?.('family');
}

type Planned = PurgePreviewEntry &
  ({ family: Family } | { meeting: Stored<Meeting> } | { series: Stored<MeetingSeries> } | { staff: Staff } | { reminder: Stored<Reminder> });

/** What has a purge date in a team, and whether it is due on `asOf`. */
async function planTeam(deps: Deps, state: TeamState, settings: RetentionSettings, asOf: string): Promise<Planned[]> {
  const zone = state.team.zone;
  const entries: Planned[] = [];
  for (const family of await listFamilies(deps.db, state.team.id)) {
    if (family.status === 'completed' && family.treatmentEnd)
      entries.push({ kind: 'case', code: family.code, ...schedule('case', family.treatmentEnd, settings, asOf), family });
    if (family.status === 'declined')
      entries.push({
        kind: 'declinedReferral',
        code: family.code,
        ...schedule('declinedReferral', family.declinedOn ?? localDateOf(family.updatedAt, zone), settings, asOf),
        family,
      });
  }
  for (const meeting of state.meetings) {
    entries.push({ kind: 'meeting', ...schedule('meeting', localDateOf(meeting.value.end, zone), settings, asOf), meeting });
  }
  for (const series of state.series) {
    if (series.value.status !== 'ended') continue;
    const last = series.value.spec.untilDate || localDateOf(series.value.updatedAt, zone);
    entries.push({ kind: 'series', ...schedule('meeting', last, settings, asOf), series });
  }
  for (const staff of await listStaff(deps.db, state.team.id)) {
    if (staff.active || staff.contactsPurgedAt) continue;
    entries.push({
      kind: 'staffContacts',
      staffId: staff.id,
      ...schedule('staffContacts', localDateOf(staff.deactivatedAt ?? staff.updatedAt, zone), settings, asOf),
      staff,
    });
  }
  for (const reminder of state.reminders) {
    const r = reminder.value;
    if (r.status === 'pending' || r.status === 'sending') continue;
    const sent = r.sentAt || r.failedAt || r.updatedAt;
    entries.push({ kind: 'reminder', ...schedule('reminder', localDateOf(sent, zone), settings, asOf), reminder });
  }
  return entries;
}

async function purgeExpiredMeeting(run: PurgeRun, state: TeamState, meeting: Stored<Meeting>): Promise<void> {
  const teamId = state.team.id;
  const mine = (r: Stored<Reminder>) => isAboutMeeting(r.value, meeting.value.id);
  await forgetReminders(run, state.reminders.filter(mine));
  state.reminders = state.reminders.filter((r) => !mine(r));
  await forgetEngagements(run, teamId, 'meeting', [meeting.value]);
  await forgetAudit(run, teamId, 'meeting', [meeting.value.id]);
  await forgetMeeting(run, meeting);
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
  const run = runOf(deps, receiptKeyOf(opened), hooks);
  for (const entry of due) {
    if ('family' in entry && entry.code)
      await purgeCase(run, state, entry.code, 'fold', asOf, entry.kind === 'case' ? 'cases' : 'declinedReferrals', hooks);
  }
  for (const entry of due) {
    // As planned: one that a case above redacted is at a later version now, and its delete waits for the next run.
    if ('meeting' in entry) await purgeExpiredMeeting(run, state, entry.meeting);
    if ('series' in entry) {
      await forgetAudit(run, team.id, 'meeting', [entry.series.value.id]);
      await forgetSeries(run, entry.series);
    }
  }
  await hooks.afterStep?.('expired-meetings');
  for (const entry of due) {
    if ('staff' in entry) {
      await forgetCalendarFeeds(run, team.id, entry.staff.id);
      await redactStaffContacts(run, entry.staff, at, formerStaffName);
    }
  }
  await hooks.afterStep?.('staff');
  const stillThere = new Set(state.reminders.map((r) => r.key.sk));
  await forgetReminders(
    run,
    due.flatMap((e) => ('reminder' in e && stillThere.has(e.reminder.key.sk) ? [e.reminder] : [])),
  );
  await hooks.afterStep?.('expired-reminders');
  return closeReceipt(deps.db, run.receipt, deps.now().toISOString());
}

/** What would go and when. The coordinator sees the codes; the operator's view (`withCodes` false) never does. */
export async function previewTeam(deps: Deps, team: Team, asOf: string, withCodes: boolean): Promise<PurgePreview> {
  const settings = settingsOf(await getRetention(deps.db, team.id));
  const state = await loadState(deps, team);
  const entries = (await planTeam(deps, state, settings, asOf))
    .map(({ kind, staffId, since, purgeOn, due, code }) => ({
      kind,
      ...(staffId ? { staffId } : {}),
      since,
      purgeOn,
      due,
      ...(withCodes && code ? { code } : {}),
    }))
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
  if (current.version !== version)
    throw new Conflict(`the retention settings are at version ${current.version}, not ${version}; reload and try again`);
  const at = deps.now().toISOString();
  const actor = principal.staffId ?? principal.subject;
  const next: TeamRetention = {
    ...current,
    ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
    teamId,
    version: version + 1,
    updatedAt: at,
    updatedBy: actor,
  };
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
export async function eraseFamily(
  deps: Deps,
  principal: Principal,
  code: string,
  input: EraseFamilyBody,
  hooks: PurgeHooks = {},
): Promise<PurgeReceipt> {
  if (!principal.teamId) throw new Forbidden('Your account belongs to no team.');
  if (!principal.groups.has('coordinator')) throw new Forbidden('Only the coordinator erases a case.');
  const team = await getTeam(deps.db, principal.teamId);
  const family = team ? await getFamily(deps.db, team.id, code) : undefined;
  // With an Idempotency-Key the erasure's receipt is noted in the key's record as it opens, so a retry after a crash
  // finishes the erasure on the same receipt (each step is a no-op where done, the case record goes last) even once the
  // case itself is gone (issue 24 §1); every removal is counted on the receipt in its own transaction (§4).
  const noted = resumedStep('erasing') as ReceiptKey | undefined;
  if (!team || (!family && !noted)) throw new NotFound();
  if (family && !noted && family.version !== input.version)
    throw new Conflict(`the family is at version ${family.version}, not ${input.version}; reload and confirm again`);
  const today = todayIn(team.zone, deps.now());
  let key = noted;
  if (!key) {
    const opened: PurgeReceipt = {
      teamId: team.id,
      id: deps.newId(),
      kind: 'erasure',
      actor: principal.staffId ?? principal.subject,
      at: deps.now().toISOString(),
      asOf: today,
      figures: input.figures,
      counts: noPurgeCounts(),
    };
    key = receiptKeyOf(opened);
    await openReceipt(deps.db, opened, progressItems('erasing', key));
  }
  const run = runOf(deps, key, hooks);
  if (family) await purgeCase(run, await loadState(deps, team), code, input.figures, today, 'erasedCases', hooks);
  return closeReceipt(deps.db, run.receipt, deps.now().toISOString(), (closed) => answerItems(closed));
}

/** Runs every team's purge (the daily job); one team's trouble does not stop the others. */
export async function purgeAllTeams(
  deps: Deps,
  teams: readonly Team[],
  options: { asOf?: string; actor: string; onError?: (teamId: string, error: unknown) => void },
): Promise<{ receipts: PurgeReceipt[]; failedTeams: number }> {
  const { results: receipts, failedTeams } = await forEachTeam(
    teams,
    (team) => purgeTeam(deps, team, { actor: options.actor, ...(options.asOf ? { asOf: options.asOf } : {}) }),
    (team, error) => options.onError?.(team.id, error),
  );
  return { receipts, failedTeams };
}

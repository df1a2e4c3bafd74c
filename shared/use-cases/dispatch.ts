import { DateTime } from 'luxon';
import pMap from 'p-map';
import { absentStaffOf, withoutAbsentStaff } from '../domain/absent-staff.js';
import type { Absence } from '../schemas/staff.js';
import { addDays, minutesBetween } from '../domain/booking/time.js';
import { isNonWorkingDay } from '../domain/holidays.js';
import { meetingInvitation, meetingReminderEmail, occurrenceRecurrenceId, seriesInvitation } from '../domain/invitations.js';
import { expandSeries } from '../domain/recurrence.js';
import { isDerivedKind, leaseHasExpired, transition } from '../domain/reminder-lifecycle.js';
import type { LifecycleEvent, ReminderDraft } from '../domain/reminder-lifecycle.js';
import type { ReminderCandidate, RenderedFrom, StaffContact } from '../domain/reminders.js';
import {
  agendaReminders,
  changeNoticeText,
  externalMeetingReminders,
  outOfQuietHours,
  retryDelayMinutes,
  visitReminders,
} from '../domain/reminders.js';
import type { EmailMessage, Senders, SmsMessage } from '../notify/sender.js';
import { SendFailed } from '../notify/sender.js';
import type { Meeting } from '../schemas/meeting.js';
import type { Staff } from '../schemas/staff.js';
import type { Reminder } from '../schemas/reminder.js';
import type { Team } from '../schemas/team.js';
import { getMeeting, getMeetings, getSeries, meetingsBetween } from '../store/meetings.js';
import { existingReminderIds, handOverReminder, moveReminder, remindersByStatus } from '../store/reminders.js';
import { withRetries } from '../store/retry.js';
import { listAbsences, listStaff } from '../store/staff.js';
import { getVisit, visitsBetween } from '../store/visits.js';
import type { Deps } from './deps.js';

export { maxAttempts } from '../domain/reminder-lifecycle.js';
/** How long a claim is its claimer's: longer than one run can take (the Lambda's timeout is well under it). */
export const defaultLeaseMinutes = 5;

export interface DispatchConfig {
  senders: Senders;
  /** The From address of every e-mail (an SES-verified identity in AWS). */
  from: string;
  /** The ORGANIZER's name on invitations to meetings that name no coordinator (records from before they did). */
  organizerName: string;
  /** Messages in flight at once (default 8). */
  concurrency?: number;
  /** How long a claim holds before a later run takes it over (default 5 minutes). */
  leaseMinutes?: number;
  observer?: DispatchObserver;
}

/** Seams for tests: what a run is about to claim, and points where a dispatcher can die (a throw aborts the run as a crash would). */
export interface DispatchObserver {
  /** Just before the claim is sent, with the message it would send. */
  claiming?(message: { to: string; text: string }): void;
  /** After the claim, before anything was handed to the provider. */
  afterClaim?(reminder: Reminder): void | Promise<void>;
  /** After the provider accepted the message, before its outcome is recorded. */
  afterHandOver?(reminder: Reminder): void | Promise<void>;
}

export interface DispatchStats {
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
  skippedAlreadyClaimed: number;
  /** Not handed over because a visit or meeting it describes, or the person it goes to, changed after it was read: the next run renders it afresh. */
  skippedChanged: number;
  /** Claims whose lease ran out after the message may have reached the provider: marked `unknown`, never re-sent. */
  unknown: number;
  /** Claims whose lease ran out before anything was handed over: released and sent by this (or a later) run. */
  released: number;
}

/** Zero counts, to add runs up. */
export const noDispatchStats = (): DispatchStats => ({
  sent: 0,
  retried: 0,
  failed: 0,
  dropped: 0,
  skippedAlreadyClaimed: 0,
  skippedChanged: 0,
  unknown: 0,
  released: 0,
});

type Message = { channel: 'sms'; sms: SmsMessage } | { channel: 'email'; email: EmailMessage };
/** A message and the versions of what it was rendered from (what it describes, whom it goes to): the claim and the hand-over are conditioned on exactly these. */
interface Rendered {
  message: Message;
  about: readonly RenderedFrom[];
}

const iso = (dt: DateTime) => dt.toUTC().toISO() ?? '';

/** Everything due or pending for one team right now, sent at most once each. */
export async function dispatchTeam(deps: Deps, config: DispatchConfig, team: Team): Promise<DispatchStats> {
  const stats = noDispatchStats();
  const now = deps.now();
  const nowIso = now.toISOString();
  const policy = team.reminderPolicy;
  const zone = team.zone;
  const leaseUntil = new Date(now.getTime() + (config.leaseMinutes ?? defaultLeaseMinutes) * 60_000).toISOString();

  // 0. Claims whose lease ran out: the dispatcher that held them stopped. What may have reached the provider is
  //    marked `unknown` for the coordinator (never re-sent); what never did is released and sent below.
  for (const stuck of await remindersByStatus(deps.db, team.id, 'sending', nowIso)) {
    if (!leaseHasExpired(stuck, nowIso)) continue;
    const step = transition(stuck, { type: 'leaseExpired', at: nowIso });
    if (await moveReminder(deps.db, step)) stats[step.state === 'unknown' ? 'unknown' : 'released'] += 1;
  }

  // 1. The current schedule from now to the end of tomorrow (plus the lead times): one index range on the team calendar.
  const today = DateTime.fromJSDate(now, { zone }).toFormat('yyyy-MM-dd');
  const tomorrow = addDays(today, 1);
  const windowEnd = iso(DateTime.fromISO(addDays(today, 2), { zone }).plus({ minutes: policy.maxLeadMinutes, hours: policy.externalLeadHours }));
  const [booked, meetings, staff, absences] = await Promise.all([
    visitsBetween(deps.db, team.id, nowIso, windowEnd),
    meetingsBetween(deps.db, team.id, nowIso, windowEnd),
    listStaff(deps.db, team.id),
    listAbsences(deps.db, team.id),
  ]);
  // A visit inside someone's absence is no reminder or agenda line of theirs (issue 23); the partner still gets theirs.
  const visits = withoutAbsentStaff(booked, absences, zone);
  const contacts = new Map<string, StaffContact>(
    staff.flatMap((s): [string, StaffContact][] =>
      s.active && s.email !== undefined
        ? [[s.id, { id: s.id, version: s.version, email: s.email, mobile: s.mobile, notifications: s.notifications }]]
        : [],
    ),
  );
  const candidates = [
    ...visitReminders(visits, contacts, policy, zone),
    ...agendaReminders(today, visits, meetings, contacts, policy, zone),
    ...agendaReminders(tomorrow, visits, meetings, contacts, policy, zone),
    ...externalMeetingReminders(meetings, policy),
  ];
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const meetingsById = new Map(meetings.map((m) => [m.id, m]));

  // 2. Derived reminders that are due and still useful, not yet claimed by anyone.
  const due = candidates.filter((c) => c.dueAt <= nowIso && nowIso < c.expiresAt);
  const claimed = await existingReminderIds(
    deps.db,
    team.id,
    due.map((c) => c.id),
  );
  await pMap(
    due,
    async (candidate) => {
      if (claimed.has(candidate.id)) {
        stats.skippedAlreadyClaimed += 1;
        return;
      }
      // The claim: a create-if-absent; a concurrent or repeated run loses here. A run whose data a change (of the
      // schedule, or of the person's preferences or address) has overtaken loses at the hand-over.
      const rendered = { message: renderDerived(candidate, meetingsById, zone), about: candidate.about };
      const record = await claim(deps, config, draftOf(team, candidate), { type: 'claim', at: nowIso, leaseUntil }, rendered, stats);
      if (record) await deliver(deps, config, team, record, rendered, stats);
    },
    { concurrency: config.concurrency ?? 8 },
  );

  // 2b. Derived reminders that came due but lost their point before anyone sent them — a daily agenda after its day
  //     began, e.g. when the dispatcher started at 05:56 and missed 18:00 — are recorded as dropped (once), never sent.
  const lapsed = candidates.filter((c) => c.dueAt <= nowIso && c.expiresAt <= nowIso);
  const recorded = lapsed.length
    ? await existingReminderIds(
        deps.db,
        team.id,
        lapsed.map((c) => c.id),
      )
    : new Set<string>();
  for (const candidate of lapsed.filter((c) => !recorded.has(c.id))) {
    if (await moveReminder(deps.db, transition(draftOf(team, candidate), { type: 'lapse', at: nowIso }))) stats.dropped += 1;
  }

  // 3. Queued and retrying messages whose time has come: re-derived from the current state, or dropped if stale.
  // Several notices for the same visit and therapist (it changed again before we sent): only the oldest is sent —
  // it knows the time the therapist was last told — and it tells the visit's state now; the others are dropped.
  const pendingList = await remindersByStatus(deps.db, team.id, 'pending', nowIso);
  const firstNotice = new Map<string, Reminder>();
  for (const r of pendingList.filter((x) => x.kind === 'change')) {
    const key = `${r.visitId ?? ''}#${r.staffId ?? ''}`;
    const kept = firstNotice.get(key);
    if (!kept || (r.aboutVersion ?? 0) < (kept.aboutVersion ?? 0)) firstNotice.set(key, r);
  }
  for (const pending of pendingList) {
    const superseded = pending.kind === 'change' && firstNotice.get(`${pending.visitId ?? ''}#${pending.staffId ?? ''}`) !== pending;
    const rendered = superseded ? 'drop' : await renderPending(deps, config, team, pending, byId, meetingsById, nowIso, absences);
    if (rendered === 'drop') {
      if (await moveReminder(deps.db, transition(pending, { type: 'drop', at: nowIso }))) stats.dropped += 1;
      continue;
    }
    if (rendered === 'later') continue;
    const record = await claim(deps, config, pending, { type: 'claim', at: nowIso, leaseUntil }, rendered, stats);
    if (record) await deliver(deps, config, team, record, rendered, stats);
  }
  return stats;
}

/** A derived reminder before its record exists. */
const draftOf = (team: Team, candidate: ReminderCandidate): ReminderDraft => ({
  teamId: team.id,
  id: candidate.id,
  kind: candidate.kind,
  channel: candidate.channel,
  staffId: candidate.staffId,
  email: candidate.to,
  meetingId: candidate.meetingId,
  dueAt: candidate.dueAt,
  usefulUntil: candidate.expiresAt,
});

const recipient = (message: Message) => (message.channel === 'sms' ? message.sms : message.email);

/** The claimed record, or undefined when another run claimed it first. */
async function claim(
  deps: Deps,
  config: DispatchConfig,
  current: Reminder | ReminderDraft,
  event: LifecycleEvent,
  rendered: Rendered,
  stats: DispatchStats,
): Promise<Reminder | undefined> {
  const step = transition(current, event);
  const { to, text } = recipient(rendered.message);
  config.observer?.claiming?.({ to, text });
  // The claim makes the message this run's (create-if-absent, or the queued record moved on from the version read);
  // what it was rendered from is checked at the hand-over, the last moment before the provider (see deliver).
  if (await moveReminder(deps.db, step)) return step.to;
  stats.skippedAlreadyClaimed += 1;
  return undefined;
}

function renderDerived(candidate: ReminderCandidate, meetings: ReadonlyMap<string, Meeting>, zone: string): Message {
  if (candidate.kind === 'meeting_external') {
    const meeting = candidate.meetingId ? meetings.get(candidate.meetingId) : undefined;
    const attendee = meeting?.external.find((a) => a.email === candidate.to);
    if (meeting && attendee) {
      const { subject, text } = meetingReminderEmail(meeting, attendee, zone);
      return { channel: 'email', email: { to: candidate.to, subject, text } };
    }
  }
  if (candidate.channel === 'sms') return { channel: 'sms', sms: { to: candidate.to, text: candidate.text } };
  return { channel: 'email', email: { to: candidate.to, subject: candidate.subject ?? 'Påminnelse', text: candidate.text } };
}

async function renderPending(
  deps: Deps,
  config: DispatchConfig,
  team: Team,
  reminder: Reminder,
  derived: ReadonlyMap<string, ReminderCandidate>,
  meetings: ReadonlyMap<string, Meeting>,
  nowIso: string,
  absences: readonly Absence[] = [],
): Promise<Rendered | 'drop' | 'later'> {
  if (nowIso >= reminder.usefulUntil) return 'drop';
  if (isDerivedKind(reminder.kind)) {
    // Rendered from this run's reading of the schedule, and claimed on the versions of that reading.
    const candidate = derived.get(reminder.id);
    if (!candidate) return 'drop';
    return { message: renderDerived(candidate, meetings, team.zone), about: candidate.about };
  }
  if (reminder.kind === 'change') {
    const visit = reminder.visitId ? await getVisit(deps.db, team.id, reminder.visitId) : undefined;
    if (!visit || !reminder.staffId) return 'drop';
    // Moved back to the time the therapist already knows: nothing to tell.
    if (visit.status === 'planned' && visit.start === reminder.previousStart && visit.cover === undefined) return 'drop';
    // No notice to someone about a visit during their own absence (issue 23).
    const known = reminder.previousStart ?? visit.start;
    const knownEnd = new Date(Date.parse(known) + minutesBetween(visit.start, visit.end) * 60_000).toISOString();
    if (absentStaffOf({ staff: [reminder.staffId], start: known, end: knownEnd }, absences, team.zone).length > 0) return 'drop';
    const staff = (await listStaff(deps.db, team.id)).find((s) => s.id === reminder.staffId);
    // A former staff member whose contact details were purged has no address left: nothing to send.
    if (!staff || staff.email === undefined || staff.notifications.changeNotice === 'off') return 'drop';
    const text = changeNoticeText(visit, reminder.previousStart ?? visit.start, team.zone);
    const about: RenderedFrom[] = [
      { kind: 'visit', id: visit.id, version: visit.version },
      { kind: 'staff', id: staff.id, version: staff.version },
    ];
    if (reminder.channel === 'sms' && staff.mobile) {
      // No SMS in quiet hours: wait until they end, unless the visit has begun by then.
      const allowedAt = outOfQuietHours(nowIso, team.reminderPolicy, team.zone);
      if (allowedAt !== nowIso) {
        const relevantStart = visit.status === 'cancelled' ? (reminder.previousStart ?? visit.start) : visit.start;
        if (allowedAt >= relevantStart) return 'drop';
        await moveReminder(deps.db, transition(reminder, { type: 'defer', at: nowIso, until: allowedAt }));
        return 'later';
      }
      return { message: { channel: 'sms', sms: { to: staff.mobile, text } }, about };
    }
    return {
      message: { channel: 'email', email: { to: staff.email, subject: visit.status === 'cancelled' ? 'Besök inställt' : 'Besök flyttat', text } },
      about,
    };
  }
  if (reminder.seriesId) return renderSeriesInvitation(deps, config, team, reminder, nowIso);
  // Invitation: only the newest version of the meeting is sent; an older queued one is stale.
  const meeting = reminder.meetingId ? await getMeeting(deps.db, team.id, reminder.meetingId) : undefined;
  if (!meeting || meeting.sequence !== reminder.aboutVersion || !reminder.email) return 'drop';
  const removed = reminder.method === 'CANCEL';
  const attendee = removed
    ? { name: reminder.attendeeName ?? reminder.email, email: reminder.email }
    : meeting.external.find((a) => a.email === reminder.email);
  if (!attendee) return 'drop';
  const method = removed || meeting.status === 'cancelled' ? 'CANCEL' : 'REQUEST';
  // An occurrence of a series the attendee holds as one recurring event: sent as a change of that event (RECURRENCE-ID).
  const series = meeting.seriesId && meeting.occurrenceKey ? await getSeries(deps.db, team.id, meeting.seriesId) : undefined;
  const inSeries = series && meeting.occurrenceKey && series.external.some((a) => sameAddress(a.email, attendee.email)) ? series : undefined;
  const organizer = await organizerOf(deps, config, team, meeting.organizerStaffId ?? series?.organizerStaffId);
  const invitation = meetingInvitation(meeting, {
    ...organizer,
    method,
    attendee,
    zone: team.zone,
    ...(inSeries && meeting.occurrenceKey
      ? {
          occurrenceOf: {
            seriesId: inSeries.id,
            recurrenceIdLocal: occurrenceRecurrenceId(meeting.occurrenceKey, inSeries),
            sequenceBase: inSeries.sequence,
          },
        }
      : {}),
  });
  return {
    message: invitationEmail(attendee.email, invitation, organizer.replyTo, method),
    about: [
      { kind: 'meeting', id: meeting.id, version: meeting.version },
      ...(inSeries ? [{ kind: 'series' as const, id: inSeries.id, version: inSeries.version }] : []),
    ],
  };
}

const sameAddress = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * The ORGANIZER of an invitation: the coordinator who booked the meeting, with Reply-To their address, so a partner's
 * answer (and the iTIP REPLY their calendar sends to the ORGANIZER) reaches a person; RSVP=TRUE asks for it. The e-mail's
 * From stays the system address (the SES identity). With no such coordinator (older records, deactivated staff): the
 * system as organizer and no RSVP, since nobody would read the replies.
 */
async function organizerOf(
  deps: Deps,
  config: DispatchConfig,
  team: Team,
  staffId: string | undefined,
): Promise<{ organizerEmail: string; organizerName: string; rsvp: boolean; replyTo?: string }> {
  const staff: Staff | undefined = staffId ? (await listStaff(deps.db, team.id)).find((s) => s.id === staffId) : undefined;
  if (staff?.active && staff.email) return { organizerEmail: staff.email, organizerName: staff.name, rsvp: true, replyTo: staff.email };
  return { organizerEmail: config.from, organizerName: config.organizerName, rsvp: false };
}

/** An invitation (or its cancellation) to an attendee: the text, and the iCalendar part named as clients expect it. */
function invitationEmail(
  to: string,
  invitation: { subject: string; text: string; ics: string },
  replyTo: string | undefined,
  method: 'REQUEST' | 'CANCEL',
): Message {
  const calendar = { method, ics: invitation.ics, filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics' };
  return { channel: 'email', email: { to, subject: invitation.subject, text: invitation.text, ...(replyTo ? { replyTo } : {}), calendar } };
}

/** How far an open-ended series' invitation lists its holiday exceptions (its RRULE itself has no end). */
const openEndedExceptionDays = 2 * 365;

/**
 * A series invitation (one recurring event), rendered from the series as it is now and its booked occurrences; claimed on the
 * series' version and those of the occurrences it shows apart from the rule. A newer series sequence makes it stale.
 */
async function renderSeriesInvitation(
  deps: Deps,
  config: DispatchConfig,
  team: Team,
  reminder: Reminder,
  nowIso: string,
): Promise<Rendered | 'drop'> {
  const series = reminder.seriesId ? await getSeries(deps.db, team.id, reminder.seriesId) : undefined;
  if (!series || series.sequence !== reminder.aboutVersion || !reminder.email) return 'drop';
  const email = reminder.email;
  const attendee =
    series.external.find((a) => sameAddress(a.email, email)) ?? (reminder.attendeeName ? { name: reminder.attendeeName, email } : undefined);
  if (!attendee) return 'drop';
  const method = reminder.method === 'CANCEL' || series.status === 'ended' ? 'CANCEL' : 'REQUEST';
  const nonWorking = (date: string) => isNonWorkingDay(date, team.holidayCalendar);
  const keys = expandSeries(
    series.spec,
    { from: series.spec.startDate, to: series.materializedUntil },
    { zone: team.zone, isNonWorkingDay: nonWorking },
  ).map((o) => o.key);
  const occurrences = await getMeetings(
    deps.db,
    team.id,
    keys.map((key) => `${series.id}-${key}`),
  );
  const today = DateTime.fromISO(nowIso, { zone: team.zone }).toFormat('yyyy-MM-dd');
  const openEndedUntil = addDays(today > series.spec.startDate ? today : series.spec.startDate, openEndedExceptionDays);
  const organizer = await organizerOf(deps, config, team, series.organizerStaffId);
  const invitation = seriesInvitation(
    { series, occurrences, isNonWorkingDay: nonWorking, openEndedUntil },
    { ...organizer, method, attendee, zone: team.zone },
  );
  const shown = occurrences.filter((m) => m.detached || m.status === 'cancelled');
  return {
    message: invitationEmail(attendee.email, invitation, organizer.replyTo, method),
    about: [
      { kind: 'series', id: series.id, version: series.version },
      ...shown.map((m) => ({ kind: 'meeting' as const, id: m.id, version: m.version })),
    ],
  };
}

async function deliver(deps: Deps, config: DispatchConfig, team: Team, claimed: Reminder, rendered: Rendered, stats: DispatchStats): Promise<void> {
  const { message } = rendered;
  const nowIso = deps.now().toISOString();
  await config.observer?.afterClaim?.(claimed);
  // Recorded before the provider call, so a run that takes over an expired lease knows whether it may resend. In the
  // same transaction, every visit and meeting the message shows and the staff member it goes to must still be at the
  // version it was rendered from: a change acknowledged since this run read them (a move, an opt-out, a new address,
  // an attendee taken off) stops the message here, and it is given back to be rendered afresh by the next run. After
  // this point the message is the provider's; a change acknowledged later is the change notice's job.
  const handOver = transition(claimed, { type: 'handOver', at: nowIso });
  const handedOver = await handOverReminder(deps.db, handOver, rendered.about);
  if (handedOver === 'changed') {
    stats.skippedChanged += 1;
    await moveReminder(deps.db, transition(claimed, { type: 'giveBack', at: nowIso }));
    return;
  }
  if (handedOver === 'taken') {
    stats.skippedAlreadyClaimed += 1;
    return;
  }
  const claim = handOver.to ?? claimed;
  let providerId: string;
  try {
    ({ providerId } = message.channel === 'sms' ? await config.senders.sms.send(message.sms) : await config.senders.email.send(message.email));
  } catch (error) {
    // A timeout may hide an accepted message: it is not retried (no duplicate), but shown as `unknown` to the coordinator.
    if (error instanceof SendFailed && error.outcomeUnknown) {
      await moveReminder(deps.db, transition(claim, { type: 'outcomeUnknown', at: nowIso, reason: `outcome unknown: ${error.message}` }));
      stats.unknown += 1;
      return;
    }
    const backoff = new Date(Date.parse(nowIso) + retryDelayMinutes(claim.attempts) * 60_000).toISOString();
    // An SMS retry waits for quiet hours to end, like the first attempt.
    const retryAt = message.channel === 'sms' ? outOfQuietHours(backoff, team.reminderPolicy, team.zone) : backoff;
    const reason = error instanceof SendFailed ? error.message : 'the provider call failed';
    const step = transition(claim, { type: 'rejected', at: nowIso, reason, permanent: error instanceof SendFailed && error.permanent, retryAt });
    await moveReminder(deps.db, step);
    stats[step.state === 'failed' ? 'failed' : 'retried'] += 1;
    return;
  }
  // The provider has the message: from here on it must never be sent again. Recording the outcome is retried
  // on its own; if it still fails, the claim stays `sending` and, once its lease is over, is reported `unknown`.
  stats.sent += 1;
  await config.observer?.afterHandOver?.(claim);
  const sent = transition(claim, { type: 'accepted', at: nowIso, providerId });
  await withRetries(() => moveReminder(deps.db, sent), { attempts: 3 }).catch(() => undefined);
}

import { DateTime } from 'luxon';
import { addDays } from '../domain/booking/time.js';
import { meetingInvitation, meetingReminderEmail } from '../domain/invitations.js';
import type { ReminderCandidate, StaffContact } from '../domain/reminders.js';
import { agendaReminders, changeNoticeText, externalMeetingReminders, outOfQuietHours, retryDelayMinutes, visitReminders } from '../domain/reminders.js';
import type { EmailMessage, Senders, SmsMessage } from '../notify/sender.js';
import { SendFailed } from '../notify/sender.js';
import type { Meeting } from '../schemas/meeting.js';
import { Reminder } from '../schemas/reminder.js';
import type { Team } from '../schemas/team.js';
import { getMeeting, meetingsBetween } from '../store/meetings.js';
import { existingReminderIds, putReminder, remindersByStatus } from '../store/reminders.js';
import { listStaff } from '../store/staff.js';
import { getVisit, visitsBetween } from '../store/visits.js';
import type { Deps } from './deps.js';

/** How often a message is tried before it is marked failed and shown to the coordinator. */
export const maxAttempts = 3;
/** A claim older than this without an outcome means the dispatcher stopped mid-send (the one window left). */
const stuckAfterMinutes = 5;

export interface DispatchConfig {
  senders: Senders;
  /** The From address of every e-mail (an SES-verified identity in AWS). */
  from: string;
  organizerName: string;
  /** Messages in flight at once (default 8). */
  concurrency?: number;
}

export interface DispatchStats {
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
  skippedAlreadyClaimed: number;
}

type Message = { channel: 'sms'; sms: SmsMessage } | { channel: 'email'; email: EmailMessage };

const iso = (dt: DateTime) => dt.toUTC().toISO() ?? '';

/** Everything due or pending for one team right now, sent at most once each. */
export async function dispatchTeam(deps: Deps, config: DispatchConfig, team: Team): Promise<DispatchStats> {
  const stats: DispatchStats = { sent: 0, retried: 0, failed: 0, dropped: 0, skippedAlreadyClaimed: 0 };
  const now = deps.now();
  const nowIso = now.toISOString();
  const policy = team.reminderPolicy;
  const zone = team.zone;

  // 1. The current schedule from now to the end of tomorrow (plus the lead times): one index range on the team calendar.
  const today = DateTime.fromJSDate(now, { zone }).toFormat('yyyy-MM-dd');
  const tomorrow = addDays(today, 1);
  const windowEnd = iso(DateTime.fromISO(addDays(today, 2), { zone }).plus({ minutes: policy.maxLeadMinutes, hours: policy.externalLeadHours }));
  const [visits, meetings, staff] = await Promise.all([
    visitsBetween(deps.db, team.id, nowIso, windowEnd),
    meetingsBetween(deps.db, team.id, nowIso, windowEnd),
    listStaff(deps.db, team.id),
  ]);
  const contacts = new Map<string, StaffContact>(staff.filter((s) => s.active).map((s) => [s.id, { id: s.id, email: s.email, mobile: s.mobile, notifications: s.notifications }]));
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
  const claimed = await existingReminderIds(deps.db, team.id, due.map((c) => c.id));
  await inParallel(due, config.concurrency ?? 8, async (candidate) => {
    if (claimed.has(candidate.id)) {
      stats.skippedAlreadyClaimed += 1;
      return;
    }
    const record = Reminder.parse({
      teamId: team.id, id: candidate.id, kind: candidate.kind, channel: candidate.channel, staffId: candidate.staffId,
      ...(candidate.kind === 'meeting_external' ? { email: candidate.to, meetingId: candidate.meetingId } : {}),
      status: 'sending', attempts: 1, dueAt: candidate.dueAt, usefulUntil: candidate.expiresAt, version: 1, createdAt: nowIso, updatedAt: nowIso,
    });
    // The claim: a conditional create. A concurrent or repeated run loses here and sends nothing.
    if (!(await putReminder(deps.db, record, undefined))) {
      stats.skippedAlreadyClaimed += 1;
      return;
    }
    await deliver(deps, config, team, record, renderDerived(candidate, meetingsById, zone), stats);
  });

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
    const message = superseded ? 'drop' : await renderPending(deps, config, team, pending, byId, nowIso);
    if (message === 'drop') {
      if (await putReminder(deps.db, { ...pending, status: 'dropped', version: pending.version + 1, updatedAt: nowIso }, pending.version)) stats.dropped += 1;
      continue;
    }
    if (message === 'later') continue;
    const claim = Reminder.parse({ ...pending, status: 'sending', attempts: pending.attempts + 1, version: pending.version + 1, updatedAt: nowIso });
    if (!(await putReminder(deps.db, claim, pending.version))) {
      stats.skippedAlreadyClaimed += 1;
      continue;
    }
    await deliver(deps, config, team, claim, message, stats);
  }

  // 4. Claims that never got an outcome: the dispatcher stopped between claiming and recording. We do not resend
  //    (the provider may have accepted it); the coordinator sees them as failed with an unknown outcome.
  const stuckBefore = new Date(now.getTime() - stuckAfterMinutes * 60_000).toISOString();
  for (const stuck of await remindersByStatus(deps.db, team.id, 'sending', stuckBefore)) {
    if (await putReminder(deps.db, { ...stuck, status: 'failed', failedAt: nowIso, lastError: 'outcome unknown: the dispatcher stopped while sending', version: stuck.version + 1, updatedAt: nowIso }, stuck.version)) stats.failed += 1;
  }
  return stats;
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

async function renderPending(deps: Deps, config: DispatchConfig, team: Team, reminder: Reminder, derived: ReadonlyMap<string, ReminderCandidate>, nowIso: string): Promise<Message | 'drop' | 'later'> {
  if (nowIso >= reminder.usefulUntil) return 'drop';
  if (reminder.kind === 'visit' || reminder.kind === 'agenda' || reminder.kind === 'meeting_external') {
    const candidate = derived.get(reminder.id);
    if (!candidate) return 'drop';
    const meetings = new Map<string, Meeting>();
    if (candidate.meetingId) {
      const meeting = await getMeeting(deps.db, team.id, candidate.meetingId);
      if (meeting) meetings.set(meeting.id, meeting);
    }
    return renderDerived(candidate, meetings, team.zone);
  }
  if (reminder.kind === 'change') {
    const visit = reminder.visitId ? await getVisit(deps.db, team.id, reminder.visitId) : undefined;
    if (!visit || !reminder.staffId) return 'drop';
    // Moved back to the time the therapist already knows: nothing to tell.
    if (visit.status === 'planned' && visit.start === reminder.previousStart) return 'drop';
    const staff = (await listStaff(deps.db, team.id)).find((s) => s.id === reminder.staffId);
    if (!staff || staff.notifications.changeNotice === 'off') return 'drop';
    const text = changeNoticeText(visit, reminder.previousStart ?? visit.start, team.zone);
    if (reminder.channel === 'sms' && staff.mobile) {
      // No SMS in quiet hours: wait until they end, unless the visit has begun by then.
      const allowedAt = outOfQuietHours(nowIso, team.reminderPolicy, team.zone);
      if (allowedAt !== nowIso) {
        const relevantStart = visit.status === 'cancelled' ? (reminder.previousStart ?? visit.start) : visit.start;
        if (allowedAt >= relevantStart) return 'drop';
        await putReminder(deps.db, { ...reminder, nextAttemptAt: allowedAt, version: reminder.version + 1, updatedAt: nowIso }, reminder.version);
        return 'later';
      }
      return { channel: 'sms', sms: { to: staff.mobile, text } };
    }
    return { channel: 'email', email: { to: staff.email, subject: visit.status === 'cancelled' ? 'Besök inställt' : 'Besök flyttat', text } };
  }
  // Invitation: only the newest version of the meeting is sent; an older queued one is stale.
  const meeting = reminder.meetingId ? await getMeeting(deps.db, team.id, reminder.meetingId) : undefined;
  if (!meeting || meeting.sequence !== reminder.aboutVersion || !reminder.email) return 'drop';
  const removed = reminder.method === 'CANCEL';
  const attendee = removed ? { name: reminder.attendeeName ?? reminder.email, email: reminder.email } : meeting.external.find((a) => a.email === reminder.email);
  if (!attendee) return 'drop';
  const method = removed || meeting.status === 'cancelled' ? 'CANCEL' : 'REQUEST';
  const invitation = meetingInvitation(meeting, { organizerEmail: config.from, organizerName: config.organizerName, method, attendee, zone: team.zone });
  return { channel: 'email', email: { to: attendee.email, subject: invitation.subject, text: invitation.text, calendar: { method, ics: invitation.ics, filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics' } } };
}

async function deliver(deps: Deps, config: DispatchConfig, team: Team, claim: Reminder, message: Message, stats: DispatchStats): Promise<void> {
  const nowIso = deps.now().toISOString();
  let providerId: string;
  try {
    ({ providerId } = message.channel === 'sms' ? await config.senders.sms.send(message.sms) : await config.senders.email.send(message.email));
  } catch (error) {
    const permanent = error instanceof SendFailed ? error.permanent : false;
    const reason = error instanceof SendFailed ? (error.outcomeUnknown ? `outcome unknown: ${error.message}` : error.message) : 'the provider call failed';
    // A timeout may hide an accepted message: it is not retried (no duplicate), but shown as failed with an unknown outcome.
    if (permanent || claim.attempts >= maxAttempts) {
      await putReminder(deps.db, { ...claim, status: 'failed', failedAt: nowIso, lastError: reason, version: claim.version + 1, updatedAt: nowIso }, claim.version);
      stats.failed += 1;
    } else {
      const backoff = new Date(Date.parse(nowIso) + retryDelayMinutes(claim.attempts) * 60_000).toISOString();
      // An SMS retry waits for quiet hours to end, like the first attempt.
      const nextAttemptAt = message.channel === 'sms' ? outOfQuietHours(backoff, team.reminderPolicy, team.zone) : backoff;
      await putReminder(deps.db, { ...claim, status: 'pending', nextAttemptAt, lastError: reason, version: claim.version + 1, updatedAt: nowIso }, claim.version);
      stats.retried += 1;
    }
    return;
  }
  // The provider has the message: from here on it must never be sent again. Recording the outcome is retried
  // on its own; if it still fails, the claim stays `sending` and is reported as "outcome unknown", not resent.
  stats.sent += 1;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await putReminder(deps.db, { ...claim, status: 'sent', sentAt: nowIso, providerId, version: claim.version + 1, updatedAt: nowIso }, claim.version);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        if (item !== undefined) await work(item);
      }
    }),
  );
}


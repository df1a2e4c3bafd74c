import { Reminder } from '../schemas/reminder.js';
import type { Meeting, MeetingSeries } from '../schemas/meeting.js';
import type { Team } from '../schemas/team.js';
import type { Visit } from '../schemas/visit.js';
import { reminderWrite } from '../store/reminders.js';
import type { RecordWrite } from '../store/schedule.js';

/**
 * Queued change notices for a visit moved or cancelled within the team's notice window (default 48 h), one per
 * therapist of the visit, or one per person in `to` when given (a re-plan after an absence also tells the family's other
 * therapist and the coordinators, and never the absent). The id holds the visit's version, so each is queued once.
 */
export function changeNoticeWrites(
  team: Team,
  staffChannels: ReadonlyMap<string, 'sms' | 'email' | 'off'>,
  before: Visit,
  after: Visit,
  now: Date,
  to: readonly string[] = after.staff,
): RecordWrite[] {
  const horizon = now.getTime() + team.reminderPolicy.changeNoticeHours * 3_600_000;
  const touches = (instant: string) => Date.parse(instant) > now.getTime() && Date.parse(instant) <= horizon;
  if (!touches(before.start) && !(after.status === 'planned' && touches(after.start))) return [];
  const nowIso = now.toISOString();
  const latest = after.status === 'cancelled' ? before.start : after.start > before.start ? after.start : before.start;
  return [...new Set(to)].flatMap((staffId) => {
    const channel = staffChannels.get(staffId) ?? 'sms';
    if (channel === 'off') return [];
    const reminder = Reminder.parse({
      teamId: team.id,
      id: `change#${after.id}#${after.version}#${staffId}`,
      kind: 'change',
      channel,
      staffId,
      visitId: after.id,
      aboutVersion: after.version,
      previousStart: before.start,
      status: 'pending',
      attempts: 0,
      dueAt: nowIso,
      nextAttemptAt: nowIso,
      usefulUntil: latest,
      version: 1,
      createdAt: nowIso,
      updatedAt: nowIso,
    });
    return [reminderWrite(reminder, undefined)];
  });
}

/** Queued invitations (or cancellations) for a meeting's external attendees, one per attendee and meeting sequence. */
export function invitationWrites(meeting: Meeting, now: Date): RecordWrite[] {
  const nowIso = now.toISOString();
  return meeting.external.map((attendee) =>
    reminderWrite(
      Reminder.parse({
        teamId: meeting.teamId,
        id: `invitation#${meeting.id}#${meeting.sequence}#${attendee.email}`,
        kind: 'invitation',
        channel: 'email',
        email: attendee.email,
        meetingId: meeting.id,
        aboutVersion: meeting.sequence,
        status: 'pending',
        attempts: 0,
        dueAt: nowIso,
        nextAttemptAt: nowIso,
        usefulUntil: meeting.end,
        version: 1,
        createdAt: nowIso,
        updatedAt: nowIso,
      }),
      undefined,
    ),
  );
}

/** Cancellations for external attendees taken off a meeting, so it leaves their calendars too. */
export function removedAttendeeWrites(before: Meeting, after: Meeting, now: Date): RecordWrite[] {
  const nowIso = now.toISOString();
  const kept = new Set(after.external.map((a) => a.email.toLowerCase()));
  return before.external
    .filter((a) => !kept.has(a.email.toLowerCase()))
    .map((attendee) =>
      reminderWrite(
        Reminder.parse({
          teamId: after.teamId,
          id: `invitation#${after.id}#${after.sequence}#${attendee.email}#removed`,
          kind: 'invitation',
          channel: 'email',
          email: attendee.email,
          attendeeName: attendee.name,
          method: 'CANCEL',
          meetingId: after.id,
          aboutVersion: after.sequence,
          status: 'pending',
          attempts: 0,
          dueAt: nowIso,
          nextAttemptAt: nowIso,
          usefulUntil: after.end,
          version: 1,
          createdAt: nowIso,
          updatedAt: nowIso,
        }),
        undefined,
      ),
    );
}

/**
 * The series invitation (one recurring event) for each external attendee, queued with the series change itself:
 * `REQUEST` on creation and when the series is cut short, `CANCEL` when it ends before its first occurrence.
 * One per attendee and series sequence; a newer sequence makes an unsent older one stale.
 */
export function seriesInvitationWrites(series: MeetingSeries, now: Date, attendees: MeetingSeries['external'] = series.external): RecordWrite[] {
  const nowIso = now.toISOString();
  const method = series.status === 'ended' ? 'CANCEL' : undefined;
  // Useful until the series' last day (an open-ended one: a year; it is sent within minutes anyway).
  const usefulUntil = series.spec.untilDate
    ? new Date(Date.parse(`${series.spec.untilDate}T23:59:59Z`) + 86_400_000).toISOString()
    : new Date(now.getTime() + 365 * 86_400_000).toISOString();
  return attendees.map((attendee) =>
    reminderWrite(
      Reminder.parse({
        teamId: series.teamId,
        id: `invitation#series#${series.id}#${series.sequence}#${attendee.email}`,
        kind: 'invitation',
        channel: 'email',
        email: attendee.email,
        attendeeName: attendee.name,
        ...(method ? { method } : {}),
        seriesId: series.id,
        aboutVersion: series.sequence,
        status: 'pending',
        attempts: 0,
        dueAt: nowIso,
        nextAttemptAt: nowIso,
        usefulUntil,
        version: 1,
        createdAt: nowIso,
        updatedAt: nowIso,
      }),
      undefined,
    ),
  );
}

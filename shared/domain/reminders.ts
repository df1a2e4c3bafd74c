import { DateTime } from 'luxon';
import type { Meeting } from '../schemas/meeting.js';
import type { NotificationPreferences } from '../schemas/staff.js';
import type { ReminderPolicy } from '../schemas/team.js';
import type { Visit } from '../schemas/visit.js';
import { minutesOf } from '../schemas/common.js';

/** Who a staff reminder goes to, and how they want it. */
export interface StaffContact {
  id: string;
  /** The staff record's version these details were read at: the hand-over checks it, so a change of address or preferences wins. */
  version: number;
  email: string;
  mobile?: string | undefined;
  notifications: NotificationPreferences;
}

/** A reminder derived from the current schedule: what, to whom, on which channel, when, and until when it is any use. */
export interface ReminderCandidate {
  /** Deterministic: the same visit/meeting at the same time gives the same id, so a claim can only happen once. */
  id: string;
  kind: 'visit' | 'agenda' | 'meeting_external';
  channel: 'sms' | 'email';
  to: string;
  staffId?: string | undefined;
  dueAt: string;
  expiresAt: string;
  subject?: string | undefined;
  text: string;
  /** For external meeting reminders: the meeting and attendee, rendered by the e-mail module. */
  meetingId?: string | undefined;
  /** Every visit and meeting the message describes, and the staff member it goes to, at the version it was rendered from: the hand-over checks them all. */
  about: RenderedFrom[];
}

/** One visit, meeting or meeting series at the version a message was rendered from. */
export interface EngagementRef {
  kind: 'visit' | 'meeting' | 'series';
  id: string;
  version: number;
}

/** What a message was rendered from: what it describes, and (a staff reminder) the person with their address and preferences. */
export type RenderedFrom = EngagementRef | { kind: 'staff'; id: string; version: number };

const visitKindSv = { family: 'familj', individual: 'individuell', joint: 'gemensam' } as const;
// Swedish day and month names, fixed here rather than taken from the runtime's ICU data, so texts never vary.
const weekdaysShort = ['mån', 'tis', 'ons', 'tors', 'fre', 'lör', 'sön'];
const weekdaysLong = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];
const months = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
const local = (instant: string, zone: string) => DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone);
const dayAndTime = (instant: string, zone: string) => {
  const at = local(instant, zone);
  return `${weekdaysShort[at.weekday - 1] ?? ''} ${at.day}/${at.month} kl ${at.toFormat('HH:mm')}`;
};
/** E.g. "tisdag 8 december". */
export const longDate = (date: DateTime) => `${weekdaysLong[date.weekday - 1] ?? ''} ${date.day} ${months[date.month - 1] ?? ''}`;
const time = (instant: string, zone: string) => local(instant, zone).toFormat('HH:mm');

/** The minimal words for a visit (§6): family code, kind, municipality. */
export const visitLabel = (v: Pick<Visit, 'family' | 'kind' | 'place'>) => `Besök ${v.family} (${visitKindSv[v.kind]}) ${v.place}`;

/**
 * Moves an SMS out of quiet hours (e.g. 21:00–07:00 local) to the end of them; returns the instant unchanged
 * when it is outside. Wall-clock arithmetic in the zone, so DST nights are handled by luxon.
 */
export function outOfQuietHours(instant: string, policy: Pick<ReminderPolicy, 'quietStart' | 'quietEnd'>, zone: string): string {
  const at = local(instant, zone);
  const minute = at.hour * 60 + at.minute;
  const start = minutesOf(policy.quietStart);
  const end = minutesOf(policy.quietEnd);
  const quiet = start > end ? minute >= start || minute < end : minute >= start && minute < end;
  if (!quiet) return instant;
  const day = start > end && minute >= start ? at.plus({ days: 1 }) : at;
  return (
    day
      .set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 })
      .toUTC()
      .toISO() ?? instant
  );
}

/** Per-visit reminders for each of its therapists (default SMS 60 minutes before), quiet hours respected. */
export function visitReminders(
  visits: readonly Visit[],
  staff: ReadonlyMap<string, StaffContact>,
  policy: ReminderPolicy,
  zone: string,
): ReminderCandidate[] {
  const out: ReminderCandidate[] = [];
  for (const visit of visits) {
    if (visit.status !== 'planned') continue;
    for (const staffId of visit.staff) {
      const person = staff.get(staffId);
      if (!person || person.notifications.visitReminder === 'off') continue;
      const lead = Math.min(policy.maxLeadMinutes, Math.max(policy.minLeadMinutes, person.notifications.visitLeadMinutes ?? policy.visitLeadMinutes));
      const channel = person.notifications.visitReminder === 'sms' && person.mobile ? 'sms' : 'email';
      const planned = DateTime.fromISO(visit.start, { zone: 'utc' }).minus({ minutes: lead }).toISO() ?? visit.start;
      const dueAt = channel === 'sms' ? outOfQuietHours(planned, policy, zone) : planned;
      if (dueAt >= visit.start) continue;
      const text = `IKB: ${visitLabel(visit)} ${dayAndTime(visit.start, zone)}–${time(visit.end, zone)}.`;
      out.push({
        id: `visit#${visit.id}#${staffId}#${visit.start}`,
        kind: 'visit',
        channel,
        to: channel === 'sms' ? (person.mobile ?? '') : person.email,
        staffId,
        dueAt,
        expiresAt: visit.start,
        ...(channel === 'email' ? { subject: `Påminnelse: besök ${dayAndTime(visit.start, zone)}` } : {}),
        text,
        about: [
          { kind: 'visit', id: visit.id, version: visit.version },
          { kind: 'staff', id: person.id, version: person.version },
        ],
      });
    }
  }
  return out;
}

/** The evening e-mail with tomorrow's visits and meetings in time order (default 18:00 the day before), of use until that day begins. */
export function agendaReminders(
  date: string,
  visits: readonly Visit[],
  meetings: readonly Meeting[],
  staff: ReadonlyMap<string, StaffContact>,
  policy: ReminderPolicy,
  zone: string,
): ReminderCandidate[] {
  const out: ReminderCandidate[] = [];
  const day = DateTime.fromISO(date, { zone });
  const dueAt =
    day
      .minus({ days: 1 })
      .set({ hour: Math.floor(minutesOf(policy.agendaTime) / 60), minute: minutesOf(policy.agendaTime) % 60 })
      .toUTC()
      .toISO() ?? '';
  for (const person of staff.values()) {
    if (person.notifications.dailyAgenda === 'off') continue;
    const entries = [
      ...visits
        .filter((v) => v.status === 'planned' && v.staff.includes(person.id))
        .map((v) => ({
          ref: { kind: 'visit' as const, id: v.id, version: v.version },
          start: v.start,
          line: `${time(v.start, zone)}–${time(v.end, zone)} ${visitLabel(v)}`,
        })),
      ...meetings
        .filter((m) => m.status === 'planned' && m.staff.includes(person.id))
        .map((m) => ({
          ref: { kind: 'meeting' as const, id: m.id, version: m.version },
          start: m.start,
          line: `${time(m.start, zone)}–${time(m.end, zone)} Möte: ${m.title}${m.mode === 'online' ? ` (${m.videoLink ?? 'länk'})` : `, ${m.address ?? m.place ?? ''}`}`,
        })),
    ]
      .filter((e) => local(e.start, zone).toFormat('yyyy-MM-dd') === date)
      .sort((a, b) => a.start.localeCompare(b.start));
    if (entries.length === 0) continue;
    const weekday = longDate(day);
    out.push({
      id: `agenda#${person.id}#${date}`,
      kind: 'agenda',
      channel: 'email',
      to: person.email,
      staffId: person.id,
      dueAt,
      // Useful until its day begins (issue 24 §6): after a late start at 05:56 it is dropped, not sent that morning.
      expiresAt: day.toUTC().toISO() ?? dueAt,
      subject: `Ditt schema ${weekday}`,
      text: [`Schema för ${weekday}:`, '', ...entries.map((e) => e.line), '', 'Tider i svensk tid.'].join('\n'),
      about: [...entries.map((e): RenderedFrom => e.ref), { kind: 'staff', id: person.id, version: person.version }],
    });
  }
  return out;
}

/** Reminders to a meeting's external attendees (default 24 hours before), rendered later with the link or address. */
export function externalMeetingReminders(meetings: readonly Meeting[], policy: ReminderPolicy): ReminderCandidate[] {
  return meetings.flatMap((m) =>
    m.status !== 'planned'
      ? []
      : m.external.map((attendee) => ({
          id: `external#${m.id}#${attendee.email}#${m.start}`,
          kind: 'meeting_external' as const,
          channel: 'email' as const,
          to: attendee.email,
          dueAt: DateTime.fromISO(m.start, { zone: 'utc' }).minus({ hours: policy.externalLeadHours }).toISO() ?? m.start,
          expiresAt: m.start,
          text: '',
          meetingId: m.id,
          about: [{ kind: 'meeting' as const, id: m.id, version: m.version }],
        })),
  );
}

/** The notice a therapist gets when a visit of theirs within the next hours is moved or cancelled. */
export function changeNoticeText(visit: Visit, previousStart: string, zone: string): string {
  if (visit.status === 'cancelled') return `IKB: ${visitLabel(visit)} ${dayAndTime(previousStart, zone)} är inställt.`;
  // Covered after an absence (issue 23): same time, given by someone else.
  if (visit.cover !== undefined && visit.start === previousStart)
    return `IKB: ${visitLabel(visit)} ${dayAndTime(visit.start, zone)}–${time(visit.end, zone)} ges av ${visit.staff.join(' och ')} (frånvaro).`;
  return `IKB: ${visitLabel(visit)} flyttat från ${dayAndTime(previousStart, zone)} till ${dayAndTime(visit.start, zone)}–${time(visit.end, zone)}.`;
}

/** Backoff before the next attempt: 1, 4, 16 minutes… */
export function retryDelayMinutes(attempt: number): number {
  return 4 ** Math.max(0, attempt - 1);
}

import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalAttendeeType, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import type { Meeting } from '../schemas/meeting.js';

/** Who an invitation is for and from; `zone` is the team's IANA zone for the times in the text. */
export interface InvitationOptions {
  organizerEmail: string;
  organizerName: string;
  method: 'REQUEST' | 'CANCEL';
  attendee: { name: string; email: string };
  zone: string;
}

// Fixed Swedish names rather than Intl: ICU versions differ ("dec" vs "dec."), and a subject must not change with the runtime.
const MONTHS_SHORT = ['jan', 'feb', 'mars', 'apr', 'maj', 'juni', 'juli', 'aug', 'sep', 'okt', 'nov', 'dec'];
const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
const WEEKDAYS = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];

const FAMILY_CODE = /\b[A-Z]{2,5}-\d{4}-\d{2,4}\b/g;

/** The stable iCalendar UID of a meeting: the same for every update and the cancellation, so calendars replace the event. */
export const meetingUid = (meetingId: string): string => `meeting-${meetingId}@ikb-planner`;

function local(instant: string, zone: string): DateTime {
  const dt = DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone);
  if (!dt.isValid) throw new Error(`cannot show ${instant} in zone ${zone}`);
  return dt;
}

const shortWhen = (dt: DateTime): string => `${dt.day} ${MONTHS_SHORT[dt.month - 1] ?? ''} ${dt.toFormat('HH:mm')}`;
const longDate = (dt: DateTime): string => `${WEEKDAYS[dt.weekday - 1] ?? ''} ${dt.day} ${MONTHS[dt.month - 1] ?? ''} ${dt.year}`;

/** "tisdag 8 december 2026, 13:00–14:30" in the zone; the end date is named too when the meeting ends on another day. */
function timeSpan(meeting: Meeting, zone: string): string {
  const start = local(meeting.start, zone);
  const end = local(meeting.end, zone);
  const endText = start.hasSame(end, 'day') ? end.toFormat('HH:mm') : `${longDate(end)}, ${end.toFormat('HH:mm')}`;
  return `${longDate(start)}, ${start.toFormat('HH:mm')}–${endText}`;
}

/**
 * The title as partners see it. Titles are meant to hold no family data; a pseudonymous family code typed into one anyway
 * (a handover meeting's, or any other) is removed, because nothing about a family goes to people outside the team.
 */
function externalTitle(meeting: Meeting): string {
  let title = meeting.family ? meeting.title.split(meeting.family).join(' ') : meeting.title;
  title = title.replace(FAMILY_CODE, ' ').replace(/\s+/g, ' ').trim();
  return title === '' ? 'Möte' : title;
}

/** Where the meeting is, as one line for a calendar's LOCATION and the e-mail text. */
function whereLine(meeting: Meeting): { label: string; value: string } {
  if (meeting.mode === 'online') return { label: 'Videolänk', value: meeting.videoLink ?? '' };
  const address = meeting.address ?? '';
  const place = meeting.place && !address.toLowerCase().includes(meeting.place.toLowerCase()) ? `, ${meeting.place}` : '';
  return { label: 'Plats', value: `${address}${place}` };
}

/**
 * The invitation e-mail for one external attendee: an iCalendar object (iTIP `REQUEST` or `CANCEL`, UID stable per meeting,
 * `SEQUENCE` = the meeting's), a Swedish subject and text with 24-hour local times and the address or video link.
 */
export function meetingInvitation(meeting: Meeting, options: InvitationOptions): { ics: string; subject: string; text: string } {
  const { method, attendee, zone } = options;
  if (method === 'REQUEST' && meeting.status === 'cancelled') throw new Error('a cancelled meeting can only be sent as CANCEL');
  const title = externalTitle(meeting);
  const where = whereLine(meeting);
  const updated = method === 'REQUEST' && meeting.sequence > 0;

  const calendar = ical({
    method: method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
    prodId: { company: 'IKB Planner', product: 'ikb-planner', language: 'SV' },
  });
  calendar.createEvent({
    id: meetingUid(meeting.id),
    sequence: meeting.sequence,
    stamp: new Date(meeting.updatedAt),
    // Instants in UTC (…Z): exact in every client, with no VTIMEZONE to get wrong around DST.
    start: new Date(meeting.start),
    end: new Date(meeting.end),
    summary: title,
    location: where.value,
    url: meeting.mode === 'online' ? (meeting.videoLink ?? null) : null,
    description: meeting.mode === 'online' ? `Videolänk: ${meeting.videoLink ?? ''}` : `Plats: ${where.value}`,
    organizer: { name: options.organizerName, email: options.organizerEmail },
    attendees: [
      {
        name: attendee.name,
        email: attendee.email,
        rsvp: true,
        status: ICalAttendeeStatus.NEEDSACTION,
        role: ICalAttendeeRole.REQ,
        type: ICalAttendeeType.INDIVIDUAL,
      },
    ],
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });

  const prefix = method === 'CANCEL' ? 'Inställt' : updated ? 'Uppdaterad inbjudan' : 'Inbjudan';
  const subject = `${prefix}: ${title} ${shortWhen(local(meeting.start, zone))}`;
  const lead =
    method === 'CANCEL'
      ? `mötet "${title}" är inställt. Kalenderfilen i meddelandet tar bort det ur din kalender.`
      : updated
        ? `mötet "${title}" har ändrats. Kalenderfilen i meddelandet uppdaterar det i din kalender.`
        : `du är inbjuden till mötet "${title}". Kalenderfilen i meddelandet lägger in det i din kalender.`;
  const text = [
    `Hej ${attendee.name},`,
    '',
    lead,
    '',
    `Tid: ${timeSpan(meeting, zone)}`,
    `${where.label}: ${where.value}`,
    '',
    `Hälsningar,`,
    options.organizerName,
    '',
  ].join('\n');

  return { ics: calendar.toString(), subject, text };
}

/** The reminder e-mail an external attendee gets 24 hours before a meeting: Swedish, local 24-hour time, link or address. */
export function meetingReminderEmail(meeting: Meeting, attendee: { name: string; email: string }, zone: string): { subject: string; text: string } {
  if (meeting.status === 'cancelled') throw new Error('no reminder for a cancelled meeting');
  const title = externalTitle(meeting);
  const where = whereLine(meeting);
  return {
    subject: `Påminnelse: ${title} ${shortWhen(local(meeting.start, zone))}`,
    text: [`Hej ${attendee.name},`, '', `en påminnelse om mötet "${title}".`, '', `Tid: ${timeSpan(meeting, zone)}`, `${where.label}: ${where.value}`, ''].join('\n'),
  };
}

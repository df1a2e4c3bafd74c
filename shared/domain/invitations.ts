import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalAttendeeType,
  ICalCalendarMethod,
  ICalEventRepeatingFreq,
  ICalEventStatus,
  ICalWeekday,
} from 'ical-generator';
import type { ICalCalendar, ICalEventData } from 'ical-generator';
import { DateTime } from 'luxon';
import type { Meeting, MeetingSeries } from '../schemas/meeting.js';
import { describeRecurrence, expandSeries } from './recurrence.js';

/** Who an invitation is for and from; `zone` is the team's IANA zone for the times in the text. */
export interface InvitationOptions {
  /** ORGANIZER: the coordinator who booked the meeting (replies go there), or the system address for records without one. */
  organizerEmail: string;
  organizerName: string;
  /** Ask for replies (RSVP=TRUE) only when the organizer is a person who receives them (default true). */
  rsvp?: boolean;
  method: 'REQUEST' | 'CANCEL';
  attendee: { name: string; email: string };
  zone: string;
  /**
   * The meeting is an occurrence of a series the attendee was invited to: it is sent as a change of that series' event
   * (the series UID, `RECURRENCE-ID` = the occurrence's original local start, `SEQUENCE` = the series' + the occurrence's).
   */
  occurrenceOf?: { seriesId: string; recurrenceIdLocal: string; sequenceBase: number };
}

// Fixed Swedish names rather than Intl: ICU versions differ ("dec" vs "dec."), and a subject must not change with the runtime.
const MONTHS_SHORT = ['jan', 'feb', 'mars', 'apr', 'maj', 'juni', 'juli', 'aug', 'sep', 'okt', 'nov', 'dec'];
const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
const WEEKDAYS = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];

const FAMILY_CODE = /\b[A-Z]{2,5}-\d{4}-\d{2,4}\b/g;

/** The stable iCalendar UID of a meeting: the same for every update and the cancellation, so calendars replace the event. */
export const meetingUid = (meetingId: string): string => `meeting-${meetingId}@ikb-planner`;
/** The UID of a series invitation: one recurring event for the whole series, its occurrences overrides of it. */
export const seriesUid = (seriesId: string): string => `series-${seriesId}@ikb-planner`;

const PROD_ID = { company: 'IKB Planner', product: 'ikb-planner', language: 'SV' };

/**
 * A calendar whose events may carry `TZID=<zone>`: ical-generator then emits each event zone's VTIMEZONE (from
 * @touch4it/ical-timezones). The calendar itself gets no zone, so DTSTAMP and UNTIL stay UTC (`…Z`) as RFC 5545 wants.
 */
function invitationCalendar(method: 'REQUEST' | 'CANCEL'): ICalCalendar {
  const calendar = ical({ method: method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL, prodId: PROD_ID });
  calendar.timezone({ name: null, generator: getVtimezoneComponent });
  return calendar;
}

const inZone = (instant: string, zone: string): DateTime => DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone);
const localInZone = (local: string, zone: string): DateTime => DateTime.fromISO(local, { zone });

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
function externalTitle(meeting: Pick<Meeting, 'title' | 'family'>): string {
  let title = meeting.family ? meeting.title.split(meeting.family).join(' ') : meeting.title;
  title = title.replace(FAMILY_CODE, ' ').replace(/\s+/g, ' ').trim();
  return title === '' ? 'Möte' : title;
}

/** Where the meeting is, as one line for a calendar's LOCATION and the e-mail text. */
function whereLine(meeting: Pick<Meeting, 'mode' | 'videoLink' | 'address' | 'place'>): { label: string; value: string } {
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
  const updated = method === 'REQUEST' && meeting.sequence + (options.occurrenceOf?.sequenceBase ?? 0) > 0;

  const series = options.occurrenceOf;
  const calendar = series
    ? invitationCalendar(method)
    : ical({ method: method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL, prodId: PROD_ID });
  // A single meeting keeps its instants in UTC (…Z): exact in every client. An occurrence of a series is written in the
  // series' zone like the series itself, and its RECURRENCE-ID names the occurrence's original local start.
  const times = series
    ? {
        timezone: zone,
        start: inZone(meeting.start, zone),
        end: inZone(meeting.end, zone),
        recurrenceId: localInZone(series.recurrenceIdLocal, zone),
      }
    : { start: new Date(meeting.start), end: new Date(meeting.end) };
  calendar.createEvent({
    id: series ? seriesUid(series.seriesId) : meetingUid(meeting.id),
    sequence: (series?.sequenceBase ?? 0) + meeting.sequence,
    stamp: new Date(meeting.updatedAt),
    ...times,
    ...eventContent(meeting, options),
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

/** What every invitation's event says besides its times: title, place or link, organizer and the one attendee. */
function eventContent(
  meeting: Pick<Meeting, 'title' | 'family' | 'mode' | 'videoLink' | 'address' | 'place'>,
  options: Pick<InvitationOptions, 'organizerEmail' | 'organizerName' | 'rsvp' | 'attendee'>,
): Partial<ICalEventData> {
  const where = whereLine(meeting);
  return {
    summary: externalTitle(meeting),
    location: where.value,
    url: meeting.mode === 'online' ? (meeting.videoLink ?? null) : null,
    description: meeting.mode === 'online' ? `Videolänk: ${meeting.videoLink ?? ''}` : `Plats: ${where.value}`,
    organizer: { name: options.organizerName, email: options.organizerEmail },
    attendees: [
      {
        name: options.attendee.name,
        email: options.attendee.email,
        rsvp: options.rsvp ?? true,
        status: ICalAttendeeStatus.NEEDSACTION,
        role: ICalAttendeeRole.REQ,
        type: ICalAttendeeType.INDIVIDUAL,
      },
    ],
  };
}

/** What a series invitation is rendered from: the series, its booked occurrences (moved, edited, cancelled ones matter), the rules of the team's days. */
export interface SeriesInvitationInput {
  series: MeetingSeries;
  occurrences: readonly Meeting[];
  isNonWorkingDay: (date: string) => boolean;
  /** How far an open-ended series' holiday exceptions are listed (its RRULE itself has no end). */
  openEndedUntil: string;
}

const ICAL_WEEKDAYS = [ICalWeekday.MO, ICalWeekday.TU, ICalWeekday.WE, ICalWeekday.TH, ICalWeekday.FR, ICalWeekday.SA, ICalWeekday.SU];

/**
 * The invitation to a whole series as ONE recurring event (RFC 5545/5546): a VEVENT with the series' RRULE, DTSTART and
 * DTEND in the team's zone (`TZID` with its VTIMEZONE, so 13:00 stays 13:00 across DST — a UTC DTSTART would not),
 * `EXDATE` for occurrences skipped on holidays, cancelled, or that the attendee was taken off, and one override VEVENT
 * (`RECURRENCE-ID`) for each occurrence moved for a holiday or by hand. Sent again whole, with a raised SEQUENCE, when
 * the series itself changes; `CANCEL` removes the series from the attendee's calendar.
 */
export function seriesInvitation(
  input: SeriesInvitationInput,
  options: Omit<InvitationOptions, 'occurrenceOf'>,
): { ics: string; subject: string; text: string } {
  const { series, zone, method } = { ...input, ...options };
  const { spec } = series;
  const time = spec.recurrence.time;
  const listUntil = spec.untilDate ?? input.openEndedUntil;
  const byRule = expandSeries(spec, { from: spec.startDate, to: listUntil }, { zone, isNonWorkingDay: () => false });
  const first =
    byRule[0] ??
    expandSeries(
      { ...spec, untilDate: undefined },
      { from: spec.startDate, to: DateTime.fromISO(spec.startDate).plus({ days: 400 }).toISODate() ?? spec.startDate },
      { zone, isNonWorkingDay: () => false },
    )[0];
  if (!first) throw new Error('a series without any occurrence cannot be invited to');
  const actual = new Map(
    expandSeries(spec, { from: spec.startDate, to: listUntil }, { zone, isNonWorkingDay: input.isNonWorkingDay }).map((o) => [o.key, o]),
  );
  const booked = new Map(
    input.occurrences.filter((m) => m.seriesId === series.id && m.occurrenceKey !== undefined).map((m) => [m.occurrenceKey ?? '', m]),
  );
  const attendeeEmail = options.attendee.email.toLowerCase();

  const excluded: DateTime[] = [];
  const overrides: ICalEventData[] = [];
  let stamp = series.updatedAt;
  for (const occurrence of byRule) {
    const recurrenceId = localInZone(`${occurrence.key}T${time}`, zone);
    const meeting = booked.get(occurrence.key);
    if (meeting && meeting.updatedAt > stamp && (meeting.detached || meeting.status === 'cancelled')) stamp = meeting.updatedAt;
    const happening = actual.get(occurrence.key);
    if (!happening || meeting?.status === 'cancelled' || (meeting && !meeting.external.some((a) => a.email.toLowerCase() === attendeeEmail))) {
      excluded.push(recurrenceId);
    } else if (meeting?.detached) {
      overrides.push({
        id: seriesUid(series.id),
        recurrenceId,
        timezone: zone,
        start: inZone(meeting.start, zone),
        end: inZone(meeting.end, zone),
        sequence: series.sequence + meeting.sequence,
        ...eventContent(meeting, options),
      });
    } else if (happening.movedForHoliday) {
      overrides.push({
        id: seriesUid(series.id),
        recurrenceId,
        timezone: zone,
        start: inZone(happening.start, zone),
        end: inZone(happening.end, zone),
        sequence: series.sequence,
        ...eventContent(series, options),
      });
    }
  }

  const calendar = invitationCalendar(method);
  const weekday = ICAL_WEEKDAYS[spec.recurrence.weekday - 1] ?? ICalWeekday.MO;
  const until = spec.untilDate ? DateTime.fromISO(spec.untilDate, { zone }).endOf('day').set({ millisecond: 0 }).toUTC().toJSDate() : undefined;
  calendar.createEvent({
    id: seriesUid(series.id),
    sequence: series.sequence,
    stamp: new Date(stamp),
    timezone: zone,
    start: inZone(first.start, zone),
    end: inZone(first.end, zone),
    repeating: {
      freq: spec.recurrence.freq === 'weekly' ? ICalEventRepeatingFreq.WEEKLY : ICalEventRepeatingFreq.MONTHLY,
      ...(spec.recurrence.freq === 'weekly' ? { interval: spec.recurrence.interval } : { bySetPos: [spec.recurrence.nth] }),
      byDay: [weekday],
      ...(until ? { until } : {}),
      ...(excluded.length ? { exclude: excluded, excludeTimezone: zone } : {}),
    },
    ...eventContent(series, options),
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  if (method === 'REQUEST')
    for (const override of overrides) calendar.createEvent({ stamp: new Date(stamp), ...override, status: ICalEventStatus.CONFIRMED });

  const title = externalTitle(series);
  const where = whereLine(series);
  const rule = describeRecurrence(spec.recurrence);
  const firstDay = longDate(localInZone(first.startLocal, zone));
  const span = spec.untilDate
    ? `från ${firstDay} till ${longDate(localInZone(`${spec.untilDate}T${time}`, zone))}`
    : `från ${firstDay}, tills vidare`;
  const skipped = byRule.filter((o) => !actual.has(o.key)).map((o) => shortDate(localInZone(o.startLocal, zone)));
  const updated = method === 'REQUEST' && series.sequence > 0;
  const subject = method === 'CANCEL' ? `Inställt: ${title} (${rule})` : `${updated ? 'Uppdaterad inbjudan' : 'Inbjudan'}: ${title} ${rule}`;
  const lead =
    method === 'CANCEL'
      ? `mötesserien "${title}" är inställd. Kalenderfilen i meddelandet tar bort den ur din kalender.`
      : updated
        ? `mötesserien "${title}" har ändrats. Kalenderfilen i meddelandet uppdaterar den i din kalender.`
        : `du är inbjuden till mötesserien "${title}". Kalenderfilen i meddelandet lägger in alla mötena i din kalender.`;
  const text = [
    `Hej ${options.attendee.name},`,
    '',
    lead,
    '',
    // The rule with the time span in place of its start time: "varannan torsdag 13:00–14:00", not "… 13:00, 13:00–14:00".
    `Tid: ${describeRecurrence(spec.recurrence, `${DateTime.fromISO(first.startLocal).toFormat('HH:mm')}–${DateTime.fromISO(first.endLocal).toFormat('HH:mm')}`)}, ${span}`,
    ...(skipped.length ? [`Inga möten på helgdagar: ${skipped.join(', ')}`] : []),
    `${where.label}: ${where.value}`,
    '',
    `Hälsningar,`,
    options.organizerName,
    '',
  ].join('\n');
  return { ics: calendar.toString(), subject, text };
}

const shortDate = (dt: DateTime): string => `${dt.day} ${MONTHS_SHORT[dt.month - 1] ?? ''}`;

/** The local start of a series occurrence as the rule gave it (its RECURRENCE-ID), whatever it was moved to since. */
export const occurrenceRecurrenceId = (occurrenceKey: string, series: Pick<MeetingSeries, 'spec'>): string =>
  `${occurrenceKey}T${series.spec.recurrence.time}`;

/** The reminder e-mail an external attendee gets 24 hours before a meeting: Swedish, local 24-hour time, link or address. */
export function meetingReminderEmail(meeting: Meeting, attendee: { name: string; email: string }, zone: string): { subject: string; text: string } {
  if (meeting.status === 'cancelled') throw new Error('no reminder for a cancelled meeting');
  const title = externalTitle(meeting);
  const where = whereLine(meeting);
  return {
    subject: `Påminnelse: ${title} ${shortWhen(local(meeting.start, zone))}`,
    text: [
      `Hej ${attendee.name},`,
      '',
      `en påminnelse om mötet "${title}".`,
      '',
      `Tid: ${timeSpan(meeting, zone)}`,
      `${where.label}: ${where.value}`,
      '',
    ].join('\n'),
  };
}

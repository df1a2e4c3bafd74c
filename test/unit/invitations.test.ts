import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { meetingInvitation, meetingReminderEmail, meetingUid, seriesInvitation } from '../../shared/domain/invitations.js';
import { Meeting, MeetingSeries } from '../../shared/schemas/meeting.js';

const zone = 'Europe/Stockholm';
const attendee = { name: 'Åsa Öberg', email: 'asa.oberg@emmaboda.example' };
const organizer = { organizerEmail: 'planering@ikb.example', organizerName: 'IKB-teamet Kalmar' };

/** A meeting as the store holds it, parsed by the real schema so the fixture cannot drift from the type. */
function meeting(startLocal: string, minutes: number, rest: Partial<Meeting> = {}): Meeting {
  const start = DateTime.fromISO(startLocal, { zone });
  const end = start.plus({ minutes });
  return Meeting.parse({
    teamId: 'kalmar',
    id: 'mtg-0001-emmaboda',
    title: 'Kommunmöte Emmaboda',
    kind: 'municipality',
    mode: 'onsite',
    place: 'Emmaboda',
    address: 'Storgatan 12',
    staff: ['anna', 'erik'],
    external: [{ ...attendee, organisation: 'Emmaboda kommun' }],
    start: start.toUTC().toISO(),
    end: end.toUTC().toISO(),
    startLocal: start.toFormat("yyyy-MM-dd'T'HH:mm"),
    endLocal: end.toFormat("yyyy-MM-dd'T'HH:mm"),
    status: 'planned',
    detached: false,
    sequence: 0,
    version: 1,
    createdAt: '2026-11-20T09:00:00.000Z',
    updatedAt: '2026-11-20T09:00:00.000Z',
    ...rest,
  });
}

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  const event = new ICAL.Event(vevent);
  const attendeeProperty = vevent.getFirstProperty('attendee');
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    startIsUtc: event.startDate.zone?.tzid === 'UTC',
    stamp: vevent.getFirstPropertyValue('dtstamp')?.toString(),
    status: vevent.getFirstPropertyValue('status'),
    location: event.location,
    url: vevent.getFirstPropertyValue('url'),
    description: event.description,
    summary: event.summary,
    organizer: vevent.getFirstPropertyValue('organizer'),
    organizerName: vevent.getFirstProperty('organizer')?.getParameter('cn'),
    attendee: attendeeProperty?.getFirstValue(),
    attendeeName: attendeeProperty?.getParameter('cn'),
    partstat: attendeeProperty?.getParameter('partstat'),
    rsvp: attendeeProperty?.getParameter('rsvp'),
    events: calendar.getAllSubcomponents('vevent').length,
  };
}

describe('meetingInvitation: REQUEST', () => {
  it('is an iTIP REQUEST with a stable UID, the meeting sequence, UTC instants, organizer and attendee', () => {
    // Arrange
    const m = meeting('2026-12-08T13:00', 90);
    // Act
    const invitation = meetingInvitation(m, { ...organizer, method: 'REQUEST', attendee, zone });
    const ics = parse(invitation.ics);
    // Assert
    expect(ics).toMatchObject({
      method: 'REQUEST',
      uid: 'meeting-mtg-0001-emmaboda@ikb-planner',
      sequence: 0,
      start: '2026-12-08T12:00:00.000Z',
      end: '2026-12-08T13:30:00.000Z',
      startIsUtc: true,
      status: 'CONFIRMED',
      summary: 'Kommunmöte Emmaboda',
      location: 'Storgatan 12, Emmaboda',
      organizer: 'mailto:planering@ikb.example',
      organizerName: 'IKB-teamet Kalmar',
      attendeeName: 'Åsa Öberg',
      partstat: 'NEEDS-ACTION',
      events: 1,
    });
    expect(String(ics.attendee).toLowerCase()).toBe('mailto:asa.oberg@emmaboda.example');
    expect(String(ics.rsvp).toUpperCase()).toBe('TRUE');
    expect(ics.stamp).toBe('2026-11-20T09:00:00Z');
    expect(invitation.ics).toContain('\r\n');
  });

  it('has a Swedish subject and text with 24-hour local time and the address', () => {
    // Arrange
    const m = meeting('2026-12-08T13:00', 90);
    // Act
    const invitation = meetingInvitation(m, { ...organizer, method: 'REQUEST', attendee, zone });
    // Assert
    expect(invitation.subject).toBe('Inbjudan: Kommunmöte Emmaboda 8 dec 13:00');
    expect(invitation.text).toContain('Tid: tisdag 8 december 2026, 13:00–14:30');
    expect(invitation.text).toContain('Plats: Storgatan 12, Emmaboda');
    expect(invitation.text).not.toMatch(/\b(AM|PM)\b/);
  });

  it('an online meeting carries the video link as LOCATION, URL and in the description and text', () => {
    // Arrange
    const link = 'https://meet.example.se/j/123456?pwd=abc';
    const m = meeting('2026-12-08T09:30', 60, {
      mode: 'online',
      place: undefined,
      address: undefined,
      videoLink: link,
      title: 'Nationell avstämning',
    });
    // Act
    const invitation = meetingInvitation(m, { ...organizer, method: 'REQUEST', attendee, zone });
    const ics = parse(invitation.ics);
    // Assert
    expect(ics.location).toBe(link);
    expect(ics.url).toBe(link);
    expect(ics.description).toContain(link);
    expect(invitation.text).toContain(`Videolänk: ${link}`);
    expect(invitation.subject).toBe('Inbjudan: Nationell avstämning 8 dec 09:30');
  });

  it('an update keeps the UID, carries the raised SEQUENCE and says so in the subject', () => {
    // Arrange
    const first = meeting('2026-12-08T13:00', 90);
    const moved = meeting('2026-12-10T10:00', 90, { sequence: 2, version: 3, updatedAt: '2026-11-25T08:15:00.000Z' });
    // Act
    const before = parse(meetingInvitation(first, { ...organizer, method: 'REQUEST', attendee, zone }).ics);
    const update = meetingInvitation(moved, { ...organizer, method: 'REQUEST', attendee, zone });
    const after = parse(update.ics);
    // Assert
    expect(after.uid).toBe(before.uid);
    expect(after.sequence).toBe(2);
    expect(after.start).toBe('2026-12-10T09:00:00.000Z');
    expect(after.stamp).toBe('2026-11-25T08:15:00Z');
    expect(update.subject).toBe('Uppdaterad inbjudan: Kommunmöte Emmaboda 10 dec 10:00');
    expect(update.text).toContain('har ändrats');
  });

  it('refuses a REQUEST for a cancelled meeting', () => {
    const m = meeting('2026-12-08T13:00', 90, { status: 'cancelled', sequence: 1 });
    expect(() => meetingInvitation(m, { ...organizer, method: 'REQUEST', attendee, zone })).toThrow(/CANCEL/);
  });
});

describe('meetingInvitation: CANCEL', () => {
  it('is METHOD:CANCEL with STATUS:CANCELLED, the same UID and the raised sequence', () => {
    // Arrange
    const m = meeting('2026-12-08T13:00', 90, { status: 'cancelled', sequence: 1, updatedAt: '2026-12-01T07:00:00.000Z' });
    // Act
    const invitation = meetingInvitation(m, { ...organizer, method: 'CANCEL', attendee, zone });
    const ics = parse(invitation.ics);
    // Assert
    expect(ics).toMatchObject({
      method: 'CANCEL',
      status: 'CANCELLED',
      uid: meetingUid('mtg-0001-emmaboda'),
      sequence: 1,
      start: '2026-12-08T12:00:00.000Z',
    });
    expect(invitation.subject).toBe('Inställt: Kommunmöte Emmaboda 8 dec 13:00');
    expect(invitation.text).toContain('är inställt');
  });
});

describe('the DST weeks keep the right instants', () => {
  it.each([
    // October 2026: summer time ends Sunday 25 October 03:00 → 02:00.
    ['Friday before, CEST', '2026-10-23T13:00', '2026-10-23T11:00:00.000Z', '23 okt 13:00'],
    ['Monday after, CET', '2026-10-26T13:00', '2026-10-26T12:00:00.000Z', '26 okt 13:00'],
    // March 2027: summer time starts Sunday 28 March 02:00 → 03:00.
    ['Friday before, CET', '2027-03-26T13:00', '2027-03-26T12:00:00.000Z', '26 mars 13:00'],
    ['Monday after, CEST', '2027-03-29T13:00', '2027-03-29T11:00:00.000Z', '29 mars 13:00'],
  ])('%s: 13:00 in Stockholm is %s', (_label, startLocal, instant, when) => {
    // Arrange
    const m = meeting(startLocal, 60);
    // Act
    const invitation = meetingInvitation(m, { ...organizer, method: 'REQUEST', attendee, zone });
    const ics = parse(invitation.ics);
    // Assert
    expect(ics.start).toBe(instant);
    expect(invitation.subject).toBe(`Inbjudan: Kommunmöte Emmaboda ${when}`);
    expect(invitation.text).toContain('13:00–14:00');
  });

  it('a meeting over the October night itself lasts its real duration (3 hours of wall clock, 4 hours elapsed)', () => {
    // 00:30 CEST = 22:30Z; 03:30 CET = 02:30Z: four real hours.
    const m = Meeting.parse({
      ...meeting('2026-10-25T00:30', 60),
      start: '2026-10-24T22:30:00.000Z',
      end: '2026-10-25T02:30:00.000Z',
      endLocal: '2026-10-25T03:30',
    });
    const invitation = meetingInvitation(m, { ...organizer, method: 'REQUEST', attendee, zone });
    const ics = parse(invitation.ics);
    expect(ics.start).toBe('2026-10-24T22:30:00.000Z');
    expect(ics.end).toBe('2026-10-25T02:30:00.000Z');
    expect(invitation.text).toContain('söndag 25 oktober 2026, 00:30–03:30');
  });
});

describe('no family data reaches partners', () => {
  it('a handover meeting: the family code is in neither the calendar, the subject nor the text, even if typed into the title', () => {
    // Arrange
    const m = meeting('2026-12-08T13:00', 60, { kind: 'handover', family: 'KAL-2026-03', title: 'Överlämning KAL-2026-03 socialtjänsten' });
    // Act
    const invitation = meetingInvitation(m, { ...organizer, method: 'REQUEST', attendee, zone });
    const cancel = meetingInvitation({ ...m, status: 'cancelled', sequence: 1 }, { ...organizer, method: 'CANCEL', attendee, zone });
    const reminder = meetingReminderEmail(m, attendee, zone);
    // Assert
    for (const text of [
      invitation.ics,
      invitation.subject,
      invitation.text,
      cancel.ics,
      cancel.subject,
      cancel.text,
      reminder.subject,
      reminder.text,
    ]) {
      expect(text).not.toContain('KAL-2026-03');
      expect(text).not.toMatch(/[A-Z]{2,5}-\d{4}-\d{2,4}/);
    }
    expect(invitation.subject).toBe('Inbjudan: Överlämning socialtjänsten 8 dec 13:00');
  });

  it('the subject holds no address or attendee name', () => {
    const invitation = meetingInvitation(meeting('2026-12-08T13:00', 60), { ...organizer, method: 'REQUEST', attendee, zone });
    expect(invitation.subject).not.toContain('Storgatan');
    expect(invitation.subject).not.toContain('Åsa');
  });
});

describe('meetingReminderEmail', () => {
  it('on-site: Swedish subject, local 24-hour time and the address', () => {
    const reminder = meetingReminderEmail(meeting('2026-12-08T13:00', 90), attendee, zone);
    expect(reminder.subject).toBe('Påminnelse: Kommunmöte Emmaboda 8 dec 13:00');
    expect(reminder.text).toContain('Tid: tisdag 8 december 2026, 13:00–14:30');
    expect(reminder.text).toContain('Plats: Storgatan 12, Emmaboda');
    expect(reminder.subject).not.toContain('Storgatan');
  });

  it('online: the video link', () => {
    const link = 'https://meet.example.se/j/987';
    const reminder = meetingReminderEmail(
      meeting('2026-10-26T08:00', 30, { mode: 'online', place: undefined, address: undefined, videoLink: link }),
      attendee,
      zone,
    );
    expect(reminder.text).toContain(`Videolänk: ${link}`);
    expect(reminder.text).toContain('måndag 26 oktober 2026, 08:00–08:30');
  });

  it('refuses a cancelled meeting', () => {
    expect(() => meetingReminderEmail(meeting('2026-12-08T13:00', 90, { status: 'cancelled' }), attendee, zone)).toThrow();
  });
});

describe('organizer and replies', () => {
  it('asks for replies (RSVP=TRUE) only when a person organizes it; the system as organizer gets RSVP=FALSE', () => {
    const m = meeting('2026-12-08T13:00', 60);
    expect(
      parse(meetingInvitation(m, { organizerEmail: 'sara@ikb.example', organizerName: 'Sara', method: 'REQUEST', attendee, zone }).ics),
    ).toMatchObject({ organizer: 'mailto:sara@ikb.example', rsvp: 'TRUE' });
    expect(parse(meetingInvitation(m, { ...organizer, rsvp: false, method: 'REQUEST', attendee, zone }).ics).rsvp).toBe('FALSE');
  });
});

describe('seriesInvitation', () => {
  const series = MeetingSeries.parse({
    teamId: 'kalmar',
    id: 'ser-0001-emmaboda',
    title: 'Kommunmöte KAL-2026-03 Emmaboda',
    kind: 'municipality',
    mode: 'onsite',
    place: 'Emmaboda',
    address: 'Storgatan 12',
    staff: ['anna'],
    external: [{ ...attendee, organisation: 'Emmaboda kommun' }],
    spec: {
      recurrence: { freq: 'weekly', interval: 2, weekday: 2, time: '13:00' },
      durationMinutes: 60,
      startDate: '2026-12-01',
      untilDate: '2027-01-31',
      holidayPolicy: 'skip',
    },
    materializedUntil: '2027-01-31',
    status: 'active',
    sequence: 0,
    version: 1,
    createdAt: '2026-11-20T09:00:00.000Z',
    updatedAt: '2026-11-20T09:00:00.000Z',
  });
  const input = { series, occurrences: [], isNonWorkingDay: (d: string) => d === '2026-12-29', openEndedUntil: '2028-12-31' };

  it('is one VEVENT in the zone with RRULE, EXDATE and no family code in the title or subject', () => {
    const invitation = seriesInvitation(input, { ...organizer, method: 'REQUEST', attendee, zone });
    const calendar = new ICAL.Component(ICAL.parse(invitation.ics));
    const [vevent, ...others] = calendar.getAllSubcomponents('vevent');
    expect(others).toHaveLength(0);
    expect(vevent?.getFirstPropertyValue('uid')).toBe('series-ser-0001-emmaboda@ikb-planner');
    expect(vevent?.getFirstProperty('dtstart')?.getParameter('tzid')).toBe(zone);
    expect(String(vevent?.getFirstPropertyValue('rrule'))).toContain('INTERVAL=2');
    expect(String(vevent?.getFirstPropertyValue('exdate'))).toBe('2026-12-29T13:00:00');
    expect(invitation.subject).toBe('Inbjudan: Kommunmöte Emmaboda varannan tisdag 13:00');
    expect(invitation.ics).not.toContain('KAL-2026-03');
    expect(invitation.text).toContain('Inga möten på helgdagar: 29 dec');
  });

  it('says the time once: "Tid: varannan tisdag 13:00–14:00, …" (issue 24 §6: it said "13:00, 13:00–14:00")', () => {
    const invitation = seriesInvitation(input, { ...organizer, method: 'REQUEST', attendee, zone });
    const line = invitation.text.split('\n').find((l) => l.startsWith('Tid: '));
    expect(line).toBe('Tid: varannan tisdag 13:00–14:00, från tisdag 1 december 2026 till söndag 31 januari 2027');
    expect(line?.match(/13:00/g)).toHaveLength(1);
    const monthly = MeetingSeries.parse({
      ...series,
      spec: { ...series.spec, recurrence: { freq: 'monthly', nth: 2, weekday: 2, time: '10:00' }, untilDate: undefined },
    });
    const monthlyLine = seriesInvitation({ ...input, series: monthly }, { ...organizer, method: 'REQUEST', attendee, zone })
      .text.split('\n')
      .find((l) => l.startsWith('Tid: '));
    expect(monthlyLine).toMatch(/^Tid: andra tisdagen varje månad 10:00–11:00, från .*, tills vidare$/);
  });

  it('an ended series is a CANCEL of the whole event, with the raised SEQUENCE', () => {
    const ended = { ...series, status: 'ended' as const, sequence: 1 };
    const ics = parse(seriesInvitation({ ...input, series: ended }, { ...organizer, method: 'CANCEL', attendee, zone }).ics);
    expect(ics).toMatchObject({ method: 'CANCEL', uid: 'series-ser-0001-emmaboda@ikb-planner', sequence: 1, status: 'CANCELLED' });
  });
});

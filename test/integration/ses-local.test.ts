import { SESv2Client } from '@aws-sdk/client-sesv2';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalMailbox, startSesLocal } from '../../infra/local/ses-local.js';
import type { LocalEmail, SesLocal } from '../../infra/local/ses-local.js';
import { meetingInvitation } from '../../shared/domain/invitations.js';
import { buildInvitationMime, SesEmailSender } from '../../shared/notify/ses-email.js';
import { SendFailed } from '../../shared/notify/sender.js';
import { Meeting } from '../../shared/schemas/meeting.js';

const zone = 'Europe/Stockholm';
const from = 'IKB Planner <planering@ikb.example>';
const partner = { name: 'Åsa Öberg', email: 'asa.oberg@emmaboda.example' };

let ses: SesLocal;
let sender: SesEmailSender;

beforeAll(async () => {
  ses = await startSesLocal();
  const client = new SESv2Client({
    endpoint: ses.endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  sender = new SesEmailSender({ client, from });
});

afterAll(async () => {
  await ses?.stop();
});

/** The e-mail the local SES stored under this provider id, polled with a deadline (the store is written before SES answers, but never trust a sleep). */
async function stored(providerId: string): Promise<LocalEmail> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const email = (await readLocalMailbox(ses.endpoint)).find((e) => e.messageId === providerId);
    if (email) return email;
    if (Date.now() > deadline) throw new Error(`e-mail ${providerId} never reached the local mailbox`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A municipality meeting on the Monday after the October DST change: 13:00 CET = 12:00Z. */
const meeting = Meeting.parse({
  teamId: 'kalmar',
  id: 'mtg-2026-10-26-emmaboda',
  title: 'Kommunmöte Emmaboda',
  kind: 'handover',
  family: 'KAL-2026-04',
  mode: 'onsite',
  place: 'Emmaboda',
  address: 'Storgatan 12',
  staff: ['anna'],
  external: [{ ...partner, organisation: 'Emmaboda kommun' }],
  start: '2026-10-26T12:00:00.000Z',
  end: '2026-10-26T13:30:00.000Z',
  startLocal: '2026-10-26T13:00',
  endLocal: '2026-10-26T14:30',
  status: 'planned',
  detached: false,
  sequence: 0,
  version: 1,
  createdAt: '2026-10-01T08:00:00.000Z',
  updatedAt: '2026-10-01T08:00:00.000Z',
});

describe('SES e-mail through aws-ses-v2-local and the real SESv2Client', () => {
  it('the mailbox page answers', async () => {
    const page = await fetch(ses.mailboxUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('a plain Swedish e-mail arrives as sent (UTF-8 subject and body)', async () => {
    // Act
    const { providerId } = await sender.send({
      to: 'anna@ikb.example',
      subject: 'Dagens schema: tisdag 8 dec',
      text: 'Besök 09:00 KAL-2026-01 Emmaboda (hembesök)\nMöte 13:00 Kommunmöte Emmaboda',
    });
    // Assert
    const email = await stored(providerId);
    expect(email.subject).toBe('Dagens schema: tisdag 8 dec');
    expect(email.body.text).toBe('Besök 09:00 KAL-2026-01 Emmaboda (hembesök)\nMöte 13:00 Kommunmöte Emmaboda');
    expect(email.destination.to).toEqual(['anna@ikb.example']);
    expect(email.attachments).toEqual([]);
  });

  it('an invitation arrives with an inline text/calendar part and an invite.ics attachment that ical.js reads back: method, UID, times in the zone', async () => {
    // Arrange
    const invitation = meetingInvitation(meeting, {
      organizerEmail: 'planering@ikb.example',
      organizerName: 'IKB-teamet Kalmar',
      method: 'REQUEST',
      attendee: partner,
      zone,
    });
    // Act
    const { providerId } = await sender.send({
      to: partner.email,
      subject: invitation.subject,
      text: invitation.text,
      calendar: { method: 'REQUEST', ics: invitation.ics, filename: 'invite.ics' },
    });
    // Assert
    const email = await stored(providerId);
    expect(email.subject).toBe('Inbjudan: Kommunmöte Emmaboda 26 okt 13:00');
    expect(email.destination.to).toEqual([partner.email]);
    expect(email.body.text?.trim()).toBe(invitation.text.trim());
    const inline = email.attachments.find((a) => a.contentType === 'text/calendar');
    const file = email.attachments.find((a) => a.filename === 'invite.ics' && a.contentType === 'application/ics');
    expect(inline).toBeDefined();
    // Issue 24 §6: the inline part had no name (the local mailbox showed a link called "undefined").
    expect(inline?.filename).toBe('invite.ics');
    expect(file?.contentType).toBe('application/ics');
    for (const part of [inline, file]) {
      const ics = Buffer.from(part?.content ?? '', 'base64').toString('utf8');
      const calendar = new ICAL.Component(ICAL.parse(ics));
      const vevent = calendar.getFirstSubcomponent('vevent');
      if (!vevent) throw new Error('no VEVENT in the stored calendar part');
      const event = new ICAL.Event(vevent);
      expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
      expect(event.uid).toBe('meeting-mtg-2026-10-26-emmaboda@ikb-planner');
      expect(event.sequence).toBe(0);
      const start = DateTime.fromJSDate(event.startDate.toJSDate()).setZone(zone);
      const end = DateTime.fromJSDate(event.endDate.toJSDate()).setZone(zone);
      expect(start.toISO()).toBe('2026-10-26T13:00:00.000+01:00');
      expect(end.toISO()).toBe('2026-10-26T14:30:00.000+01:00');
      expect(event.location).toBe('Storgatan 12, Emmaboda');
      expect(ics).not.toContain('KAL-2026-04');
    }
    expect(JSON.stringify(email)).not.toContain('KAL-2026-04');
  });

  it('a cancellation arrives as METHOD:CANCEL with the same UID and a raised SEQUENCE', async () => {
    // Arrange
    const cancelled = { ...meeting, status: 'cancelled' as const, sequence: 1, updatedAt: '2026-10-20T07:00:00.000Z' };
    const notice = meetingInvitation(cancelled, {
      organizerEmail: 'planering@ikb.example',
      organizerName: 'IKB-teamet Kalmar',
      method: 'CANCEL',
      attendee: partner,
      zone,
    });
    // Act
    const { providerId } = await sender.send({
      to: partner.email,
      subject: notice.subject,
      text: notice.text,
      calendar: { method: 'CANCEL', ics: notice.ics, filename: 'invite.ics' },
    });
    // Assert
    const email = await stored(providerId);
    const file = email.attachments.find((a) => a.filename === 'invite.ics' && a.contentType === 'application/ics');
    const calendar = new ICAL.Component(ICAL.parse(Buffer.from(file?.content ?? '', 'base64').toString('utf8')));
    const vevent = calendar.getFirstSubcomponent('vevent');
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(vevent?.getFirstPropertyValue('uid')).toBe('meeting-mtg-2026-10-26-emmaboda@ikb-planner');
    expect(vevent?.getFirstPropertyValue('sequence')).toBe(1);
    expect(vevent?.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(email.subject).toBe('Inställt: Kommunmöte Emmaboda 26 okt 13:00');
  });

  it('a request SES rejects (400) is a permanent failure', async () => {
    // aws-ses-v2-local answers 400 to a Simple message without a subject, as SES does.
    const failure = await sender.send({ to: partner.email, subject: '', text: 'x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SendFailed);
    expect(failure).toMatchObject({ permanent: true });
  });

  it('a header with a line break is refused permanently before SES is called', async () => {
    const failure = await sender.send({ to: 'a@b.se\r\nBcc: everyone@example.com', subject: 'x', text: 'y' }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ permanent: true });
  });
});

describe('the invitation MIME message', () => {
  const mime = buildInvitationMime({
    from,
    to: partner.email,
    subject: 'Uppdaterad inbjudan: Överlämning socialtjänsten Mörbylånga 29 mars 13:00 – ändrad tid och plats',
    text: 'Hej Åsa,\n\nmötet har ändrats.',
    calendar: { method: 'REQUEST', ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', filename: 'invite.ics' },
    date: new Date('2026-11-23T08:00:00Z'),
  });

  it('uses CRLF line ends only, lines of at most 78 characters, and an ASCII-only message', () => {
    expect(mime.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of mime.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    expect(mime).toMatch(/^[\x20-\x7e\r\n]*$/);
  });

  it('encodes the subject as RFC 2047 UTF-8 words of at most 75 characters that decode to the subject', () => {
    const header = /^Subject: (.*(?:\r\n .*)*)/m.exec(mime)?.[1] ?? '';
    const words = header.split('\r\n ');
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    const decoded = words.map((w) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(w)?.[1] ?? '', 'base64').toString('utf8')).join('');
    expect(decoded).toBe('Uppdaterad inbjudan: Överlämning socialtjänsten Mörbylånga 29 mars 13:00 – ändrad tid och plats');
  });

  it('has the inline text/calendar part with the method parameter and the invite.ics attachment', () => {
    expect(mime).toContain('Content-Type: text/calendar; charset=UTF-8; method=REQUEST');
    expect(mime).toContain('Content-Disposition: attachment; filename="invite.ics"');
    expect(mime).toContain('Date: Mon, 23 Nov 2026 08:00:00 +0000');
  });
});

describe('startSesLocal', () => {
  it('stop() leaves no process and nothing listening', async () => {
    // Arrange
    const other = await startSesLocal();
    // Act
    await other.stop();
    // Assert
    expect(() => process.kill(other.pid, 0)).toThrow();
    await expect(fetch(`${other.endpoint}/health-check`)).rejects.toThrow();
  });
});

import { SESv2Client } from '@aws-sdk/client-sesv2';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalMailbox, startSesLocal } from '../../infra/local/ses-local.js';
import type { LocalEmail, SesLocal } from '../../infra/local/ses-local.js';
import { SesEmailSender } from '../../shared/notify/ses-email.js';
import { SmsOutbox } from '../../shared/notify/sms-outbox.js';
import { getTeam } from '../../shared/store/teams.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';
import { dispatchTeam } from '../../shared/use-cases/dispatch.js';
import { call, useTable } from '../helpers/api.js';
import type { Caller } from '../helpers/api.js';
import { seedTeam } from '../helpers/fixtures.js';
import { PartnerCalendar, parseWithPythonIcalendar } from '../helpers/ical-clients.js';

// A meeting series invites a partner ONCE: one e-mail, one VEVENT with RRULE and EXDATE; an occurrence moved is a
// RECURRENCE-ID override, one cancelled a CANCEL of that RECURRENCE-ID, the daily job sends nothing, and a change from an
// occurrence on ends the old series (UNTIL) and invites to a new one. Everything goes through the real handlers and the
// dispatcher into aws-ses-v2-local over the real SES v2 API, and is read by python3-icalendar and imported into khal.
useTable();
let ses: SesLocal;
let coordinator: Caller;
const teamId = 'series-invite';
const partner = { name: 'Karin Kommun', email: 'karin@torsas.example', organisation: 'Torsås kommun' };
const systemAddress = 'planner@ikb.example.org';
const calendar = new PartnerCalendar();

beforeAll(async () => {
  ses = await startSesLocal();
  ({ coordinator } = await seedTeam(teamId));
});
afterAll(async () => {
  calendar.dispose();
  await ses?.stop();
});

async function runDispatcher(at = new Date(Date.now() + 60_000)) {
  const team = await getTeam(defaultDeps().db, teamId);
  if (!team) throw new Error('no team');
  const client = new SESv2Client({
    endpoint: ses.endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const senders = {
    email: new SesEmailSender({ client, from: systemAddress }),
    sms: new SmsOutbox({ file: join(mkdtempSync(join(tmpdir(), 'ikb-sms-')), 'out.jsonl') }),
  };
  return dispatchTeam({ ...defaultDeps(), now: () => at }, { senders, from: systemAddress, organizerName: 'IKB Kalmar' }, team);
}

/**
 * Invitations carry an .ics; the 24-hour reminder of an occurrence does not. The dispatcher runs on the real clock, so
 * on some days an occurrence starts within 24 hours of the run and its reminder arrives too: the tests count invitations.
 */
const isInvitation = (m: LocalEmail) => m.attachments.some((a) => a.filename?.endsWith('.ics'));

let seen = 0;
/** The partner's invitations that arrived since the last look (the dispatcher has returned, so they are in the mailbox). */
async function newMailsForPartner(): Promise<LocalEmail[]> {
  const mails = (await readLocalMailbox(ses.endpoint)).filter((m) => m.destination.to.includes(partner.email) && isInvitation(m));
  const fresh = mails.slice(seen);
  seen = mails.length;
  return fresh;
}

const icsOf = (mail: LocalEmail): string => {
  const file = mail.attachments.find((a) => a.filename?.endsWith('.ics'));
  if (!file) throw new Error('no .ics attachment');
  return Buffer.from(file.content, 'base64').toString('utf8');
};

// Thursdays 10 December 2026 – 10 June 2027 at 13:00, without Christmas Eve, New Year's Eve and Ascension Day (skipped).
const thursdays = [
  '2026-12-10',
  '2026-12-17',
  '2027-01-07',
  '2027-01-14',
  '2027-01-21',
  '2027-01-28',
  '2027-02-04',
  '2027-02-11',
  '2027-02-18',
  '2027-02-25',
  '2027-03-04',
  '2027-03-11',
  '2027-03-18',
  '2027-03-25',
  '2027-04-01',
  '2027-04-08',
  '2027-04-15',
  '2027-04-22',
  '2027-04-29',
  '2027-05-13',
  '2027-05-20',
  '2027-05-27',
  '2027-06-03',
  '2027-06-10',
];
const title = 'Samverkan Torsås';

describe('a meeting series invites its partners once, as one recurring event', () => {
  let seriesId = '';
  let uid = '';

  it('one e-mail for the series: RRULE, EXDATE for the skipped holidays, the coordinator as organizer and Reply-To; khal expands the right dates across DST', async () => {
    const created = await call('POST', '/meeting-series', {
      as: coordinator,
      body: {
        title,
        kind: 'municipality',
        mode: 'online',
        videoLink: 'https://video.example/torsas',
        staff: ['coord', 'anna'],
        external: [partner],
        spec: {
          recurrence: { freq: 'weekly', interval: 1, weekday: 4, time: '13:00' },
          durationMinutes: 60,
          startDate: '2026-12-10',
          untilDate: '2027-06-10',
          holidayPolicy: 'skip',
        },
      },
    });
    expect(created.status).toBe(201);
    seriesId = (created.body as { series: { id: string } }).series.id;
    expect((created.body as { booked: unknown[] }).booked.length).toBeGreaterThan(20);
    await runDispatcher();

    const mails = await newMailsForPartner();
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    if (!mail) throw new Error('no mail');
    expect(mail.from).toContain(systemAddress);
    expect(mail.replyTo).toEqual(['coord@ikb.example']);
    expect(mail.subject).toMatch(/^Inbjudan: Samverkan Torsås/);
    const ics = icsOf(mail);
    const parsed = parseWithPythonIcalendar(ics);
    expect(parsed.method).toBe('REQUEST');
    expect(parsed.timezones).toEqual(['Europe/Stockholm']);
    expect(parsed.events).toHaveLength(1);
    const [master] = parsed.events;
    uid = master?.uid ?? '';
    expect(master).toMatchObject({
      uid: `series-${seriesId}@ikb-planner`,
      sequence: 0,
      recurrenceId: null,
      dtstart: '2026-12-10T13:00:00+01:00',
      dtstartTzid: 'Europe/Stockholm',
      dtend: '2026-12-10T14:00:00+01:00',
      organizer: 'mailto:coord@ikb.example',
      organizerName: 'Staff coord',
    });
    expect(master?.rrule).toMatch(/^FREQ=WEEKLY;/);
    expect(master?.rrule).toContain('UNTIL=20270610T215959Z');
    expect(master?.rrule).toContain('BYDAY=TH');
    expect(master?.exdates).toEqual(['2026-12-24T13:00:00+01:00', '2026-12-31T13:00:00+01:00', '2027-05-06T13:00:00+02:00']);
    expect(master?.attendees).toEqual([{ value: `mailto:${partner.email}`, rsvp: 'TRUE', partstat: 'NEEDS-ACTION' }]);

    calendar.receive(ics);
    expect(calendar.agenda('2026-12-01', 200)).toEqual(thursdays.map((d) => `${d} 13:00–14:00 ${title}`));
  });

  it('a moved occurrence is one RECURRENCE-ID override; a cancelled one a CANCEL of its RECURRENCE-ID', async () => {
    const moved = await call('PATCH', `/meetings/${seriesId}-2027-01-14`, {
      as: coordinator,
      body: { version: 1, start: '2027-01-15T10:00', end: '2027-01-15T11:00' },
    });
    expect(moved.status).toBe(200);
    await runDispatcher();
    const [update, ...more] = await newMailsForPartner();
    expect(more).toHaveLength(0);
    if (!update) throw new Error('no update');
    expect(update.subject).toMatch(/^Uppdaterad inbjudan: Samverkan Torsås 15 jan 10:00/);
    const override = parseWithPythonIcalendar(icsOf(update));
    expect(override.method).toBe('REQUEST');
    expect(override.events).toHaveLength(1);
    expect(override.events[0]).toMatchObject({
      uid,
      recurrenceId: '2027-01-14T13:00:00+01:00',
      recurrenceIdTzid: 'Europe/Stockholm',
      dtstart: '2027-01-15T10:00:00+01:00',
      sequence: 1,
      rrule: null,
      organizer: 'mailto:coord@ikb.example',
    });
    calendar.receive(icsOf(update));

    // The first of April 2027 is in summer time: the RECURRENCE-ID is 13:00+02:00.
    const cancelled = await call('POST', `/meetings/${seriesId}-2027-04-01/cancel`, { as: coordinator, body: { version: 1 } });
    expect(cancelled.status).toBe(200);
    await runDispatcher();
    const [cancel, ...extra] = await newMailsForPartner();
    expect(extra).toHaveLength(0);
    if (!cancel) throw new Error('no cancel');
    expect(cancel.subject).toMatch(/^Inställt: Samverkan Torsås 1 apr 13:00/);
    const parsedCancel = parseWithPythonIcalendar(icsOf(cancel));
    expect(parsedCancel.method).toBe('CANCEL');
    expect(parsedCancel.events[0]).toMatchObject({ uid, recurrenceId: '2027-04-01T13:00:00+02:00', status: 'CANCELLED', sequence: 1 });
    calendar.receive(icsOf(cancel));

    const expected = thursdays
      .filter((d) => d !== '2027-04-01')
      .map((d) => (d === '2027-01-14' ? `2027-01-15 10:00–11:00 ${title}` : `${d} 13:00–14:00 ${title}`));
    expect(calendar.agenda('2026-12-01', 200)).toEqual(expected);
  });

  it('the daily job extends the series without e-mailing anyone', async () => {
    const { core } = await import('../../functions/extend-meeting-series.js');
    const outcome = await core({ ...defaultDeps(), now: () => new Date('2027-01-18T02:00:00.000Z') });
    expect(outcome.booked).toBeGreaterThanOrEqual(1);
    await runDispatcher(new Date('2027-01-18T02:01:00.000Z'));
    expect(await newMailsForPartner()).toHaveLength(0);
  });

  it('a change from an occurrence on ends the old series with UNTIL and invites to a new one: two e-mails, khal shows both parts', async () => {
    const changed = await call('POST', `/meeting-series/${seriesId}/change`, {
      as: coordinator,
      body: { version: 1, fromDate: '2027-05-13', recurrence: { freq: 'weekly', interval: 1, weekday: 4, time: '14:00' } },
    });
    expect(changed.status).toBe(200);
    const successorId = (changed.body as { series: { id: string } }).series.id;
    await runDispatcher();
    const mails = await newMailsForPartner();
    expect(mails).toHaveLength(2);
    const parsed = mails.map((m) => parseWithPythonIcalendar(icsOf(m)));
    const old = parsed.find((p) => p.events[0]?.uid === uid);
    const successor = parsed.find((p) => p.events[0]?.uid === `series-${successorId}@ikb-planner`);
    // The old series, re-sent whole with a raised SEQUENCE: its UNTIL, its override and its cancelled occurrence.
    expect(old?.method).toBe('REQUEST');
    expect(old?.events[0]?.sequence).toBe(1);
    expect(old?.events[0]?.rrule).toContain('UNTIL=20270512T215959Z');
    expect(old?.events[0]?.exdates).toContain('2027-04-01T13:00:00+02:00');
    expect(old?.events.find((e) => e.recurrenceId === '2027-01-14T13:00:00+01:00')?.sequence).toBe(2);
    expect(successor?.events[0]).toMatchObject({ sequence: 0, dtstart: '2027-05-13T14:00:00+02:00', organizer: 'mailto:coord@ikb.example' });
    for (const mail of mails) calendar.receive(icsOf(mail));

    const expected = thursdays
      .filter((d) => d !== '2027-04-01')
      .map((d) =>
        d === '2027-01-14' ? `2027-01-15 10:00–11:00 ${title}` : d >= '2027-05-13' ? `${d} 14:00–15:00 ${title}` : `${d} 13:00–14:00 ${title}`,
      );
    expect(calendar.agenda('2026-12-01', 200)).toEqual(expected);
  });
});

describe('series rules and holiday policies as a calendar client expands them', () => {
  it('next_working_day: the holiday occurrence is an override on the next working day; monthly "second Tuesday" keeps 10:00 across both DST changes', async () => {
    const other = { name: 'Olle Region', email: 'olle@region.example', organisation: 'Region Kalmar län' };
    const weekly = await call('POST', '/meeting-series', {
      as: coordinator,
      body: {
        title: 'BUP-information',
        kind: 'bup_information',
        mode: 'online',
        videoLink: 'https://video.example/bup',
        staff: ['erik'],
        external: [other],
        spec: {
          recurrence: { freq: 'weekly', interval: 2, weekday: 4, time: '09:00' },
          durationMinutes: 30,
          startDate: '2026-12-10',
          untilDate: '2027-01-21',
          holidayPolicy: 'next_working_day',
        },
      },
    });
    expect(weekly.status).toBe(201);
    const monthly = await call('POST', '/meeting-series', {
      as: coordinator,
      body: {
        title: 'Nationell avstämning',
        kind: 'national_checkin',
        mode: 'online',
        videoLink: 'https://video.example/nat',
        staff: ['lina'],
        external: [other],
        spec: {
          recurrence: { freq: 'monthly', nth: 2, weekday: 2, time: '10:00' },
          durationMinutes: 60,
          startDate: '2026-12-01',
          untilDate: '2027-11-30',
          holidayPolicy: 'skip',
        },
      },
    });
    expect(monthly.status).toBe(201);
    await runDispatcher();
    const mails = (await readLocalMailbox(ses.endpoint)).filter((m) => m.destination.to.includes(other.email) && isInvitation(m));
    expect(mails).toHaveLength(2);
    const olle = new PartnerCalendar();
    try {
      for (const mail of mails) olle.receive(icsOf(mail));
      const weeklyIcs = mails.map((m) => parseWithPythonIcalendar(icsOf(m))).find((p) => p.events[0]?.summary === 'BUP-information');
      // Christmas Eve (Thursday) moves to Monday 28 December: an override of the 24th's occurrence.
      expect(weeklyIcs?.events.find((e) => e.recurrenceId !== null)).toMatchObject({
        recurrenceId: '2026-12-24T09:00:00+01:00',
        dtstart: '2026-12-28T09:00:00+01:00',
      });
      const monthlyIcs = mails.map((m) => parseWithPythonIcalendar(icsOf(m))).find((p) => p.events[0]?.summary === 'Nationell avstämning');
      expect(monthlyIcs?.events[0]?.dtstart).toBe('2026-12-08T10:00:00+01:00');
      expect(olle.agenda('2026-12-01', 365)).toEqual([
        '2026-12-08 10:00–11:00 Nationell avstämning',
        '2026-12-10 09:00–09:30 BUP-information',
        '2026-12-28 09:00–09:30 BUP-information',
        '2027-01-07 09:00–09:30 BUP-information',
        '2027-01-12 10:00–11:00 Nationell avstämning',
        '2027-01-21 09:00–09:30 BUP-information',
        ...[
          '2027-02-09',
          '2027-03-09',
          '2027-04-13',
          '2027-05-11',
          '2027-06-08',
          '2027-07-13',
          '2027-08-10',
          '2027-09-14',
          '2027-10-12',
          '2027-11-09',
        ].map((d) => `${d} 10:00–11:00 Nationell avstämning`),
      ]);
    } finally {
      olle.dispose();
    }
  });

  it('a single meeting: the booking coordinator is ORGANIZER and Reply-To, the system address the sender', async () => {
    const guest = { name: 'Gun Skola', email: 'gun@skola.example', organisation: 'Torsås skola' };
    const created = await call('POST', '/meetings', {
      as: coordinator,
      body: {
        title: 'Skolmöte',
        kind: 'consultation',
        mode: 'online',
        videoLink: 'https://video.example/skola',
        staff: ['coord'],
        external: [guest],
        start: '2026-12-15T10:00',
        end: '2026-12-15T11:00',
      },
    });
    expect(created.status).toBe(201);
    await runDispatcher();
    const [mail] = (await readLocalMailbox(ses.endpoint)).filter((m) => m.destination.to.includes(guest.email) && isInvitation(m));
    if (!mail) throw new Error('no invitation');
    expect(mail.from).toContain(systemAddress);
    expect(mail.replyTo).toEqual(['coord@ikb.example']);
    const parsed = parseWithPythonIcalendar(icsOf(mail));
    expect(parsed.events[0]).toMatchObject({
      organizer: 'mailto:coord@ikb.example',
      organizerName: 'Staff coord',
      rrule: null,
      dtstart: '2026-12-15T09:00:00+00:00',
    });
    expect(parsed.events[0]?.attendees[0]).toMatchObject({ value: `mailto:${guest.email}`, rsvp: 'TRUE' });
  });
});

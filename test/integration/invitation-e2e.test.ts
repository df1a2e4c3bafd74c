import { SESv2Client } from '@aws-sdk/client-sesv2';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalMailbox, startSesLocal } from '../../infra/local/ses-local.js';
import type { SesLocal } from '../../infra/local/ses-local.js';
import { SesEmailSender } from '../../shared/notify/ses-email.js';
import { SmsOutbox } from '../../shared/notify/sms-outbox.js';
import { getTeam } from '../../shared/store/teams.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';
import { dispatchTeam } from '../../shared/use-cases/dispatch.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, useTable } from '../helpers/api.js';
import type { Caller } from '../helpers/api.js';
import { seedTeam } from '../helpers/fixtures.js';

// The whole path: book a meeting through its Lambda handler, run the dispatcher, receive the invitation in
// aws-ses-v2-local through the real SES v2 API, and parse its .ics with Mozilla's iCalendar parser.
useTable();
let ses: SesLocal;
let coordinator: Caller;
const teamId = 'invite-team';

beforeAll(async () => {
  ses = await startSesLocal();
  ({ coordinator } = await seedTeam(teamId));
});
afterAll(async () => ses?.stop());

async function runDispatcher(at: string) {
  const team = await getTeam(defaultDeps().db, teamId);
  if (!team) throw new Error('no team');
  const client = new SESv2Client({
    endpoint: ses.endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const senders = {
    email: new SesEmailSender({ client, from: 'planner@ikb.example.org' }),
    sms: new SmsOutbox({ file: join(mkdtempSync(join(tmpdir(), 'ikb-sms-')), 'out.jsonl') }),
  };
  return dispatchTeam({ ...defaultDeps(), now: () => new Date(at) }, { senders, from: 'planner@ikb.example.org', organizerName: 'IKB Kalmar' }, team);
}

async function calendarFor(to: string, method: string) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const mails = (await readLocalMailbox(ses.endpoint)).filter((m) => m.destination.to.includes(to));
    for (const mail of mails) {
      const file = mail.attachments.find((a) => a.filename?.endsWith('.ics'));
      const ics = Buffer.from(file?.content ?? '', 'base64').toString('utf8');
      if (ics.includes(`METHOD:${method}`)) return { mail, calendar: new ICAL.Component(ICAL.parse(ics)) };
    }
    if (Date.now() > deadline) throw new Error(`no ${method} for ${to}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('meeting invitation, end to end through the local SES', () => {
  it('arrives as METHOD:REQUEST with a stable UID and the right instants (the March DST week), then as METHOD:CANCEL', async () => {
    const created = await call('POST', '/meetings', {
      as: coordinator,
      body: {
        title: 'Kommunmöte Borgholm',
        kind: 'municipality',
        mode: 'online',
        videoLink: 'https://video.example/borgholm',
        staff: ['coord'],
        external: [{ name: 'Bo Kommun', email: 'bo@borgholm.example', organisation: 'Borgholms kommun' }],
        start: '2027-03-29T13:00',
        end: '2027-03-29T14:00',
      },
    });
    expect(created.status).toBe(201);
    const meeting = created.body as { id: string; version: number };
    const stats = await runDispatcher('2026-11-23T08:01:00Z');
    expect(stats.sent).toBeGreaterThanOrEqual(1);

    const { mail, calendar } = await calendarFor('bo@borgholm.example', 'REQUEST');
    expect(mail.subject).toMatch(/Kommunmöte Borgholm/);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent') ?? undefined);
    expect(event.uid).toBe(`meeting-${meeting.id}@ikb-planner`);
    expect(event.sequence).toBe(0);
    // 13:00 in Stockholm on Monday 29 March 2027 is summer time (UTC+2): 11:00 UTC.
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-03-29T11:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2027-03-29T12:00:00.000Z');

    expect((await call('POST', `/meetings/${meeting.id}/cancel`, { as: coordinator, body: { version: 1 } })).status).toBe(200);
    await runDispatcher('2026-11-23T08:02:00Z');
    const cancel = await calendarFor('bo@borgholm.example', 'CANCEL');
    const cancelled = new ICAL.Event(cancel.calendar.getFirstSubcomponent('vevent') ?? undefined);
    expect(cancelled.uid).toBe(event.uid);
    expect(cancelled.sequence).toBe(1);
    expect(cancel.calendar.getFirstSubcomponent('vevent')?.getFirstPropertyValue('status')).toBe('CANCELLED');
  });
});

import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchEnvironment } from './local-api.js';
import { printTable } from './stats.js';

const reminders = 10_000;
const staffCount = 100;

/**
 * Dispatch throughput: 10,000 due visit reminders (e-mail) sent through the real SES v2 API into aws-ses-v2-local,
 * claimed and recorded in DynamoDB Local; DynamoDB requests per dispatched reminder.
 */
export async function run(): Promise<void> {
  const now = '2026-11-24T13:00:00.000Z';
  const env = await benchEnvironment(now);
  const { startSesLocal, readLocalMailbox } = await import('../../infra/local/ses-local.js');
  const ses = await startSesLocal();
  try {
    const { defaultDeps } = await import('../../shared/use-cases/deps.js');
    const { createTeam } = await import('../../shared/use-cases/teams.js');
    const { createStaff } = await import('../../shared/use-cases/staff.js');
    const { dispatchTeam } = await import('../../shared/use-cases/dispatch.js');
    const { visitWrite } = await import('../../shared/store/visits.js');
    const { SesEmailSender } = await import('../../shared/notify/ses-email.js');
    const { SmsOutbox } = await import('../../shared/notify/sms-outbox.js');
    const { CreateTeamBody } = await import('../../shared/schemas/team.js');
    const { CreateStaffBody } = await import('../../shared/schemas/staff.js');
    const { Visit } = await import('../../shared/schemas/visit.js');
    const deps = defaultDeps();
    const team = await createTeam(
      deps,
      CreateTeamBody.parse({ id: 'bench', name: 'Bench', places: ['Kalmar'], travelMinutes: { Kalmar: { Kalmar: 15 } } }),
    );
    const principal = { subject: 'bench', teamId: 'bench', staffId: 'coord', groups: new Set(['coordinator' as const]) };
    for (let i = 0; i < staffCount; i++) {
      await createStaff(
        deps,
        principal,
        CreateStaffBody.parse({
          id: `s${i}`,
          name: `S${i}`,
          role: 'family_therapist',
          base: 'Kalmar',
          email: `s${i}@ikb.example`,
          workingHours: [],
          notifications: { visitReminder: 'email', dailyAgenda: 'off' },
        }),
      );
    }
    // The visits are written straight into the table: this measures the dispatcher, not booking.
    const items = Array.from({ length: reminders }, (_, i) => {
      const start = new Date(Date.parse(now) + (1 + (i % 58)) * 60_000).toISOString();
      const end = new Date(Date.parse(start) + 60 * 60_000).toISOString();
      return visitWrite(
        Visit.parse({
          teamId: 'bench',
          id: `v${String(i).padStart(5, '0')}`,
          family: 'BEN-2026-01',
          kind: 'family',
          staff: [`s${i % staffCount}`],
          start,
          end,
          startLocal: '2026-11-24T14:00',
          endLocal: '2026-11-24T15:00',
          week: '2026-W48',
          place: 'Kalmar',
          status: 'planned',
          version: 1,
          createdAt: now,
          updatedAt: now,
        }),
        undefined,
      ).item;
    });
    for (let i = 0; i < items.length; i += 25) {
      await deps.db.doc.send(
        new BatchWriteCommand({ RequestItems: { [deps.db.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }),
      );
    }
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
    const rows: (string | number)[][] = [];
    for (const concurrency of [16]) {
      env.reset();
      const t0 = performance.now();
      const stats = await dispatchTeam(deps, { senders, from: 'planner@ikb.example.org', organizerName: 'IKB', concurrency }, team);
      const seconds = (performance.now() - t0) / 1000;
      const requests = env.requests();
      const again = await dispatchTeam(deps, { senders, from: 'planner@ikb.example.org', organizerName: 'IKB', concurrency }, team);
      const delivered = (await readLocalMailbox(ses.endpoint)).length;
      rows.push(
        ['reminders due', reminders],
        ['sent (first run)', stats.sent],
        ['sent again by a second run', again.sent],
        ['e-mails in the local SES mailbox', delivered],
        ['messages in flight', concurrency],
        ['time (s)', seconds.toFixed(1)],
        ['throughput (reminders/s)', (stats.sent / seconds).toFixed(0)],
        ['DynamoDB requests per reminder', (requests / Math.max(1, stats.sent)).toFixed(2)],
      );
    }
    printTable('Reminder dispatch through aws-ses-v2-local (10,000 due visit reminders, 100 staff)', ['measure', 'value'], rows);
  } finally {
    await ses.stop();
    await env.dynamo.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

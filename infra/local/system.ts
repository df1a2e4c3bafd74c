import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { DateTime } from 'luxon';
import { join } from 'node:path';
import { allRoutes } from '../../shared/http/routes.js';
import { createDb } from '../../shared/store/client.js';
import { ensureTable } from '../../shared/store/create-table.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';
import { loadOrCreateKey, signDevToken } from './dev-tokens.js';
import type { DevIdentity } from './dev-tokens.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { startSesLocal } from './ses-local.js';
import { startSmsOutboxServer } from './sms-outbox-server.js';
import { SmsOutbox } from '../../shared/notify/sms-outbox.js';
import { demoIdentities, seedDemo } from './seed.js';

/** Everything `npm start` runs, as one object the smoke test can start and stop too. */
export interface LocalSystem {
  url: string;
  dynamoEndpoint: string;
  mailboxUrl: string;
  smsOutboxUrl: string;
  tokens: { identity: DevIdentity; token: string }[];
  seed: 'seeded' | 'already-seeded' | 'incomplete';
  /** How long seeding the demo data took on this start (0 when it was already there). */
  seedSeconds: number;
  /** Whether the scheduled jobs (dispatcher, daily purge and series job) run. */
  schedules: boolean;
  stop: () => Promise<void>;
}

/** Where `npm start` keeps its data and signing key (git-ignored); IKB_LOCAL_DIR moves it, e.g. for the smoke test. */
export const localDir = process.env.IKB_LOCAL_DIR ?? join(process.cwd(), '.local');
export const tableName = 'ikb-planner-local';

/** The next time the clock in Stockholm shows `hour`:00. */
function nextLocalTime(hour: number): DateTime {
  const now = DateTime.now().setZone('Europe/Stockholm');
  const today = now.set({ hour, minute: 0, second: 0, millisecond: 0 });
  return today > now ? today : today.plus({ days: 1 });
}

/**
 * Starts DynamoDB Local (on disk under `dataDir`, or in memory), creates the table, seeds the demo team,
 * and serves the API on `port` (0 = any free port). `schedules: false` leaves out the jobs EventBridge would run (the
 * reminder dispatcher every minute, the daily purge and series job after the start): nothing then changes the data
 * but the requests made, which the test suite's shared system needs.
 */
export async function startLocalSystem(options: { port: number; dataDir?: string; keyPath: string; schedules?: boolean }): Promise<LocalSystem> {
  const dynamo = await startDynamoDbLocal(options.dataDir ? { dbPath: options.dataDir } : {});
  const stops: (() => Promise<void>)[] = [];
  try {
    // The handler modules read their configuration from the environment at load, as in Lambda.
    process.env.TABLE_NAME = tableName;
    process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    process.env.AWS_REGION ??= 'eu-north-1';
    const db = createDb({ tableName, endpoint: dynamo.endpoint });
    await ensureTable(db);
    const seedStarted = performance.now();
    const seed = await seedDemo({ ...defaultDeps(), db });
    const seedSeconds = seed === 'seeded' ? Math.round((performance.now() - seedStarted) / 1000) : 0;
    // E-mail through the real SES v2 API (aws-ses-v2-local); SMS into the outbox (no SMS emulator exists).
    // The mailbox is kept beside the data (`.local/ses-mailbox.json`), so a restart shows what was sent before it.
    const ses = await startSesLocal(options.dataDir ? { mailboxFile: join(options.dataDir, '..', 'ses-mailbox.json') } : {});
    stops.push(() => ses.stop());
    const smsFile = join(options.dataDir ?? join(localDir, 'memory'), '..', 'sms-outbox.jsonl');
    process.env.MAIL_FROM ??= 'planner@ikb.example.org';
    process.env.SES_ENDPOINT = ses.endpoint;
    process.env.SMS_MODE = 'outbox';
    process.env.SMS_OUTBOX_FILE = smsFile;
    const outbox = new SmsOutbox({ file: smsFile });
    const smsServer = await startSmsOutboxServer({ outbox });
    stops.push(() => smsServer.stop());

    const schedules = options.schedules ?? true;
    // The daily meeting-series job, as EventBridge runs it in AWS: once now, then every 24 hours.
    const { core: extendSeries } = await import('../../functions/extend-meeting-series.js');
    await extendSeries();
    const timers: ReturnType<typeof setTimeout>[] = [];
    if (schedules) {
      const daily = setInterval(() => void extendSeries().catch(() => undefined), 24 * 3600_000);
      daily.unref();
      // The reminder dispatcher, as EventBridge runs it every minute in AWS.
      const { core: dispatch } = await import('../../functions/dispatch-reminders.js');
      const minutely = setInterval(() => void dispatch().catch(() => undefined), 60_000);
      minutely.unref();
      // The daily purge (§10), as EventBridge runs it in AWS at 03:00 UTC: here at the next 03:00 in Stockholm, then
      // every 24 hours. Not at start, so a fresh `npm start` shows the demo history; `npm run purge` runs it now.
      const { core: purge } = await import('../../functions/purge-personal-data.js');
      const untilPurge = Math.max(1000, nextLocalTime(3).diffNow().toMillis());
      const purgeFirst = setTimeout(() => {
        void purge().catch(() => undefined);
        const purgeDaily = setInterval(() => void purge().catch(() => undefined), 24 * 3600_000);
        purgeDaily.unref();
        timers.push(purgeDaily);
      }, untilPurge);
      purgeFirst.unref();
      timers.push(daily, minutely, purgeFirst);
    }
    // Where `npm run purge` (another process) finds this system's table.
    const systemFile = join(options.dataDir ? join(options.dataDir, '..') : localDir, 'local-system.json');
    mkdirSync(join(systemFile, '..'), { recursive: true });
    writeFileSync(systemFile, JSON.stringify({ tableName, dynamoEndpoint: dynamo.endpoint }));
    stops.push(async () => {
      for (const timer of timers) clearTimeout(timer);
      rmSync(systemFile, { force: true });
    });
    const { handlers } = await import('./handlers.js');
    const { createApiServer } = await import('./server.js');
    const key = loadOrCreateKey(options.keyPath);
    const server: Server = createApiServer({ routes: allRoutes, handlers, key });
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : options.port);
      });
    });
    const tokens = await Promise.all(demoIdentities().map(async (identity) => ({ identity, token: await signDevToken(key, identity) })));
    return {
      url: `http://localhost:${port}`,
      dynamoEndpoint: dynamo.endpoint,
      mailboxUrl: ses.mailboxUrl,
      smsOutboxUrl: smsServer.url,
      tokens,
      seed,
      seedSeconds,
      schedules,
      stop: async () => {
        for (const stopOne of stops.reverse()) await stopOne();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await dynamo.stop();
      },
    };
  } catch (error) {
    for (const stopOne of stops.reverse()) await stopOne();
    await dynamo.stop();
    throw error;
  }
}

import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { DateTime } from 'luxon';
import { join } from 'node:path';
import { allRoutes } from '../../shared/http/routes.js';
import { createDb } from '../../shared/store/client.js';
import { ensureTable } from '../../shared/store/create-table.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';
import { webSecurityHeaders } from '../web-headers.js';
import type { WebConfig } from '../web-headers.js';
import { jwksVerifier, loadOrCreateSigningKey, signLocalIdToken } from './dev-tokens.js';
import type { DevIdentity } from './dev-tokens.js';
import { createLocalOidc, oidcMountPath, webClientId, webScopes } from './oidc.js';
import { createWebServer, ensureWebBuild } from './web-server.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { startSesLocal } from './ses-local.js';
import { startSmsOutboxServer } from './sms-outbox-server.js';
import { SmsOutbox } from '../../shared/notify/sms-outbox.js';
import { demoIdentities, seedDemo } from './seed.js';
import { hasData, seedInMemoryFolder } from './seed-in-memory.js';
import { loadPilotHistory, markPilotPending, pilotPending, pilotPendingFile } from './seed-pilot-background.js';
import type { PilotStatus } from './seed-pilot-background.js';
import { signInDirectoryFromEnv } from '../../shared/identity/sign-ins-from-env.js';
import { readLocalSignIns } from '../../shared/identity/local-sign-ins.js';

/** Everything `npm start` runs, as one object the smoke test can start and stop too. */
export interface LocalSystem {
  /** The web app (the coordinator's console and the therapists' view). */
  webUrl: string;
  /** The local OpenID provider standing in for Cognito (its issuer URL). */
  oidcIssuer: string;
  url: string;
  dynamoEndpoint: string;
  mailboxUrl: string;
  smsOutboxUrl: string;
  tokens: { identity: DevIdentity; token: string }[];
  /** The sign-ins the local OpenID provider reads (`readLocalSignIns` in shared/identity/local-sign-ins.ts). */
  signInFile: string;
  seed: 'seeded' | 'already-seeded' | 'incomplete';
  /** How long seeding the demo data took on this start (0 when it was already there). */
  seedSeconds: number;
  /** Whether the scheduled jobs (dispatcher, daily purge and series job) run. */
  schedules: boolean;
  /**
   * The pilot history 2023–2025: a first start (or one after a start stopped while loading it) loads it after the API
   * answers (seed-pilot-background.ts); until then its figures are incomplete. Also in local-system.json (`pilot`) and
   * the web server's `/local-status.json`.
   */
  pilot: () => PilotStatus;
  /** Resolves once the pilot history is complete (at once when it was already there); rejects if loading it failed. */
  pilotLoaded: Promise<void>;
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

/** Listens on 127.0.0.1 and resolves with the port (0 = any free one). */
function listen(server: Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * Starts DynamoDB Local (on disk under `dataDir`, or in memory), creates the table, seeds the demo team, and serves
 * the API on `port` and the web app on `webPort` (0 = any free port). `schedules: false` leaves out the jobs EventBridge
 * would run (the reminder dispatcher every minute, the daily purge and series job after the start): nothing then
 * changes the data but the requests made, which the test suite's shared system needs.
 */
export async function startLocalSystem(options: {
  port: number;
  webPort?: number;
  dataDir?: string;
  keyPath: string;
  schedules?: boolean;
  onPilotProgress?: (status: PilotStatus) => void;
}): Promise<LocalSystem> {
  // The web bundle is built (when stale: a fresh clone) while the demo data are seeded.
  const webBuild = ensureWebBuild();
  webBuild.catch(() => undefined);
  // Sign-ins live in a JSON file beside the data, which the local OpenID provider reads; the staff handlers write it.
  const signInFile = process.env.SIGN_IN_FILE || join(options.dataDir ? join(options.dataDir, '..') : localDir, 'sign-ins.json');
  process.env.SIGN_IN_MODE = 'local';
  process.env.SIGN_IN_FILE = signInFile;
  const seedStarted = performance.now();
  // A first start seeds in memory (seed-in-memory.ts) while the system's own DynamoDB Local starts: the emulator opens
  // its data file at the first request, so the file moved in before then is the one it serves.
  // The pilot history is left out of a first start's seed and loaded once the API answers; the mark says it is due.
  const firstStart = options.dataDir !== undefined && !hasData(options.dataDir);
  if (firstStart && options.dataDir) markPilotPending(options.dataDir);
  const inMemory =
    firstStart && options.dataDir ? seedInMemoryFolder(options.dataDir, tableName, { signIns: signInDirectoryFromEnv(), pilot: false }) : undefined;
  inMemory?.catch(() => undefined);
  const dynamo = await startDynamoDbLocal(options.dataDir ? { dbPath: options.dataDir } : {});
  const stops: (() => Promise<void>)[] = [];
  try {
    const seededInMemory = await inMemory;
    // The handler modules read their configuration from the environment at load, as in Lambda.
    process.env.TABLE_NAME = tableName;
    process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    process.env.AWS_REGION ??= 'eu-north-1';
    const db = createDb({ tableName, endpoint: dynamo.endpoint });
    await ensureTable(db);
    // After a seed in memory this finds the demo there ('already-seeded'); were the data file not served, it would seed here.
    // Without a data folder (in memory: benchmarks), the pilot history is seeded here, before the API answers.
    const here = await seedDemo({ ...defaultDeps(), db, signIns: signInDirectoryFromEnv() }, { pilot: !options.dataDir });
    if (here === 'seeded' && options.dataDir && !firstStart) markPilotPending(options.dataDir);
    const seed = seededInMemory === 'seeded' && here === 'already-seeded' ? 'seeded' : here;
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
    stops.push(async () => {
      for (const timer of timers) clearTimeout(timer);
      rmSync(systemFile, { force: true });
    });
    const { handlers } = await import('./handlers.js');
    const { createApiServer } = await import('./server.js');
    const key = await loadOrCreateSigningKey(options.keyPath);
    // The web app and the API on two origins, as CloudFront and API Gateway are in AWS (CORS between them); the
    // OpenID provider mounted on the API's server (Cognito's own origin in AWS).
    await webBuild;
    // Known once both servers listen (the issuer is the API's URL, the app's origin its own port).
    const late: {
      webOrigin: string;
      verify: (token: string) => Promise<Record<string, string> | undefined>;
      oidc?: (req: IncomingMessage, res: ServerResponse) => void;
    } = {
      webOrigin: '',
      verify: async () => undefined,
    };
    const server: Server = createApiServer({
      routes: allRoutes,
      handlers,
      verify: (token) => late.verify(token),
      oidc: { mountPath: oidcMountPath, handle: (req, res) => late.oidc?.(req, res) },
      corsAllows: (origin) => origin === late.webOrigin,
    });
    const port = await listen(server, options.port);
    stops.push(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const apiUrl = `http://localhost:${port}`;
    const issuer = `${apiUrl}${oidcMountPath}`;
    const webConfig: WebConfig = { apiUrl, oidc: { authority: issuer, clientId: webClientId, scope: webScopes } };
    const pilot: PilotStatus = { state: 'complete', percent: 100 };
    const webServer = createWebServer({
      config: () => webConfig,
      localStatus: () => ({ pilot }),
      headers: () => webSecurityHeaders({ api: apiUrl, auth: [apiUrl] }, { https: false }),
    });
    const webPort = await listen(webServer, options.webPort ?? 0);
    stops.push(async () => {
      webServer.closeAllConnections();
      await new Promise<void>((resolve) => webServer.close(() => resolve()));
    });
    const webOrigin = `http://localhost:${webPort}`;
    late.webOrigin = webOrigin;
    // The local provider's accounts are the sign-ins the staff use cases keep (one per staff record, and admin).
    late.oidc = createLocalOidc({ issuer, key, webOrigins: [webOrigin], accounts: () => readLocalSignIns(signInFile) }).handle;
    late.verify = jwksVerifier({ keys: [key.publicJwk], issuer, audience: webClientId });
    // The test suite's shared system waits for `pilot.state` "complete" here before its tests read the figures.
    // Written beside and renamed, so a reader never finds it half-written.
    const writeSystemFile = () => {
      writeFileSync(`${systemFile}.tmp`, JSON.stringify({ tableName, dynamoEndpoint: dynamo.endpoint, apiUrl, issuer, webUrl: webOrigin, pilot }));
      renameSync(`${systemFile}.tmp`, systemFile);
    };
    let pilotLoaded = Promise.resolve();
    if (options.dataDir && pilotPending(options.dataDir)) {
      const dataDir = options.dataDir;
      Object.assign(pilot, { state: 'loading', percent: 0 });
      const abort = new AbortController();
      pilotLoaded = (async () => {
        // After the servers answer: the caller prints the URLs first.
        await new Promise((resolve) => setImmediate(resolve));
        options.onPilotProgress?.({ ...pilot });
        await loadPilotHistory(
          db,
          (percent) => {
            const whole = Math.min(99, Math.floor(percent));
            if (whole === pilot.percent) return;
            pilot.percent = whole;
            writeSystemFile();
            options.onPilotProgress?.({ ...pilot });
          },
          abort.signal,
        );
        rmSync(pilotPendingFile(dataDir), { force: true });
        Object.assign(pilot, { state: 'complete', percent: 100 });
        writeSystemFile();
        options.onPilotProgress?.({ ...pilot });
      })().catch((error: unknown) => {
        if (abort.signal.aborted) return;
        pilot.state = 'failed';
        writeSystemFile();
        options.onPilotProgress?.({ ...pilot });
        throw error;
      });
      pilotLoaded.catch(() => undefined);
      // Stopped first (Ctrl-C while loading): the mark stays, so the next start loads the pilot history again.
      stops.push(async () => {
        abort.abort();
        await pilotLoaded.catch(() => undefined);
      });
    }
    writeSystemFile();
    const tokens = await Promise.all(
      demoIdentities().map(async (identity) => ({ identity, token: await signLocalIdToken(key, identity, { issuer, audience: webClientId }) })),
    );
    return {
      webUrl: webOrigin,
      oidcIssuer: issuer,
      url: apiUrl,
      dynamoEndpoint: dynamo.endpoint,
      mailboxUrl: ses.mailboxUrl,
      smsOutboxUrl: smsServer.url,
      tokens,
      signInFile,
      seed,
      seedSeconds,
      schedules,
      pilot: () => ({ ...pilot }),
      pilotLoaded,
      stop: async () => {
        for (const stopOne of stops.reverse()) await stopOne();
        await dynamo.stop();
      },
    };
  } catch (error) {
    for (const stopOne of stops.reverse()) await stopOne();
    await dynamo.stop();
    throw error;
  }
}

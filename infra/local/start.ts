import { join } from 'node:path';
import * as z from 'zod';
import { JavaMissingError } from './dynamodb-local.js';
import { pilotPeriod } from './seed-pilot.js';
import type { PilotStatus } from './seed-pilot-background.js';
import { localDir, startLocalSystem } from './system.js';
import { fixedClock, setDefaultClock } from '../../shared/use-cases/deps.js';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  // `off` pauses the scheduled jobs (dispatcher, daily purge): the test suite's shared system, where nothing may change unasked.
  IKB_LOCAL_SCHEDULES: z.enum(['on', 'off']).default('on'),
});

async function main(): Promise<void> {
  // The dispatcher publishes its CloudWatch metrics (one EMF JSON line) every minute; here they would bury what is
  // printed below. Powertools' own switch keeps them quiet; POWERTOOLS_METRICS_DISABLED=false npm start shows them.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const env = Env.safeParse(process.env);
  if (!env.success) {
    console.error('PORT and WEB_PORT must be port numbers (0–65535); IKB_LOCAL_SCHEDULES on or off.');
    process.exit(2);
  }
  // IKB_FIXED_CLOCK (an ISO instant) pins the local system's "now", e.g. for a demo on a given day; the deployed
  // functions know no such variable.
  if (process.env.IKB_FIXED_CLOCK) setDefaultClock(fixedClock(process.env.IKB_FIXED_CLOCK));
  console.log(
    'Starting DynamoDB Local, local SES and the API… (the first start also seeds the demo data; the pilot history 2023–2025 follows in the background, once the URLs below are printed)',
  );
  // The pilot history's progress, every 10 % (printed once the banner is out; before it, the last one is kept).
  let bannerOut = false;
  let lastTenth = -1;
  let loadingSince = 0;
  const showPilot = (status: PilotStatus) => {
    if (!bannerOut) return;
    if (status.state === 'loading') {
      loadingSince ||= performance.now();
      const tenth = Math.floor(status.percent / 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      console.log(`Pilot history 2023–2025: loading in the background, ${status.percent} % (its figures are incomplete until it is done)`);
    } else if (status.state === 'complete') {
      console.log(
        `Pilot history 2023–2025: complete${loadingSince ? ` (loaded in ${Math.round((performance.now() - loadingSince) / 1000)} s)` : ''}; its figures are the slides'.`,
      );
    } else {
      console.log(`Pilot history 2023–2025: loading it FAILED (its figures are incomplete); stop and start again to load it again.`);
    }
  };
  const system = await startLocalSystem({
    port: env.data.PORT,
    webPort: env.data.WEB_PORT,
    dataDir: join(localDir, 'dynamodb'),
    keyPath: join(localDir, 'oidc-signing-key.json'),
    schedules: env.data.IKB_LOCAL_SCHEDULES === 'on',
    onPilotProgress: showPilot,
  });
  const coordinator = system.tokens.find((t) => t.identity.groups.includes('coordinator'));
  const pilotQuery = `from=${pilotPeriod.from}&to=${pilotPeriod.to}`;
  const seedNote = {
    seeded: `seeded now, in ${system.seedSeconds} s`,
    'already-seeded': 'already there, kept',
    incomplete: `INCOMPLETE: an earlier first start was stopped while seeding; stop, delete ${localDir} and start again`,
  }[system.seed];
  console.log(`
IKB Planner is running (Ctrl-C stops everything).

  Web app        ${system.webUrl}  (sign in as sara, the coordinator; anna, erik, bo or lina, therapists; or admin)
  Sign-in        ${system.oidcIssuer}  (a local OpenID provider standing in for Cognito)
  API            ${system.url}
  OpenAPI        ${system.url}/openapi.json
  DynamoDB Local ${system.dynamoEndpoint}  (data in ${join(localDir, 'dynamodb')}; demo data ${seedNote})
  E-mail (SES)   ${system.mailboxUrl}  (aws-ses-v2-local's mailbox: reminders, agendas, invitations)
  SMS outbox     ${system.smsOutboxUrl}  (SMS reminders and change notices; ${system.schedules ? 'the dispatcher runs every minute' : 'the dispatcher and the daily purge are paused (IKB_LOCAL_SCHEDULES=off)'})

Evaluation figures of the pilot 2023–2025 (the demo team's history; a coordinator's token, e.g. sara's below):
  Report         ${system.url}/figures/report?${pilotQuery}
  JSON           ${system.url}/figures?${pilotQuery}
  CSV            ${system.url}/figures/csv?${pilotQuery}${system.pilot().state === 'complete' ? '' : '\n  (still loading in the background, progress below: until it is complete these figures are incomplete)'}

Sign-in tokens for curl (ID tokens of the local provider, valid 12 h; a fresh one: npm run token -- <staff-id | admin>):`);
  for (const { identity, token } of system.tokens) {
    console.log(`  ${(identity.staffId ?? identity.subject).padEnd(6)} ${identity.groups.join(',').padEnd(12)} ${token}`);
  }
  console.log(`
Try:
  curl -s ${system.url}/families -H "Authorization: Bearer ${coordinator?.token ?? '<token>'}"
  curl -s ${system.url}/staff/anna -H "Authorization: Bearer ${coordinator?.token ?? '<token>'}"
  curl -s "${system.url}/figures/report?${pilotQuery}" -H "Authorization: Bearer ${coordinator?.token ?? '<token>'}" > pilot-report.html
`);
  bannerOut = true;
  if (system.pilot().state !== 'complete') showPilot(system.pilot());
  system.pilotLoaded.catch((error: unknown) => console.error('Loading the pilot history failed:', error instanceof Error ? error.message : error));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping…');
    await system.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  if (error instanceof JavaMissingError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error('npm start failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});

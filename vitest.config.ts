import { defineConfig } from 'vitest/config';

/**
 * Files that change the process environment or module state for their own run (a clock taken off, another
 * DynamoDB endpoint, the dispatcher's SES/SMS settings read at load) get a fresh worker each; every other file
 * shares workers and loaded modules with the rest of its project (`isolate: false`), which saves loading the
 * handlers, the AWS SDK and zod schemas again for each file.
 */
/** Files that read the shared local system (test/system-setup.ts). */
const onSystem = ['test/smoke/**/*.test.ts', 'test/web/**/*.test.ts', 'test/integration/pilot-history.test.ts'];
const ownProcess = ['test/integration/calendar-feed-http.test.ts', 'test/integration/outage.test.ts', 'test/integration/reminders.test.ts', 'test/integration/sign-ins.test.ts'];
const dynamo = { globalSetup: ['test/global-setup.ts'], setupFiles: ['test/setup-env.ts'] };

export default defineConfig({
  test: {
    // Hang guards, not speed limits: a shared 2-core machine under load runs some files 5–10 times slower than a quiet one.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Most files wait on DynamoDB Local (another process) much of the time: more files than cores keeps both busy.
    maxWorkers: Number(process.env.IKB_TEST_WORKERS ?? 3),
    projects: [
      // `npm run test:unit`: the domain, schemas and planners; no DynamoDB Local, no system.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], setupFiles: ['test/setup-env.ts'], isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/infra/**/*.test.ts'], exclude: [...ownProcess, ...onSystem], ...dynamo, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ownProcess, ...dynamo } },
      // The whole local system, started once for these files (test/system-setup.ts; `inject('localSystem')`, and for the
      // browser tests in Debian's Chromium `inject('web')`); one file at a time, as they share its data and two cores.
      { extends: true, test: { name: 'system', include: onSystem, globalSetup: ['test/global-setup.ts', 'test/system-setup.ts'], setupFiles: ['test/setup-env.ts'], fileParallelism: false } },
    ],
  },
});

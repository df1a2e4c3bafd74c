import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BaseSequencer } from 'vitest/node';
import type { TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import { slowFiles } from './test/slow-files.js';
import { systemLanes } from './test/system-lanes.js';

/**
 * Files that change the process environment or module state for their own run (a clock taken off, another
 * DynamoDB endpoint, the dispatcher's SES/SMS settings read at load) get a fresh worker each; every other file
 * shares workers and loaded modules with the rest of its project (`isolate: false`), which saves loading the
 * handlers, the AWS SDK and zod schemas again for each file.
 */
/** Files that read the shared local system (test/system-setup.ts). */
/** The files in test/integration/ that read the system's data (the pilot history its first start loaded). */
const onSystemIntegration = ['test/integration/pilot-history.test.ts', 'test/integration/pilot-background.test.ts'];
const onSystem = ['test/smoke/**/*.test.ts', 'test/web/**/*.test.ts', ...onSystemIntegration];
const ownProcess = [
  'test/integration/calendar-feed-http.test.ts',
  'test/integration/outage.test.ts',
  'test/integration/reminders.test.ts',
  'test/integration/sign-ins.test.ts',
];
const dynamo = { globalSetup: ['test/global-setup.ts'], setupFiles: ['test/setup-env.ts'] };

// Every system file stands in exactly one lane (test/system-lanes.ts): a new one left out would never run.
const systemFiles = [
  ...readdirSync(join(import.meta.dirname, 'test/web'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/web/${f}`),
  ...readdirSync(join(import.meta.dirname, 'test/smoke'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/smoke/${f}`),
  ...onSystemIntegration,
];
const inLanes: string[] = Object.values(systemLanes).flat();
for (const file of systemFiles)
  if (inLanes.filter((f) => f === file).length !== 1) throw new Error(`${file} must stand in exactly one lane of test/system-lanes.ts`);
for (const file of inLanes) if (!systemFiles.includes(file)) throw new Error(`test/system-lanes.ts names ${file}, which is no system file`);

for (const file of slowFiles) if (!existsSync(join(import.meta.dirname, file))) throw new Error(`test/slow-files.ts names ${file}, which is no file`);

// `npx vitest run test/web/week.test.ts` (a system file named on the command line): those files on their own, one at
// a time, as before the lanes. Otherwise the system project runs the two lanes.
const named = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('-') && !/^--[^=]+$/.test(all[i - 1] ?? '') && !['run', 'watch', 'dev', 'list', 'related'].includes(a));
const systemFilesNamed = named.some((a) => systemFiles.some((f) => f.includes(a.replace(/^\.\//, ''))));

/**
 * The system lanes first: they are the longest chain, so they start at once. Then the slowest other files
 * (test/slow-files.ts), longest first, so that none of them is left to run alone at the end; then the rest in vitest's
 * own order (the durations it remembers from the last run, else the largest file first).
 */
class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      if (f.project.name === 'system') return -1;
      const i = slowFiles.indexOf(relative(import.meta.dirname, f.moduleId));
      return i === -1 ? slowFiles.length : i;
    };
    // Array.prototype.sort is stable: within a rank, vitest's order stays.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    // Hang guards, not speed limits: a shared 2-core machine under load runs some files 5–10 times slower than a quiet one.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // expect.poll's own default (1 s) is a speed limit: what a poll waits for comes when it comes on a loaded machine.
    expect: { poll: { timeout: 120_000 } },
    pool: 'forks',
    // Most files wait on DynamoDB Local (another process) much of the time: more files than cores keeps both busy.
    maxWorkers: Number(process.env.IKB_TEST_WORKERS ?? 3),
    sequence: { sequencer: SlowFirst },
    projects: [
      // `npm run test:unit`: the domain, schemas and planners; no DynamoDB Local, no system.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], setupFiles: ['test/setup-env.ts'], isolate: false } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/infra/**/*.test.ts'],
          exclude: [...ownProcess, ...onSystem],
          ...dynamo,
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: ownProcess, ...dynamo } },
      // The whole local system, started once for these files (test/system-setup.ts; `inject('localSystem')`, and for the
      // browser tests in Debian's Chromium `inject('web')`), in two lanes of one worker each (test/system-lanes.ts) that
      // run beside the other projects; a system file named on the command line runs on its own instead.
      {
        extends: true,
        test: {
          name: 'system',
          include: systemFilesNamed ? onSystem : ['test/lanes/*.test.ts'],
          globalSetup: ['test/global-setup.ts', 'test/system-setup.ts'],
          setupFiles: ['test/setup-env.ts'],
          ...(systemFilesNamed ? { fileParallelism: false } : {}),
        },
      },
    ],
  },
});

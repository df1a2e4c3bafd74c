import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { LocalSystemInfo, RunningLocalSystem } from './helpers/local-system.js';
import { copySystemData, startLocalSystem } from './helpers/local-system.js';

/**
 * One local system for the whole run, started as `npm start` starts it (first start: the pilot history seeded once,
 * in the background, and waited for: startLocalSystem returns once local-system.json says it is complete),
 * for the test files that need the whole system: the smoke test now, the browser tests later. Its scheduled jobs are
 * paused (IKB_LOCAL_SCHEDULES=off), so nothing changes its data but the tests' own requests. Before any test runs, its
 * data is copied to `snapshotDir`: a file that changes the data in bulk (a purge, a restart) starts its own copy
 * from there (copySystemData) instead of seeding again. Test files read it with `inject('localSystem')`.
 */
let system: RunningLocalSystem | undefined;
const dirs: string[] = [];

export async function setup(project: TestProject): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ikb-system-'));
  const snapshotDir = mkdtempSync(join(tmpdir(), 'ikb-system-snapshot-'));
  dirs.push(dir, snapshotDir);
  system = await startLocalSystem({ dir, env: { IKB_LOCAL_SCHEDULES: 'off' } });
  // Nothing writes now: the seed is done, the schedules are paused and no test has started.
  copySystemData(dir, snapshotDir);
  const { webUrl, url, dynamoEndpoint, mailboxUrl, smsOutboxUrl, tokens, output } = system;
  project.provide('localSystem', { webUrl, url, dynamoEndpoint, mailboxUrl, smsOutboxUrl, tokens, dir, output, snapshotDir });
  // The browser tests (test/web): the web app, the API, a token per demo user.
  project.provide('web', { webUrl, apiUrl: url, tokens, localDir: dir });
}

export async function teardown(): Promise<void> {
  await system?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    localSystem: LocalSystemInfo & { snapshotDir: string };
    web: { webUrl: string; apiUrl: string; tokens: Record<string, string>; localDir: string };
  }
}

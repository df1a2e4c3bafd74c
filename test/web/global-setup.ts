import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { printedToken, startNpm, stopNpm } from '../helpers/npm-start.js';
import type { StartedSystem } from '../helpers/npm-start.js';

let system: StartedSystem | undefined;
const dir = mkdtempSync(join(tmpdir(), 'ikb-web-'));

/**
 * The browser tests drive the web app against the system `npm start` runs: one start (demo data and the pilot history)
 * for every file of the web project; each file works on its own week, family codes or staff so they do not collide.
 */
export async function setup(project: TestProject): Promise<void> {
  system = await startNpm(dir);
  const tokens: Record<string, string> = {};
  for (const who of ['admin', 'sara', 'anna', 'erik', 'bo', 'lina']) tokens[who] = printedToken(system.output(), who) ?? '';
  project.provide('web', { webUrl: system.webUrl, apiUrl: system.url, tokens, localDir: dir });
}

export async function teardown(): Promise<void> {
  if (system) await stopNpm(system);
  rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    web: { webUrl: string; apiUrl: string; tokens: Record<string, string>; localDir: string };
  }
}

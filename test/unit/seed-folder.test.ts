import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeAbandonedSeeds } from '../../infra/local/seed-in-memory.js';

// The first start seeds in a folder in memory named after its process (infra/local/system.ts); one stopped midway
// (Ctrl-C) leaves its folder behind, which the next first start removes — never the folder of a seed still running.
const root = mkdtempSync(join(tmpdir(), 'ikb-seed-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('seed folders in memory', () => {
  it('removes the folders of seeds whose process is gone, and keeps a running one’s and anything else', () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const abandoned = join(root, `ikb-seed-${gone}-abc123`);
    const running = join(root, `ikb-seed-${process.pid}-def456`);
    const other = join(root, 'someone-else');
    for (const dir of [abandoned, running, other]) mkdirSync(dir);
    removeAbandonedSeeds(root);
    expect([existsSync(abandoned), existsSync(running), existsSync(other)]).toEqual([false, true, true]);
  });
});

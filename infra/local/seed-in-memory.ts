import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SignInDirectory } from '../../shared/identity/sign-in-directory.js';
import { createDb } from '../../shared/store/client.js';
import { ensureTable } from '../../shared/store/create-table.js';
import { defaultNow } from '../../shared/use-cases/deps.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { seedDemo } from './seed.js';

/** Whether DynamoDB Local has written its data file (one per access key and region, `*.db`) into `dir`. */
export const hasData = (dir: string) => existsSync(dir) && readdirSync(dir).some((name) => name.endsWith('.db'));

/** A folder in memory (tmpfs) to seed in, where the machine has one (Linux). */
const memoryRoot = '/dev/shm';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Seed folders left in memory by a first start that was stopped while seeding (Ctrl-C): their process is gone. */
export function removeAbandonedSeeds(root: string): void {
  for (const name of readdirSync(root)) {
    const pid = Number(/^ikb-seed-(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && !alive(pid)) rmSync(join(root, name), { recursive: true, force: true });
  }
}

/**
 * The first start's seed, done in memory and then moved into `dataDir` as one file. DynamoDB Local on disk makes
 * every write durable on its own (an fsync per item: 5,000 items and 1,400 transactions took most of a minute), while
 * the same seed in a folder in memory runs at the emulator's speed. The data are the same: the same use cases on the
 * same emulator, only where its file lies differs while seeding. Moved in only once complete (copied beside, then
 * renamed), so a first start stopped while seeding leaves `dataDir` without data and the next start seeds again.
 * Returns undefined (nothing done) where the machine has no folder in memory: the seed then runs on disk as before.
 */
export async function seedInMemoryFolder(
  dataDir: string,
  tableName: string,
  deps: { signIns: SignInDirectory | undefined; pilot?: boolean },
): Promise<'seeded' | 'already-seeded' | 'incomplete' | undefined> {
  let staging: string;
  try {
    removeAbandonedSeeds(memoryRoot);
    staging = mkdtempSync(join(memoryRoot, `ikb-seed-${process.pid}-`));
  } catch {
    return undefined;
  }
  try {
    const dynamo = await startDynamoDbLocal({ dbPath: staging });
    let seed: 'seeded' | 'already-seeded' | 'incomplete';
    try {
      const db = createDb({ tableName, endpoint: dynamo.endpoint });
      await ensureTable(db);
      seed = await seedDemo({ db, now: defaultNow, newId: () => randomUUID(), signIns: deps.signIns }, { pilot: deps.pilot ?? true });
    } finally {
      await dynamo.stop();
    }
    mkdirSync(dataDir, { recursive: true });
    for (const name of readdirSync(staging).filter((n) => n.endsWith('.db'))) {
      cpSync(join(staging, name), join(dataDir, `${name}.partial`));
      renameSync(join(dataDir, `${name}.partial`), join(dataDir, name));
    }
    return seed;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../shared/store/client.js';
import { createDb } from '../../shared/store/client.js';
import { ensureTable } from '../../shared/store/create-table.js';
import { defaultNow } from '../../shared/use-cases/deps.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { demoSeeder, seedDemoTeam } from './seed.js';
import { seedPilotHistory } from './seed-pilot.js';

/**
 * The pilot history 2023–2025, loaded after the API and the web app answer (a first `npm start`): seeded through the
 * same use cases into a DynamoDB Local of its own, in memory (the demo team and staff first, as the pilot needs them),
 * then the items it added copied into the system's own table. The pilot's steps carry their own clock and ids
 * (seed-pilot.ts) and change no item the team and staff had (only add), so the items copied are the ones a seed in
 * one go writes, and copying them again is harmless: a start stopped while loading loads it again from the start.
 */

/** While this file is in the data folder, the pilot history is not (all) there: the next start loads it again. */
export const pilotPendingFile = (dataDir: string) => join(dataDir, 'pilot-pending');

export function markPilotPending(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(pilotPendingFile(dataDir), 'The pilot history 2023–2025 is being loaded; a start that finds this file loads it again.\n');
}

export const pilotPending = (dataDir: string) => existsSync(pilotPendingFile(dataDir));

/** Where the pilot's loading stands: the start's local-system.json and the web server's local-status.json show it. */
export interface PilotStatus {
  state: 'loading' | 'complete' | 'failed';
  /** 0–100. */
  percent: number;
}

/**
 * About how many requests the pilot's seed makes (measured: it is the same on every run); only for the progress shown,
 * never for when it is complete.
 */
const seedRequests = 6_400;
/** The share of the progress the seed takes; the copy into the system's table the rest. */
const seedShare = 0.85;

const key = (item: Record<string, unknown>) => `${String(item.pk)}\u0000${String(item.sk)}`;

async function scanAll(db: Db): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Copies `items` into `db` 100 at a time, each hundred in one transaction: DynamoDB Local on disk makes every write
 * durable on its own (a sync per item, also within a BatchWriteItem: about 100 items a second measured), but a
 * transaction once (about 1,000 items a second). A hundred that meets a write of the live system is tried again.
 */
async function writeAll(db: Db, items: Record<string, unknown>[], onWritten: (count: number) => void, signal: AbortSignal): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  let chunk: Record<string, unknown>[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = JSON.stringify(item).length;
    // A transaction holds at most 100 items and 4 MB.
    if (chunk.length === 100 || (chunk.length > 0 && bytes + size > 3_000_000)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(item);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  let written = 0;
  for (const part of chunks) {
    for (let attempt = 0; ; attempt++) {
      signal.throwIfAborted();
      try {
        await db.doc.send(new TransactWriteCommand({ TransactItems: part.map((Item) => ({ Put: { TableName: db.tableName, Item } })) }));
        break;
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (attempt >= 10 || (name !== 'TransactionCanceledException' && name !== 'TransactionConflictException')) throw error;
        await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
    written += part.length;
    onWritten(written);
  }
}

/**
 * Seeds the pilot history in a DynamoDB Local of its own, in memory, and returns the items it added to the demo team
 * and staff (progress 0–85 %). `signal` stops it: the emulator is stopped at once.
 */
export async function seedPilotApart(
  tableName: string,
  onProgress: (percent: number) => void,
  signal: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const dynamo = await startDynamoDbLocal();
  const stopped = () => void dynamo.stop();
  signal.addEventListener('abort', stopped, { once: true });
  try {
    signal.throwIfAborted();
    const db = createDb({ tableName, endpoint: dynamo.endpoint });
    let requests = 0;
    db.doc.middlewareStack.add(
      (next) => async (args) => {
        requests++;
        onProgress(Math.min(seedShare * 100, (requests / seedRequests) * seedShare * 100));
        return next(args);
      },
      { step: 'initialize', name: 'pilotProgress' },
    );
    await ensureTable(db);
    const deps = { db, now: defaultNow, newId: () => randomUUID(), signIns: undefined };
    await seedDemoTeam(deps);
    const before = new Set((await scanAll(db)).map(key));
    await seedPilotHistory(deps, demoSeeder);
    signal.throwIfAborted();
    return (await scanAll(db)).filter((item) => !before.has(key(item)));
  } finally {
    signal.removeEventListener('abort', stopped);
    await dynamo.stop();
  }
}

/** Copies the pilot's items into `live` (the system's table), progress 85–100 %; `signal` stops it between hundreds. */
export async function copyPilot(
  live: Db,
  items: Record<string, unknown>[],
  onProgress: (percent: number) => void,
  signal: AbortSignal,
): Promise<void> {
  await writeAll(live, items, (count) => onProgress(seedShare * 100 + (count / items.length) * (1 - seedShare) * 100), signal);
}

/**
 * Seeds the pilot history in memory and copies it into `live` (the system's table), reporting progress (0–100) as it
 * goes. `signal` stops it (Ctrl-C): the emulator in memory is stopped and nothing more is copied.
 */
export async function loadPilotHistory(live: Db, onProgress: (percent: number) => void, signal: AbortSignal): Promise<void> {
  const items = await seedPilotApart(live.tableName, onProgress, signal);
  await copyPilot(live, items, onProgress, signal);
}

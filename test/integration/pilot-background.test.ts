import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { useTable } from '../helpers/api.js';
import { demoSeeder, seedDemoTeam } from '../../infra/local/seed.js';
import { seedPilotHistory } from '../../infra/local/seed-pilot.js';
import { loadPilotHistory } from '../../infra/local/seed-pilot-background.js';
import type { Db } from '../../shared/store/client.js';
import { createDb, dbFromEnv } from '../../shared/store/client.js';
import { dropTable, ensureTable } from '../../shared/store/create-table.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';

// A first `npm start` loads the pilot history after the API answers (infra/local/seed-pilot-background.ts): seeded in
// an emulator of its own and copied in. What it copies must be what seeding it in place writes, also when a start
// stopped while copying (half of it there) loads it again.

async function items(db: Db): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({ TableName: db.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    for (const item of page.Items ?? []) out.set(`${String(item['pk'])} ${String(item['sk'])}`, JSON.stringify(item, Object.keys(item).sort()));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** The items added since `before` (the team and staff, whose timestamps are the clock's when they were created). */
async function added(db: Db, before: Map<string, string>): Promise<string[]> {
  return [...(await items(db))]
    .filter(([key]) => !before.has(key))
    .map(([, item]) => item)
    .sort();
}

describe('the pilot history loaded in the background', () => {
  useTable();
  it('stopped half-way through the copy and loaded again, it is exactly what seeding it in place writes', { timeout: 600_000 }, async () => {
    const live = dbFromEnv();
    await seedDemoTeam(defaultDeps());
    const team = await items(live);
    const stop = new AbortController();
    const progress: number[] = [];
    await expect(
      loadPilotHistory(
        live,
        (percent) => {
          progress.push(percent);
          if (percent > 90) stop.abort();
        },
        stop.signal,
      ),
    ).rejects.toThrow();
    const half = await added(live, team);
    expect(half.length).toBeGreaterThan(0);
    await loadPilotHistory(live, (percent) => progress.push(percent), new AbortController().signal);
    expect(progress.every((p) => p >= 0 && p <= 100)).toBe(true);
    expect(progress.at(-1)).toBe(100);
    const loaded = await added(live, team);
    expect(loaded.length).toBeGreaterThan(half.length);

    const other = createDb({ tableName: `pilot-${randomUUID()}`, endpoint: process.env.DYNAMODB_ENDPOINT });
    await ensureTable(other);
    try {
      await seedDemoTeam({ ...defaultDeps(), db: other });
      const otherTeam = await items(other);
      await seedPilotHistory({ ...defaultDeps(), db: other }, demoSeeder);
      expect(loaded).toEqual(await added(other, otherTeam));
    } finally {
      await dropTable(other);
    }
  });
});

import { BatchGetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { useTable } from '../helpers/api.js';
import { seedDemoTeam } from '../../infra/local/seed.js';
import { copyPilot, seedPilotApart } from '../../infra/local/seed-pilot-background.js';
import { tableName } from '../../infra/local/system.js';
import type { Db } from '../../shared/store/client.js';
import { createDb, dbFromEnv } from '../../shared/store/client.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';

// A first `npm start` loads the pilot history after the API answers (infra/local/seed-pilot-background.ts): seeded in
// an emulator of its own and copied in. A start stopped while copying (half of it there) loads it again from the start:
// it seeds it again and copies that over the half. That is only sound if a seed gives the same items every time (the
// pilot's steps carry their own clock and ids: seed-pilot.ts) and a copy stopped half-way and done again leaves exactly
// the items. This file runs against the system the suite starts (test/system-setup.ts), whose first start loaded the
// pilot in the background on its own clock: a second seed here, on the suite's fixed clock, must give item for item what
// that start loaded, and copying it twice, the first copy stopped half-way, must leave exactly those items.
const system = inject('localSystem');

const keyOf = (item: Record<string, unknown>) => `${String(item['pk'])} ${String(item['sk'])}`;
const canonical = (item: Record<string, unknown>) => JSON.stringify(item, Object.keys(item).sort());

async function items(db: Db): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({ TableName: db.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    for (const item of page.Items ?? []) out.set(keyOf(item), canonical(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** The items stored under these keys in `db`, canonical, by key (BatchGetItem, 100 keys a request). */
async function stored(db: Db, keys: { pk: unknown; sk: unknown }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [db.tableName]: { Keys: keys.slice(i, i + 100) } };
    while (request && Object.keys(request).length > 0) {
      const page = await db.doc.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of page.Responses?.[db.tableName] ?? []) out.set(keyOf(item), canonical(item));
      request = page.UnprocessedKeys as typeof request;
    }
  }
  return out;
}

describe('the pilot history loaded in the background', () => {
  useTable();
  it('a seed gives what the first start loaded, item for item; a copy stopped half-way and done again leaves exactly the items', async () => {
    const progress: number[] = [];
    const pilot = await seedPilotApart(tableName, (percent) => progress.push(percent), new AbortController().signal);
    expect(pilot.length).toBeGreaterThan(1000);

    // The same items as the system's start loaded (read from its DynamoDB Local; nothing in the suite writes 2023–2025).
    const systemDb = createDb({ tableName, endpoint: system.dynamoEndpoint });
    const loaded = await stored(
      systemDb,
      pilot.map((item) => ({ pk: item['pk'], sk: item['sk'] })),
    );
    const expected = new Map(pilot.map((item) => [keyOf(item), canonical(item)]));
    expect(loaded.size).toBe(expected.size);
    for (const [key, item] of expected) expect(loaded.get(key), key).toBe(item);

    // Copied into a team of its own (this file's table), stopped half-way, and copied again.
    const live = dbFromEnv();
    await seedDemoTeam(defaultDeps());
    const team = await items(live);
    const added = async () => new Map([...(await items(live))].filter(([key]) => !team.has(key)));
    const stop = new AbortController();
    await expect(
      copyPilot(
        live,
        pilot,
        (percent) => {
          progress.push(percent);
          if (percent > 90) stop.abort();
        },
        stop.signal,
      ),
    ).rejects.toThrow();
    const half = await added();
    expect(half.size).toBeGreaterThan(0);
    expect(half.size).toBeLessThan(pilot.length);
    await copyPilot(live, pilot, (percent) => progress.push(percent), new AbortController().signal);
    expect(progress.every((p) => p >= 0 && p <= 100)).toBe(true);
    expect(progress.at(-1)).toBe(100);
    expect(await added()).toEqual(expected);
  });
});

import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dbFromEnv } from '../../shared/store/client.js';
import type { ApiResponse, Caller, CallOptions } from '../helpers/api.js';
import { call, useTable } from '../helpers/api.js';
import { expireInProgressLocks, runInChild } from '../helpers/crash.js';
import { seedTeam } from '../helpers/fixtures.js';

/*
 * Issue 24 §1: a retry after a crash must never create the thing twice. Each keyed request is run in its own Node
 * process that is killed (SIGKILL, as kill -9) right after its DynamoDB request number n was answered, for every n
 * from the first to the last; then the in-progress lock's deadline passes and the client retries with the same key.
 * Whatever n was, the thing exists exactly once afterwards, the retry answers with the route's success status and a
 * body that is what was written, and a further retry replays that answer byte for byte.
 */

useTable();

const team = 'crash-a';
let coordinator: Caller;
beforeAll(async () => {
  ({ coordinator } = await seedTeam(team));
});

const withKey = (key: string) => ({ 'idempotency-key': key });
const replayed = (res: ApiResponse) => res.headers['idempotent-replayed'] === 'true';

/** The items of a partition whose sort key begins with a prefix, read straight from the table. */
async function items(pk: string, skPrefix: string): Promise<Record<string, unknown>[]> {
  const db = dbFromEnv();
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(new QueryCommand({ TableName: db.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': pk, ':p': skPrefix }, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    found.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}

interface Probe {
  method: string;
  /** The request of attempt n (n = 0 for the reference run that counts the steps); each n gets its own, so they do not collide. */
  request: (n: number) => { path: string; options: CallOptions };
  successStatus: number;
  /** What one successful request of attempt n creates or changes, counted in the table: must go up by exactly one. */
  count: (n: number) => Promise<number>;
  /** The stored thing the answer must show (compared with the retry's body). */
  check?: (n: number, body: unknown) => Promise<void>;
}

/** Kills the request after each of its DynamoDB steps in turn, retries, and checks: once, answered, replayable. Returns the steps. */
async function probe(p: Probe): Promise<{ steps: string[]; committedAt: number[] }> {
  const reference = p.request(0);
  const key0 = randomUUID();
  const before0 = await p.count(0);
  const ran = await runInChild(p.method, reference.path, { ...reference.options, headers: withKey(key0) });
  expect(ran.killed).toBe(false);
  expect(ran.response?.statusCode, ran.response?.body).toBe(p.successStatus);
  expect(await p.count(0)).toBe(before0 + 1);
  const steps = ran.steps;
  const committedAt: number[] = [];
  for (let n = 1; n <= steps.length; n++) {
    const { path, options } = p.request(n);
    const key = randomUUID();
    const before = await p.count(n);
    const crashed = await runInChild(p.method, path, { ...options, headers: withKey(key) }, n);
    expect(crashed.killed, `crash after step ${n}`).toBe(true);
    if ((await p.count(n)) > before) committedAt.push(n);
    await expireInProgressLocks();

    const retry = await call(p.method, path, { ...options, headers: withKey(key) });
    expect(retry.status, `retry after a crash after step ${n} (${steps[n - 1] ?? ''}): ${retry.text}`).toBe(p.successStatus);
    expect(await p.count(n), `created once, crash after step ${n} (${steps[n - 1] ?? ''})`).toBe(before + 1);
    await p.check?.(n, retry.body);

    const again = await call(p.method, path, { ...options, headers: withKey(key) });
    expect(again.status).toBe(p.successStatus);
    expect(replayed(again)).toBe(true);
    expect(again.text).toBe(retry.text);
    expect(await p.count(n)).toBe(before + 1);
  }
  return { steps, committedAt };
}

describe('a keyed request killed after any step and retried with the same key (issue 24 §1)', () => {
  it('POST /inquiries: one inquiry, and the retry answers with it', async () => {
    const body = { date: '2026-11-05', kind: 'consultation', channel: 'in_passing', source: 'school', municipality: 'Torsås', outcome: 'advice_given' };
    const { steps, committedAt } = await probe({
      method: 'POST',
      request: () => ({ path: '/inquiries', options: { as: coordinator, body } }),
      successStatus: 201,
      count: async () => (await items(`TEAM#${team}`, 'FIGINQ#')).length,
      check: async (_n, answer) => {
        const stored = (await items(`TEAM#${team}`, `FIGINQ#${(answer as { id: string }).id}`))[0];
        expect(stored).toMatchObject(answer as Record<string, unknown>);
      },
    });
    expect(committedAt.length).toBeGreaterThan(0);
    expect(steps.length).toBeGreaterThanOrEqual(2);
  });
});

import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { dbFromEnv } from '../../shared/store/client.js';
import { acquireRecord, answerItems, runKeyed } from '../../shared/store/idempotency.js';
import type { ApiResponse, Caller, CallOptions } from '../helpers/api.js';
import { call, useTable } from '../helpers/api.js';
import { expireInProgressLocks, runInChild } from '../helpers/crash.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

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
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk, ':p': skPrefix },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    found.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}

interface Probe {
  method: string;
  /** The request of attempt n (n = 0 for the reference run that counts the steps); each n gets its own, so attempts do not collide. */
  request: (n: number) => Promise<{ path: string; options: CallOptions }>;
  successStatus: number;
  /** What attempt n's request creates or changes, counted in the table: 0 before, `perRequest` once it has run. */
  count: (n: number) => Promise<number>;
  perRequest?: number;
  /** Checks the retry's answer against what is stored (the answer must show what was written). */
  check?: (n: number, answer: unknown) => Promise<void>;
  /** Where to crash (default: after every step); a route probed only right after each of its commits names those. */
  crashPoints?: (steps: readonly string[]) => number[];
}

/** Runs `run` over the items, at most `limit` at a time (a child process mostly waits: for Node to start, for DynamoDB Local). */
async function inParallel<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await run(items[i] as T);
      }
    }),
  );
  return results;
}

interface ProbeResult {
  /** The DynamoDB commands of one uninterrupted keyed request, in order. */
  steps: string[];
  /** After which steps the killed attempt had already written (some or all of) what it creates. */
  committedAt: number[];
}

/**
 * Kills the request after each of its DynamoDB steps in turn (each n with its own input and key), lets the killed
 * attempts' locks expire, retries each with its key, and checks: created exactly once, answered with the route's
 * success status and what was written, and the answer replayed byte for byte to a further retry.
 */
async function probe(p: Probe): Promise<ProbeResult> {
  const perRequest = p.perRequest ?? 1;
  const reference = await p.request(0);
  expect(await p.count(0)).toBe(0);
  const ran = await runInChild(p.method, reference.path, { ...reference.options, headers: withKey(randomUUID()) });
  expect(ran.killed).toBe(false);
  expect(ran.response?.statusCode, ran.response?.body).toBe(p.successStatus);
  expect(await p.count(0)).toBe(perRequest);
  const steps = ran.steps;
  const points = p.crashPoints?.(steps) ?? steps.map((_, i) => i + 1);
  const attempts = await Promise.all(points.map(async (n) => ({ n, key: randomUUID(), ...(await p.request(n)) })));
  for (const a of attempts) expect(await p.count(a.n), `attempt ${a.n} starts from nothing`).toBe(0);

  // kill -9 after step n
  const crashed = await inParallel(attempts, 4, (a) => runInChild(p.method, a.path, { ...a.options, headers: withKey(a.key) }, a.n));
  const committedAt: number[] = [];
  for (const [i, a] of attempts.entries()) {
    expect(crashed[i]?.killed, `killed after step ${a.n}`).toBe(true);
    if ((await p.count(a.n)) > 0) committedAt.push(a.n);
  }
  // The killed Lambda's deadline passes.
  await expireInProgressLocks();

  for (const a of attempts) {
    const at = `a crash after step ${a.n} (${steps[a.n - 1] ?? ''})`;
    const retry = await call(p.method, a.path, { ...a.options, headers: withKey(a.key) });
    expect(retry.status, `retry after ${at}: ${retry.text}`).toBe(p.successStatus);
    expect(await p.count(a.n), `written exactly once after ${at}`).toBe(perRequest);
    await p.check?.(a.n, retry.body);
    const again = await call(p.method, a.path, { ...a.options, headers: withKey(a.key) });
    expect(again.status).toBe(p.successStatus);
    expect(replayed(again), `replayed after ${at}`).toBe(true);
    expect(again.text).toBe(retry.text);
    expect(await p.count(a.n)).toBe(perRequest);
  }
  // IKB_CRASH_REPORT=1 prints what was probed (the README quotes it).
  if (process.env.IKB_CRASH_REPORT)
    console.info(
      `${p.method} ${reference.path}: ${steps.length} steps [${steps.join(', ')}]; written by the killed attempt after steps ${committedAt.join(', ')}`,
    );
  return { steps, committedAt };
}

const day = (n: number) => DateTime.fromISO('2026-11-24').plus({ days: n }).toISODate() ?? '';
const pad = (n: number) => String(n).padStart(2, '0');
const byAttr = (rows: Record<string, unknown>[], attr: string, value: unknown) => rows.filter((r) => r[attr] === value);

// Dozens of Node processes a test: generous time on a loaded machine (nothing here depends on how long anything takes).
describe('a keyed request killed after any step and retried with the same key (issue 24 §1)', { timeout: 600_000 }, () => {
  it('POST /inquiries: one inquiry, and the retry answers with it', async () => {
    // Each attempt's inquiry has its own date, so attempts are counted apart.
    const body = (n: number) => ({
      date: day(-n - 1),
      kind: 'consultation',
      channel: 'in_passing',
      source: 'school',
      municipality: 'Torsås',
      outcome: 'advice_given',
    });
    const { steps, committedAt } = await probe({
      method: 'POST',
      request: async (n) => ({ path: '/inquiries', options: { as: coordinator, body: body(n) } }),
      successStatus: 201,
      count: async (n) => byAttr(await items(`TEAM#${team}`, 'FIGINQ#'), 'date', body(n).date).length,
      check: async (_n, answer) => {
        const stored = (await items(`TEAM#${team}`, `FIGINQ#${(answer as { id: string }).id}`))[0];
        expect(stored).toMatchObject(answer as Record<string, unknown>);
      },
    });
    // The key is taken, then the inquiry, its audit entry and the key's answer commit in one transaction.
    expect(steps).toEqual(['UpdateItemCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    expect(committedAt).toEqual([3]);
  });

  it('POST /meeting-series: one series with its occurrences once each, and the retry answers with all of them', async () => {
    // Mondays for three weeks (no holiday among them, so every attempt has the same steps), each attempt at its own time.
    const time = (n: number) =>
      DateTime.fromISO('2026-12-07T06:00')
        .plus({ minutes: 45 * n })
        .toFormat('HH:mm');
    const body = (n: number) => ({
      title: `Avstämning ${n}`,
      kind: 'national_checkin',
      mode: 'online',
      videoLink: 'https://video.example/ikb',
      staff: ['coord'],
      spec: {
        recurrence: { freq: 'weekly', interval: 1, weekday: 1, time: time(n) },
        durationMinutes: 30,
        startDate: '2026-12-01',
        untilDate: '2026-12-21',
        holidayPolicy: 'skip',
      },
    });
    const seriesOf = async (n: number) => byAttr(await items(`TEAM#${team}`, 'SERIES#'), 'title', body(n).title);
    const { steps, committedAt } = await probe({
      method: 'POST',
      request: async (n) => ({ path: '/meeting-series', options: { as: coordinator, body: body(n) } }),
      successStatus: 201,
      count: async (n) => (await seriesOf(n)).length,
      check: async (n, answer) => {
        const out = answer as { series: { id: string }; booked: { id: string }[]; conflicts: unknown[] };
        const [stored] = await seriesOf(n);
        expect(out.series).toMatchObject({ id: stored?.['id'], version: stored?.['version'], createdAt: stored?.['createdAt'] });
        const occurrences = byAttr(await items(`TEAM#${team}`, 'MEETING#'), 'seriesId', out.series.id);
        expect(out.conflicts).toEqual([]);
        expect(out.booked.map((m) => m.id).sort()).toEqual(occurrences.map((m) => String(m['id'])).sort());
        expect(occurrences).toHaveLength(3);
      },
    });
    // The series, then one transaction per occurrence.
    expect(steps.filter((s) => s === 'TransactWriteItemsCommand')).toHaveLength(4);
    expect(committedAt.length).toBeGreaterThan(0);
  });

  it('POST /visits: one visit, and the retry answers 201 with it (not 409 against itself)', async () => {
    await activeFamily(coordinator, 'CRV-2026-01');
    const body = (n: number) => ({ family: 'CRV-2026-01', kind: 'family', start: `${day(n)}T18:00`, end: `${day(n)}T19:30` });
    const { steps, committedAt } = await probe({
      method: 'POST',
      request: async (n) => ({ path: '/visits', options: { as: coordinator, body: body(n) } }),
      successStatus: 201,
      count: async (n) => byAttr(await items(`TEAM#${team}`, 'VISIT#'), 'startLocal', body(n).start).length,
      check: async (n, answer) => {
        const [stored] = byAttr(await items(`TEAM#${team}`, 'VISIT#'), 'startLocal', body(n).start);
        expect(answer).toMatchObject({ id: stored?.['id'], version: 1, status: 'planned' });
      },
    });
    expect(steps.at(-1)).toBe('TransactWriteItemsCommand');
    expect(committedAt).toEqual([steps.length]);
  });

  it('POST /weeks/{week}/plan/commit: each family’s visits once, and the retry reports both families booked', async () => {
    await activeFamily(coordinator, 'CRP-2026-01');
    await activeFamily(coordinator, 'CRP-2026-02', 'erik', 'lina');
    const visits = (n: number) => [
      { family: 'CRP-2026-01', kind: 'family', staff: ['anna'], start: `${day(n)}T15:00`, end: `${day(n)}T16:30`, place: 'Emmaboda' },
      { family: 'CRP-2026-02', kind: 'individual', staff: ['lina'], start: `${day(n)}T15:00`, end: `${day(n)}T16:00`, place: 'Emmaboda' },
    ];
    const week = (n: number) => DateTime.fromISO(day(n)).toFormat("kkkk-'W'WW");
    const planned = async (n: number) =>
      (await items(`TEAM#${team}`, 'VISIT#')).filter((v) => String(v['family']).startsWith('CRP-') && String(v['startLocal']).startsWith(day(n)));
    const { committedAt } = await probe({
      method: 'POST',
      request: async (n) => ({ path: `/weeks/${week(n)}/plan/commit`, options: { as: coordinator, body: { visits: visits(n) } } }),
      successStatus: 200,
      perRequest: 2,
      count: async (n) => (await planned(n)).length,
      check: async (n, answer) => {
        const out = answer as { booked: { family: string; visits: { id: string }[] }[]; collided: unknown[] };
        expect(out.collided).toEqual([]);
        expect(out.booked.map((b) => b.family)).toEqual(['CRP-2026-01', 'CRP-2026-02']);
        expect(out.booked.flatMap((b) => b.visits.map((v) => v.id)).sort()).toEqual((await planned(n)).map((v) => String(v['id'])).sort());
      },
    });
    expect(committedAt.length).toBeGreaterThan(1);
  });

  it('POST /families/{code}/status (closing a case): closed once, its future visits cancelled, one audit entry', async () => {
    const code = (n: number) => `CRT-2026-${pad(n)}`;
    const { committedAt } = await probe({
      method: 'POST',
      request: async (n) => {
        await activeFamily(coordinator, code(n));
        // Two future visits on days of their own (the individual therapist is the same for every attempt).
        for (const d of [20 + 2 * n, 21 + 2 * n]) {
          const booked = await call('POST', '/visits', {
            as: coordinator,
            body: { family: code(n), kind: 'individual', start: `${day(d)}T10:00`, end: `${day(d)}T10:45` },
          });
          expect(booked.status, booked.text).toBe(201);
        }
        return {
          path: `/families/${code(n)}/status`,
          options: { as: coordinator, body: { to: 'completed', version: 3, completionType: 'as_planned' } },
        };
      },
      successStatus: 200,
      count: async (n) => (await items(`TEAM#${team}#AUDIT`, `FAMILY#${code(n)}#`)).filter((e) => e['action'] === 'status:completed').length,
      check: async (n, answer) => {
        const [stored] = await items(`TEAM#${team}`, `FAMILY#${code(n)}`);
        expect(answer).toMatchObject({ code: code(n), status: 'completed', version: stored?.['version'] });
        expect(stored?.['status']).toBe('completed');
        const left = (await items(`TEAM#${team}`, 'VISIT#')).filter((v) => v['family'] === code(n) && v['status'] === 'planned');
        expect(left).toEqual([]);
      },
    });
    expect(committedAt.length).toBeGreaterThan(1);
  });

  it('POST /staff/{id}/absences: one absence, and the retry answers 201 with it (not 409 against itself)', async () => {
    const body = (n: number) => ({
      from:
        DateTime.fromISO('2027-02-01')
          .plus({ days: 3 * n })
          .toISODate() ?? '',
      to:
        DateTime.fromISO('2027-02-01')
          .plus({ days: 3 * n + 1 })
          .toISODate() ?? '',
      kind: 'sick',
    });
    const absences = async (n: number) => byAttr(await items(`TEAM#${team}`, 'ABSENCE#erik#'), 'from', body(n).from);
    const { committedAt } = await probe({
      method: 'POST',
      request: async (n) => ({ path: '/staff/erik/absences', options: { as: coordinator, body: body(n) } }),
      successStatus: 201,
      count: async (n) => (await absences(n)).length,
      check: async (n, answer) => {
        const [stored] = await absences(n);
        expect(answer).toMatchObject({ id: stored?.['id'], from: body(n).from, to: body(n).to, affected: [] });
      },
    });
    expect(committedAt.length).toBeGreaterThan(0);
  });

  it('an attempt whose lock expired and was taken over can no longer commit: its whole transaction fails, nothing is written twice', async () => {
    const db = dbFromEnv();
    const key = { pk: `TEAM#${team}#IDEMPOTENCY`, sk: 'test#zombie' };
    const now = Date.parse('2026-11-23T08:00:00Z');
    expect((await acquireRecord(db, key, 'same-request', 'attempt-a', now + 30_000, now)).outcome).toBe('acquired');
    expect((await acquireRecord(db, key, 'same-request', 'attempt-b', now + 30_000, now)).outcome).toBe('busy');
    expect((await acquireRecord(db, key, 'another-request', 'attempt-b', now + 30_000, now)).outcome).toBe('reused');
    // Attempt A's Lambda froze past its deadline; the client's retry takes the key over.
    expect((await acquireRecord(db, key, 'same-request', 'attempt-b', now + 90_000, now + 60_000)).outcome).toBe('acquired');
    // A wakes up and commits its write with its answer: the condition on its lock token fails the whole transaction.
    const asA = {
      db,
      key,
      attempt: 'attempt-a',
      progress: {},
      answerOf: (r: unknown) => ({ statusCode: 201, headers: {}, body: JSON.stringify(r) }),
    };
    const write = runKeyed(asA, () =>
      db.doc.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName: db.tableName, Item: { pk: `TEAM#${team}`, sk: 'ZOMBIE#1' } } }, ...answerItems({ id: 'zombie' })],
        }),
      ),
    );
    await expect(write).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(await items(`TEAM#${team}`, 'ZOMBIE#')).toEqual([]);
    const [record] = await items(key.pk, key.sk);
    expect(record).toMatchObject({ idempotencyStatus: 'INPROGRESS', attempt: 'attempt-b' });
  });

  it('POST /meeting-series/{id}/change, killed right after each of its commits: one successor, the old occurrences cancelled once, the same answer', async () => {
    // Per attempt a series of three Mondays at its own time, changed from the second Monday on (two old occurrences go, two new come).
    const time = (n: number) =>
      DateTime.fromISO('2026-12-07T06:00')
        .plus({ minutes: 45 * n })
        .toFormat('HH:mm');
    const spec = (n: number) => ({
      recurrence: { freq: 'weekly', interval: 1, weekday: 3, time: time(n) },
      durationMinutes: 30,
      startDate: '2026-12-01',
      untilDate: '2026-12-16',
      holidayPolicy: 'skip',
    });
    const successorsOf = async (n: number) => byAttr(await items(`TEAM#${team}`, 'SERIES#'), 'title', `Ändrad ${n}`);
    const { steps, committedAt } = await probe({
      method: 'POST',
      request: async (n) => {
        const created = await call('POST', '/meeting-series', {
          as: coordinator,
          body: {
            title: `Original ${n}`,
            kind: 'national_checkin',
            mode: 'online',
            videoLink: 'https://video.example/ikb',
            staff: ['coord'],
            spec: spec(n),
          },
        });
        expect(created.status, created.text).toBe(201);
        const id = (created.body as { series: { id: string } }).series.id;
        return {
          path: `/meeting-series/${id}/change`,
          options: { as: coordinator, body: { version: 1, fromDate: '2026-12-09', title: `Ändrad ${n}` } },
        };
      },
      successStatus: 200,
      count: async (n) => (await successorsOf(n)).length,
      crashPoints: (all) => all.flatMap((step, i) => (step === 'TransactWriteItemsCommand' ? [i + 1] : [])),
      check: async (n, answer) => {
        const out = answer as { series: { id: string }; cancelled: number; booked: { id: string }[]; conflicts: unknown[] };
        const [successor] = await successorsOf(n);
        expect(out).toMatchObject({ series: { id: successor?.['id'] }, cancelled: 2, conflicts: [] });
        const meetings = await items(`TEAM#${team}`, 'MEETING#');
        expect(out.booked.map((m) => m.id).sort()).toEqual(
          byAttr(meetings, 'seriesId', out.series.id)
            .map((m) => String(m['id']))
            .sort(),
        );
        expect(out.booked).toHaveLength(2);
        const old = meetings.filter((m) => m['title'] === `Original ${n}`);
        expect(old.map((m) => m['status']).sort()).toEqual(['cancelled', 'cancelled', 'planned']);
      },
    });
    // The change itself, two cancellations, two new occurrences.
    expect(steps.filter((s) => s === 'TransactWriteItemsCommand')).toHaveLength(5);
    expect(committedAt).toHaveLength(5);
  });
});

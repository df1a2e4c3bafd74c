import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningLocalSystem } from '../helpers/local-system.js';
import { copySystemData, localSystemEnv, startLocalSystem } from '../helpers/local-system.js';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { pilotCodes } from '../../infra/local/seed-pilot.js';
import { tableName } from '../../infra/local/system.js';
import { createDb } from '../../shared/store/client.js';

// The system the suite started once with `npm start` (test/system-setup.ts; a first start, so it seeded the pilot
// history) is read here over HTTP. What changes data in bulk (the purges, Ctrl-C and a restart) runs on this file's
// own copy of that data, started with `npm start` again: a start on existing data, which must not seed twice.
const run = promisify(execFile);
const first = inject('localSystem');
const dir = mkdtempSync(join(tmpdir(), 'ikb-smoke-'));

let own: RunningLocalSystem;
beforeAll(async () => {
  copySystemData(first.snapshotDir, dir);
  // The copy's dispatcher is paused, so the purges below meet only the data they were shown (issue 24 §5: a
  // dispatcher run between a purge and its check once left fresh reminders behind).
  own = await startLocalSystem({ dir, env: { IKB_LOCAL_SCHEDULES: 'off' } });
}, 320_000);

/** Every item of the copy's table, as stored text (the test reads the store itself; a request path never scans). */
async function storedItems(endpoint: string): Promise<string[]> {
  const db = createDb({ tableName, endpoint });
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({ TableName: db.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []).map((item) => JSON.stringify(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

afterAll(async () => {
  if (own) await own.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('prints the web app’s URL first, the API’s, a token per demo user and example curl commands', () => {
    expect(first.webUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(first.output.indexOf('Web app')).toBeLessThan(first.output.indexOf('API '));
    expect(first.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(Object.keys(first.tokens).sort()).toEqual(['admin', 'anna', 'bo', 'erik', 'lina', 'sara']);
    expect(first.output).toContain(`curl -s ${first.url}/families -H "Authorization: Bearer ey`);
    expect(first.output).toContain('seeded now');
    expect(first.output).toMatch(new RegExp(`Report\\s+${first.url}/figures/report\\?from=2023-01&to=2025-12`));
    expect(first.output).toContain(`${first.url}/figures/csv?from=2023-01&to=2025-12`);
  });

  it('serves health, the OpenAPI document and the seeded demo team over HTTP with a printed token', async () => {
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    expect((await fetch(`${first.url}/openapi.json`)).status).toBe(200);
    const auth = { authorization: `Bearer ${first.tokens['sara'] ?? ''}` };
    const res = await fetch(`${first.url}/families`, { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { families: { code: string; place: string }[] };
    const current = body.families.filter((f) => /^KAL-2026-0[1-8]$/.test(f.code));
    expect(current).toHaveLength(8);
    expect(new Set(current.map((f) => f.place))).toEqual(new Set(['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm']));
    // And the pilot's 13 completed cases and 50 declined referrals (counted by code: other files may add families to the shared system).
    expect(body.families.filter((f) => /^KAL-202[345]-/.test(f.code))).toHaveLength(13 + 50);
    const team = (await (await fetch(`${first.url}/teams/kalmar`, { headers: auth })).json()) as { places: string[] };
    expect(team.places).toHaveLength(12);
  });

  it('serves the local SES mailbox and the SMS outbox', async () => {
    expect((await fetch(first.mailboxUrl)).status).toBe(200);
    expect((await fetch(`${first.smsOutboxUrl}/messages.json`)).status).toBe(200);
  });

  it('refuses requests without a valid token before any handler runs', async () => {
    expect((await fetch(`${first.url}/families`)).status).toBe(401);
    expect((await fetch(`${first.url}/families`, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    expect((await fetch(`${first.url}/nowhere`)).status).toBe(404);
  });

  it('the pilot 2023–2025 shows the slides’ numbers; npm run purge as of today removes its cases and the figures stay the same', async () => {
    expect(own.output).toContain('already there, kept');
    expect(own.output).toContain('the dispatcher and the daily purge are paused');
    const auth = { authorization: `Bearer ${own.tokens['sara'] ?? ''}` };
    const get = async (path: string) => fetch(`${own.url}${path}`, { headers: auth });
    const periods = ['from=2023-01&to=2025-12', 'from=2024-01&to=2024-12', 'from=2023-01&to=2023-06'];
    const figures = async () => Promise.all(periods.map(async (q) => (await get(`/figures?${q}`)).text()));
    const before = await figures();
    const pilot = JSON.parse(before[0] ?? '{}') as {
      cases: { completed: number };
      youngPeople: { byGender: Record<string, number>; byPlace: Record<string, number>; bySource: Record<string, number> };
      referrals: { declined: number };
      outcomes: { continuedCare: Record<string, number> };
    };
    expect(pilot.cases.completed).toBe(13);
    expect(pilot.youngPeople.byGender).toMatchObject({ girl: 10, boy: 3 });
    expect(pilot.youngPeople.byPlace).toMatchObject({ Kalmar: 10, Emmaboda: 1, Torsås: 1, Borgholm: 1 });
    expect(pilot.youngPeople.bySource).toEqual({ socialtjanst: 9, bup: 4 });
    expect(pilot.referrals.declined).toBe(50);
    expect(pilot.outcomes.continuedCare).toMatchObject({ bup: 2, socialtjanst: 1, both: 10 });
    // Every one of the pilot's 63 codes is stored somewhere before the purge, and nowhere after it (issue 12).
    const { treated, declined } = pilotCodes();
    const codes = [...treated, ...declined];
    expect(new Set(codes).size).toBe(63);
    const stored = await storedItems(own.dynamoEndpoint);
    for (const code of codes)
      expect(
        stored.some((item) => item.includes(code)),
        code,
      ).toBe(true);
    const today = DateTime.now().setZone('Europe/Stockholm').toISODate() ?? '';
    const env = localSystemEnv(dir);
    const purged = await run('npm', ['run', '-s', 'purge', '--', '--as-of', today], { env });
    expect(purged.stdout).toMatch(new RegExp(`team kalmar, as of ${today}: cases 13, declinedReferrals 50,`));
    expect(await figures()).toEqual(before);
    for (const code of ['KAL-2023-01', 'KAL-2025-01']) expect((await get(`/families/${code}`)).status).toBe(404);
    const remaining = await storedItems(own.dynamoEndpoint);
    for (const code of codes)
      expect(
        remaining.filter((item) => item.includes(code)),
        code,
      ).toEqual([]);
    const left = (await (await get('/families')).json()) as { families: { code: string }[] };
    expect(left.families.map((f) => f.code).sort()).toEqual(['01', '02', '03', '04', '05', '06', '07', '08'].map((n) => `KAL-2026-${n}`));
  }, 600_000);

  it('npm run purge as of the date the demo data expires removes it, and the figures stay the same', async () => {
    const auth = { authorization: `Bearer ${own.tokens['sara'] ?? ''}` };
    const get = async (path: string) => fetch(`${own.url}${path}`, { headers: auth });
    // Generic over whatever the demo holds: the latest purge date the coordinator's preview shows is the as-of date.
    const preview = (await (await get('/teams/kalmar/retention/preview')).json()) as {
      asOf: string;
      entries: { kind: string; code?: string; purgeOn: string }[];
    };
    const asOf = preview.entries.map((e) => e.purgeOn).reduce((a, b) => (b > a ? b : a), preview.asOf);
    const year = Number(preview.asOf.slice(0, 4));
    const periods = [[`${year - 3}-01`, `${year}-12`], ...[0, 1, 2, 3].map((d) => [`${year - d}-01`, `${year - d}-12`])];
    const figures = async () => Promise.all(periods.map(async ([from, to]) => (await get(`/figures?from=${from}&to=${to}`)).text()));
    const before = await figures();
    const env = localSystemEnv(dir);
    const dry = await run('npm', ['run', '-s', 'purge', '--', '--dry-run', '--as-of', asOf], { env });
    expect(dry.stdout).toContain(`team kalmar, as of ${asOf}`);
    expect(dry.stdout).not.toMatch(/[A-Z]{2,5}-\d{4}-\d{2,4}/);
    const purged = await run('npm', ['run', '-s', 'purge', '--', '--as-of', asOf], { env });
    expect(purged.stdout).toContain(`team kalmar, as of ${asOf}:`);
    expect(await figures()).toEqual(before);
    for (const entry of preview.entries.filter((e) => e.code !== undefined)) expect((await get(`/families/${entry.code ?? ''}`)).status).toBe(404);
    const after = (await (await get(`/teams/kalmar/retention/preview?asOf=${asOf}`)).json()) as { entries: { due: boolean }[] };
    expect(after.entries.filter((e) => e.due)).toEqual([]);
    const receipts = (await (await get('/teams/kalmar/retention/receipts')).json()) as { receipts: { actor: string; asOf: string }[] };
    expect(receipts.receipts).toContainEqual(expect.objectContaining({ actor: 'cli:purge', asOf }));
  });

  it('stops on Ctrl-C, and a restart keeps the data without seeding twice', async () => {
    const auth = { authorization: `Bearer ${own.tokens['sara'] ?? ''}`, 'content-type': 'application/json' };
    const absence = await fetch(`${own.url}/staff/anna/absences`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ from: '2026-12-01', to: '2026-12-02', kind: 'training' }),
    });
    expect(absence.status).toBe(201);
    expect(own.dynamoEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect([0, 'SIGINT']).toContain(await own.stop());
    // No orphan: DynamoDB Local's port is closed once npm start has stopped.
    await expect(fetch(`${own.dynamoEndpoint}/`, { method: 'POST' })).rejects.toThrow();

    // Restarted as a person starts it: the scheduled jobs on.
    const second = await startLocalSystem({ dir });
    try {
      expect(second.output).toContain('already there, kept');
      expect(second.output).toContain('the dispatcher runs every minute');
      const headers = { authorization: `Bearer ${second.tokens['sara'] ?? ''}` };
      const families = (await (await fetch(`${second.url}/families`, { headers })).json()) as { families: unknown[] };
      expect(families.families).toHaveLength(8);
      const absences = (await (await fetch(`${second.url}/staff/anna/absences`, { headers })).json()) as { absences: unknown[] };
      expect(absences.absences).toHaveLength(1);
    } finally {
      expect([0, 'SIGINT']).toContain(await second.stop());
    }
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../infra/local/dev-tokens.js';
import { handlers } from '../../infra/local/handlers.js';
import { createApiServer } from '../../infra/local/server.js';
import { allRoutes } from '../../shared/http/routes.js';
import { dbFromEnv } from '../../shared/store/client.js';
import type { ApiResponse, Caller } from '../helpers/api.js';
import { admin, call, coordinatorOf, tableItems, useTable } from '../helpers/api.js';
import { activeFamily, familyBody, seedTeam, teamBody } from '../helpers/fixtures.js';

useTable();

let coordinator: Caller;
let otherCoordinator: Caller;
let otherTeam: Caller;
beforeAll(async () => {
  ({ coordinator } = await seedTeam('idem-a'));
  ({ coordinator: otherTeam } = await seedTeam('idem-b'));
  otherCoordinator = coordinatorOf('idem-a', 'anna');
  await activeFamily(coordinator, 'IDM-2026-01');
});

const inquiry = (source = 'school') => ({
  date: '2026-11-05',
  kind: 'consultation',
  channel: 'in_passing',
  source,
  municipality: 'Torsås',
  outcome: 'advice_given',
});
const withKey = (key: string) => ({ 'idempotency-key': key });
const replayed = (res: ApiResponse) => res.headers['idempotent-replayed'] === 'true';

/** Every item of a partition whose sort key begins with a prefix, read straight from the table. */
async function items(pk: string, skPrefix = ''): Promise<Record<string, unknown>[]> {
  const db = dbFromEnv();
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :p)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':p': skPrefix } : {}) },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}
const inquiriesOf = (team: string) => items(`TEAM#${team}`, 'FIGINQ#');
const auditOf = (team: string, entity: string, id: string) => items(`TEAM#${team}#AUDIT`, `${entity}#${id}#`);

describe('Idempotency-Key (issue 10 §3)', () => {
  it('a create retried after a lost response returns the first answer and leaves one record and one audit entry (visit)', async () => {
    const key = randomUUID();
    const body = { family: 'IDM-2026-01', kind: 'family', start: '2026-11-24T10:00', end: '2026-11-24T11:30' };
    const first = await call('POST', '/visits', { as: coordinator, body, headers: withKey(key) });
    expect(first.status).toBe(201);
    const visitId = (first.body as { id: string }).id;
    const after = await tableItems();

    // The phone never saw `first`: it sends the same request again.
    const retry = await call('POST', '/visits', { as: coordinator, body, headers: withKey(key) });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(replayed(retry)).toBe(true);
    expect(replayed(first)).toBe(false);
    expect(await tableItems()).toEqual(after);

    const visits = (await call('GET', '/visits', { as: coordinator, query: { family: 'IDM-2026-01' } })).body as { visits: { id: string }[] };
    expect(visits.visits.map((v) => v.id)).toEqual([visitId]);
    expect(await auditOf('idem-a', 'VISIT', visitId)).toHaveLength(1);
  });

  it('a family registered twice with one key exists once, with one audit entry, and the retry gets 201 with the same body (not the 409 of a duplicate)', async () => {
    const key = randomUUID();
    const first = await call('POST', '/families', { as: coordinator, body: familyBody('IDM-2026-02'), headers: withKey(key) });
    const retry = await call('POST', '/families', { as: coordinator, body: familyBody('IDM-2026-02'), headers: withKey(key) });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.text).toBe(first.text);
    const audit = await call('GET', '/families/IDM-2026-02/audit', { as: coordinator });
    expect((audit.body as { entries: unknown[] }).entries).toHaveLength(1);
    // Without a key, the same request is the duplicate it is.
    expect((await call('POST', '/families', { as: coordinator, body: familyBody('IDM-2026-02') })).status).toBe(409);
  });

  it('the same key with another body is a 422 that writes nothing, and the first answer stays replayable', async () => {
    const key = randomUUID();
    const first = await call('POST', '/inquiries', { as: coordinator, body: inquiry(), headers: withKey(key) });
    expect(first.status).toBe(201);
    const before = await tableItems();
    const other = await call('POST', '/inquiries', { as: coordinator, body: inquiry('bup'), headers: withKey(key) });
    expect(other.status).toBe(422);
    expect(other.body).toEqual({ error: { code: 'idempotency_key_reused', message: expect.any(String) } });
    expect(await tableItems()).toEqual(before);
    // Powertools 2.35's middleware would have deleted the first record here (issue #5675), and this would create a second inquiry.
    const retry = await call('POST', '/inquiries', { as: coordinator, body: inquiry(), headers: withKey(key) });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await tableItems()).toEqual(before);
  });

  it('the same body in another key order is the same request', async () => {
    const key = randomUUID();
    const body = inquiry();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const first = await call('POST', '/inquiries', { as: coordinator, body, headers: withKey(key) });
    const retry = await call('POST', '/inquiries', { as: coordinator, body: reordered, headers: withKey(key) });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
  });

  it('another path with the same key is another request: 422 (an absence for someone else)', async () => {
    const key = randomUUID();
    const body = { from: '2026-12-14', to: '2026-12-15', kind: 'sick' };
    const first = await call('POST', '/staff/erik/absences', { as: coordinator, body, headers: withKey(key) });
    expect(first.status).toBe(201);
    const other = await call('POST', '/staff/lina/absences', { as: coordinator, body, headers: withKey(key) });
    expect(other.status).toBe(422);
    expect((await call('GET', '/staff/lina/absences', { as: coordinator })).body).toEqual({ absences: [] });
  });

  it('the same key from another user or another team is independent: each creates its own record', async () => {
    const key = randomUUID();
    const before = (await inquiriesOf('idem-a')).length;
    const mine = await call('POST', '/inquiries', { as: coordinator, body: inquiry(), headers: withKey(key) });
    const colleague = await call('POST', '/inquiries', { as: otherCoordinator, body: inquiry(), headers: withKey(key) });
    const stranger = await call('POST', '/inquiries', { as: otherTeam, body: inquiry(), headers: withKey(key) });
    for (const res of [mine, colleague, stranger]) {
      expect(res.status).toBe(201);
      expect(replayed(res)).toBe(false);
    }
    const ids = [mine, colleague, stranger].map((r) => (r.body as { id: string }).id);
    expect(new Set(ids).size).toBe(3);
    expect((await inquiriesOf('idem-a')).length).toBe(before + 2);
    expect((await inquiriesOf('idem-b')).map((i) => i['id'])).toContain(ids[2]);
  });

  it('keeps its records in the caller’s team partition, expiring through the table’s TTL (expiresAt, epoch seconds) after 24 h', async () => {
    const key = randomUUID();
    await call('POST', '/inquiries', { as: otherTeam, body: inquiry('socialtjanst'), headers: withKey(key) });
    const records = await items('TEAM#idem-b#IDEMPOTENCY', 'createInquiry#');
    expect(records.length).toBeGreaterThanOrEqual(1);
    const nowSeconds = Date.now() / 1000;
    for (const record of records) {
      expect(record['idempotencyStatus']).toBe('COMPLETED');
      expect(record['expiresAt']).toBeGreaterThan(nowSeconds + 24 * 3600 - 120);
      expect(record['expiresAt']).toBeLessThan(nowSeconds + 24 * 3600 + 120);
      // The key itself is not stored: the sort key holds a hash of caller and key.
      expect(JSON.stringify(record)).not.toContain(key);
    }
    // The platform admin has no team: its records live apart.
    const teamKey = randomUUID();
    const team = await call('POST', '/teams', { as: admin, body: teamBody('idem-c'), headers: withKey(teamKey) });
    expect(team.status).toBe(201);
    expect(await items('PLATFORM#IDEMPOTENCY', 'createTeam#')).toHaveLength(1);
    expect((await call('POST', '/teams', { as: admin, body: teamBody('idem-c'), headers: withKey(teamKey) })).status).toBe(201);
  });

  it('after 24 h the key is forgotten: the same request creates anew', async () => {
    const key = randomUUID();
    const first = await call('POST', '/inquiries', { as: coordinator, body: inquiry('bup'), headers: withKey(key) });
    const db = dbFromEnv();
    const [record] = (await items('TEAM#idem-a#IDEMPOTENCY', 'createInquiry#')).filter(
      (r) => String((r['response'] as { body: string }).body) === first.text,
    );
    expect(record).toBeDefined();
    // 24 h have passed (DynamoDB's TTL may take a while to delete an item; Powertools treats it as gone meanwhile).
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: { pk: record?.['pk'], sk: record?.['sk'] },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
      }),
    );
    const later = await call('POST', '/inquiries', { as: coordinator, body: inquiry('bup'), headers: withKey(key) });
    expect(later.status).toBe(201);
    expect(replayed(later)).toBe(false);
    expect((later.body as { id: string }).id).not.toBe((first.body as { id: string }).id);
  });

  it('concurrent requests with one key create once: the rest get 409 (still in progress) or the first answer', async () => {
    const key = randomUUID();
    const before = (await inquiriesOf('idem-a')).length;
    const results = await Promise.all(
      Array.from({ length: 12 }, () => call('POST', '/inquiries', { as: coordinator, body: inquiry('other'), headers: withKey(key) })),
    );
    expect((await inquiriesOf('idem-a')).length).toBe(before + 1);
    const created = results.filter((r) => r.status === 201);
    expect(created.filter((r) => !replayed(r))).toHaveLength(1);
    expect(new Set(created.map((r) => r.text)).size).toBe(1);
    for (const res of results.filter((r) => r.status !== 201)) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('in progress') } });
    }
  });

  it('keeps only successes: a refused request (400, 409) leaves no record, and a retry runs again', async () => {
    const key = randomUUID();
    const before = await tableItems();
    const bad = await call('POST', '/inquiries', { as: coordinator, body: { ...inquiry(), source: 'nowhere' }, headers: withKey(key) });
    expect(bad.status).toBe(400);
    expect(await tableItems()).toEqual(before);

    const dupKey = randomUUID();
    const duplicate = await call('POST', '/families', { as: coordinator, body: familyBody('IDM-2026-01'), headers: withKey(dupKey) });
    expect(duplicate.status).toBe(409);
    expect(await tableItems()).toEqual(before);
    expect((await call('POST', '/families', { as: coordinator, body: familyBody('IDM-2026-01'), headers: withKey(dupKey) })).status).toBe(409);
  });

  it('refuses a malformed key with a 400 on the header, writing nothing', async () => {
    const before = await tableItems();
    for (const key of ['', 'x'.repeat(256), 'with space', 'nyckel-å']) {
      const res = await call('POST', '/inquiries', { as: coordinator, body: inquiry(), headers: withKey(key) });
      expect(res.status, JSON.stringify(key)).toBe(400);
      expect(res.body).toMatchObject({ error: { fields: [{ path: 'header.idempotency-key' }] } });
    }
    expect(await tableItems()).toEqual(before);
  });

  it('erasing a case also deletes the replayable answers that show it', async () => {
    const key = randomUUID();
    const created = await call('POST', '/families', { as: coordinator, body: familyBody('IDM-2026-09'), headers: withKey(key) });
    expect(created.status).toBe(201);
    const mentioning = async () =>
      (await items('TEAM#idem-a#IDEMPOTENCY')).filter((r) =>
        String((r['response'] as { body?: string } | undefined)?.body).includes('"IDM-2026-09"'),
      );
    expect(await mentioning()).toHaveLength(1);
    const erased = await call('POST', '/families/IDM-2026-09/erase', { as: coordinator, body: { version: 1, figures: 'discard' } });
    expect(erased.status).toBe(200);
    expect(await mentioning()).toHaveLength(0);
  });

  it('documents the header and the 422 in the OpenAPI document for every idempotent route, and only there', async () => {
    const doc = (await call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; responses: Record<string, unknown> }>>;
    };
    for (const route of allRoutes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      const hasHeader = op?.parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key') ?? false;
      expect(hasHeader, route.id).toBe(route.idempotent === true);
      expect('422' in (op?.responses ?? {}), route.id).toBe(route.idempotent === true);
      if (route.idempotent) expect(op?.responses, route.id).toHaveProperty('409');
      if (route.idempotent) expect(op?.responses[String(route.successStatus)], route.id).toHaveProperty(['headers', 'Idempotent-Replayed']);
    }
    const idempotent = allRoutes.filter((r) => r.idempotent).map((r) => r.id);
    expect(idempotent).toEqual(
      expect.arrayContaining([
        'createVisit',
        'createMeeting',
        'createSeries',
        'createAbsence',
        'createFamily',
        'commitPlan',
        'commitReplan',
        'createInquiry',
        'createTeam',
        'createStaff',
        'eraseFamily',
      ]),
    );
    expect(idempotent).not.toContain('issueCalendarToken');
    expect(allRoutes.filter((r) => r.idempotent && r.method !== 'POST')).toEqual([]);
  });
});

describe('Idempotency-Key through the local HTTP server', () => {
  const key = randomBytes(32);
  let server: Server;
  let base: string;
  let token: string;
  beforeAll(async () => {
    server = createApiServer({ routes: allRoutes, handlers, key });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    token = await signDevToken(key, { subject: 'idem-a-coord', teamId: 'idem-a', staffId: 'coord', groups: ['coordinator'] });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('replays a retried POST with the same status and body, and creates once', async () => {
    const idempotencyKey = randomUUID();
    const before = (await inquiriesOf('idem-a')).length;
    const post = (source: string) =>
      fetch(`${base}/inquiries`, {
        method: 'POST',
        body: JSON.stringify(inquiry(source)),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'Idempotency-Key': idempotencyKey },
      });
    const first = await post('school');
    const firstText = await first.text();
    const retry = await post('school');
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(await retry.text()).toBe(firstText);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await inquiriesOf('idem-a')).length).toBe(before + 1);
    const other = await post('bup');
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });
  });
});

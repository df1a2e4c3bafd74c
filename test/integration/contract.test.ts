import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../infra/local/dev-tokens.js';
import { handlers } from '../../infra/local/handlers.js';
import { createApiServer } from '../../infra/local/server.js';
import { allRoutes, routes } from '../../shared/http/routes.js';
import type { RouteDef } from '../../shared/http/routes.js';
import { admin, call, useTable } from '../helpers/api.js';
import { contractViolation, document, documentedStatuses } from '../helpers/contract.js';
import type { OpenApiDocument } from '../helpers/contract.js';
import { openApiDocument } from '../../shared/http/openapi.js';

useTable();

/** The local stand-in for API Gateway, on a free port: it answers 401 itself, as the JWT authorizer does on AWS. */
const key = new Uint8Array(32).fill(7);
const server = createApiServer({ routes: allRoutes, handlers, key });
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw request with a body. */
function rawSend(
  method: string,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/`, { method, path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') flat[name] = value;
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: flat });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function fetchChecked(route: RouteDef, path: string, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  const headers = Object.fromEntries(res.headers.entries());
  return { status: res.status, text, headers, violation: contractViolation(route, { status: res.status, text, headers }) };
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (checked against the official schema)', async () => {
    const result = await new Validator().validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors, JSON.stringify(result.errors, null, 1)?.slice(0, 2000)).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('takes every status a route lists in `errors` into the document, with the error shape (e.g. a new 413 or 422)', () => {
    const route: RouteDef = { ...routes.createVisit, errors: [...routes.createVisit.errors, 413, 422] };
    const doc = openApiDocument([route], 'test') as unknown as OpenApiDocument;
    const responses = doc.paths['/visits']?.post?.responses ?? {};
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['413', '422']));
    expect(JSON.stringify(responses['422']?.content?.['application/json']?.schema)).toContain('"error"');
  });

  it('documents 401 and 403 on every signed-in route, and 413, 414, 431 (request limits), 429, 500 and 503 (API Gateway and outages) everywhere', () => {
    for (const route of allRoutes) {
      const statuses = documentedStatuses(route);
      expect(statuses, route.id).toEqual(expect.arrayContaining([route.successStatus, ...route.errors, 413, 414, 429, 431, 500, 503]));
      if (route.auth !== 'public') expect(statuses, route.id).toEqual(expect.arrayContaining([401, 403]));
    }
  });
});

describe('401: what a client really receives', () => {
  it('matches the document when the local server (like API Gateway) refuses a missing or bad token', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }, { authorization: 'Basic abc' }]) {
      const res = await fetchChecked(routes.listFamilies, '/families', { headers });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toEqual({ message: 'Unauthorized' });
      expect(res.violation).toBeUndefined();
    }
    const post = await fetchChecked(routes.createFamily, '/families', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(post.status).toBe(401);
    expect(post.violation).toBeUndefined();
  });

  it('is the same body when the function itself finds no verified identity (defence in depth behind the authorizer)', async () => {
    const res = await call('GET', '/families');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
  });

  it('passes a valid token through to the function', async () => {
    const token = await signDevToken(key, { subject: 'admin', groups: ['admin'] });
    const res = await fetchChecked(routes.listTeams, '/teams', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.violation).toBeUndefined();
  });
});

describe('through the local HTTP server', () => {
  it('answers as documented: JSON, CSV, the calendar feed’s empty 404, a 400 and a 404', async () => {
    await call('POST', '/teams', { as: admin, body: { id: 'http-team', name: 'IKB h', places: ['A'], travelMinutes: { A: { A: 5 } } } });
    const token = await signDevToken(key, { subject: 'h-coord', teamId: 'http-team', staffId: 'coord', groups: ['coordinator'] });
    const auth = { authorization: `Bearer ${token}` };
    const checks: [RouteDef, string, number][] = [
      [routes.health, '/health', 200],
      [routes.openapi, '/openapi.json', 200],
      [routes.listStaff, '/staff', 200],
      [routes.listFamilies, '/families?status=active', 200],
      [routes.listFamilies, '/families?status=sleeping', 400],
      [routes.getFamily, '/families/HTT-2026-01', 404],
      [routes.getFiguresCsv, '/figures/csv?from=2026-01&to=2026-11', 200],
      [routes.calendarFeed, '/calendar/not-a-token.ics', 404],
      [routes.listVisits, '/visits?week=2026-W48', 200],
    ];
    for (const [route, path, status] of checks) {
      const res = await fetchChecked(route, path, { headers: auth });
      expect(res.status, path).toBe(status);
      expect(res.violation, path).toBeUndefined();
    }
  });
});

describe('a malformed percent-escape in the path (found by probing the local server)', () => {
  it('is the route’s own 400 or empty 404, never a 500', async () => {
    const token = await signDevToken(key, { subject: 'h-coord', teamId: 'http-team', staffId: 'coord', groups: ['coordinator'] });
    const visit = await fetchChecked(routes.getVisit, '/visits/%E0%A4%A', { headers: { authorization: `Bearer ${token}` } });
    expect(visit.status).toBe(400);
    expect(visit.violation).toBeUndefined();
    const feed = await fetchChecked(routes.calendarFeed, '/calendar/%E0%A4%A.ics');
    expect(feed.status).toBe(404);
    expect(feed.violation).toBeUndefined();
  });
});

/** A raw request (no client-side dot-segment resolution, as `curl --path-as-is` sends it). */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; text: string; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/`, { method: 'GET', path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') flat[name] = value;
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: flat });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('dot segments sent as they are (issue 24 §3: curl --path-as-is)', () => {
  const cases: [RouteDef, string][] = [
    [routes.getVisit, '/visits/%2e%2e'],
    [routes.getVisit, '/visits/..'],
    [routes.getVisit, '/visits/%2E'],
    [routes.getTeam, '/teams/%2e%2e'],
    [routes.getTeam, '/teams/.'],
    [routes.familyAudit, '/families/%2e%2e/audit'],
    [routes.transitionFamily, '/families/%2e%2e/status'],
  ];
  it.each(cases)('%s %s: the route’s own documented answer, never the bare {"message":"Not Found"}', async (route, path) => {
    const token = await signDevToken(key, { subject: 'h-coord', teamId: 'http-team', staffId: 'coord', groups: ['coordinator'] });
    const res =
      route.method === 'GET'
        ? await rawGet(path, { authorization: `Bearer ${token}` })
        : await rawSend(route.method, path, '{}', { authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    expect(res.text).not.toBe(JSON.stringify({ message: 'Not Found' }));
    expect([400, 404]).toContain(res.status);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: expect.any(String) } });
    expect(contractViolation(route, res)).toBeUndefined();
  });

  it('through the Lambda handler (as API Gateway passes the segment on) alike', async () => {
    const res = await call('GET', '/visits/%2e%2e', { as: { sub: 'h-coord', team: 'http-team', staff: 'coord', groups: ['coordinator'] } });
    expect([400, 404]).toContain(res.status);
  });
});

describe('raw paths through the local HTTP server (property)', () => {
  it('never answers 5xx and always as documented, whatever a path segment holds', async () => {
    const token = await signDevToken(key, { subject: 'h-coord', teamId: 'http-team', staffId: 'coord', groups: ['coordinator'] });
    const withParams = new Map(allRoutes.filter((r) => r.path.includes('{') && r.method === 'GET').map((r) => [r.id, r]));
    // Raw segment text as a client might send it: stray or malformed escapes, encoded slashes, NULs, dots, unicode.
    const rawSegment = fc.oneof(
      fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%00', '%2F', '%2e%2e', '..', '.', '%C0%AF', '%u0041', 'a%20b', '~', '%F0%9F%98%80'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map((t) => encodeURIComponent(t)),
      fc.stringMatching(/^[A-Za-z0-9%._~-]{1,20}$/),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...withParams.keys()), fc.array(rawSegment, { minLength: 2, maxLength: 2 }), async (id, segments) => {
        const route = withParams.get(id) ?? routes.health;
        let i = 0;
        const path = route.path.replace(/\{\w+\}/g, () => segments[i++ % segments.length] ?? 'x');
        // Sent as is: a client that resolves dot segments itself (fetch, curl without --path-as-is) never sends `..`.
        const raw = await rawGet(path, { authorization: `Bearer ${token}` });
        const violation = contractViolation(route, raw);
        expect(raw.status, `${path}: ${raw.text.slice(0, 200)}`).toBeLessThan(500);
        // Every segment reaches the route (issue 24 §3): its documented answer, never API Gateway's bare 404.
        expect(violation, path).toBeUndefined();
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 10) * 6, seed: Number(process.env.FUZZ_SEED ?? 20261204) },
    );
  });
});

describe('403 from the role check', () => {
  it('is documented on routes whose own errors do not list it', async () => {
    // A signed-in caller in no group: the middy stack refuses before the use case runs.
    const res = await call('GET', '/teams/gamma', { as: { sub: 'nobody', groups: [] } });
    expect(res.status).toBe(403);
    expect(routes.getTeam.errors).not.toContain(403);
  });
});

describe('the contract check itself', () => {
  it('names the route, the status and the failing fields', () => {
    const undocumented = contractViolation(routes.getTeam, { status: 418, headers: { 'content-type': 'application/json' }, text: '{}' });
    expect(undocumented).toMatch(/GET \/teams\/\{teamId\} answered 418, which the OpenAPI document does not list/);
    const wrongShape = contractViolation(routes.getTeam, {
      status: 404,
      headers: { 'content-type': 'application/json' },
      text: '{"message":"Not Found"}',
    });
    expect(wrongShape).toMatch(/GET \/teams\/\{teamId\} answered 404; the body does not match[\s\S]*required/);
    const wrongType = contractViolation(routes.calendarFeed, { status: 200, headers: { 'content-type': 'application/json' }, text: '{}' });
    expect(wrongType).toMatch(/Content-Type application\/json; the document lists text\/calendar/);
    const unexpectedBody = contractViolation(routes.deleteAbsence, { status: 204, headers: {}, text: 'x' });
    expect(unexpectedBody).toMatch(/without one/);
  });

  it('fails the calling test through call()', async () => {
    const team = await call('POST', '/teams', {
      as: admin,
      body: { id: 'contract-team', name: 'IKB c', places: ['A'], travelMinutes: { A: { A: 5 } } },
    });
    expect(team.status).toBe(201);
  });
});

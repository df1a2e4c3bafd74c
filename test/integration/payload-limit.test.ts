import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../infra/local/dev-tokens.js';
import { handlers } from '../../infra/local/handlers.js';
import { createApiServer } from '../../infra/local/server.js';
import { maxBodyBytes, maxUrlBytes } from '../../shared/http/handler.js';
import { allRoutes, routes } from '../../shared/http/routes.js';
import type { RouteDef } from '../../shared/http/routes.js';
import { admin, call, coordinatorOf, tableItems, useTable } from '../helpers/api.js';
import { contractViolation } from '../helpers/contract.js';
import { seedTeam } from '../helpers/fixtures.js';

useTable();

/** A JSON body of exactly `bytes` bytes: a team whose name pads it out (too long for the schema, so at most a 400). */
function teamBodyOf(bytes: number): string {
  const head = '{"id":"big","places":["A"],"travelMinutes":{"A":{"A":5}},"name":"';
  const tail = '"}';
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
}

const key = randomBytes(32);
let server: Server;
let base: string;
let adminToken: string;
let coordToken: string;

beforeAll(async () => {
  server = createApiServer({ routes: allRoutes, handlers, key });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  adminToken = await signDevToken(key, { subject: 'admin', groups: ['admin'] });
  await seedTeam('limits');
  coordToken = await signDevToken(key, { subject: 'limits-coord', teamId: 'limits', staffId: 'coord', groups: ['coordinator'] });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const post = (body: string) =>
  fetch(`${base}/teams`, { method: 'POST', body, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' } });

describe('request body limit (issue 10 §2)', () => {
  it('is 1 MiB, well under what Lambda (6 MB event) and API Gateway (10 MB) accept', () => {
    expect(maxBodyBytes).toBe(1024 * 1024);
  });

  it('the local server answers a body over the limit with 413 in the error shape, not a connection reset, and writes nothing', async () => {
    const before = await tableItems();
    const res = await post(teamBodyOf(maxBodyBytes + 1));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ error: { code: 'payload_too_large', message: expect.stringContaining('1 MiB') } });
    expect(await tableItems()).toEqual(before);
  });

  it('the local server answers a 5 MB body with 413 too, and keeps serving', async () => {
    const res = await post(teamBodyOf(5 * 1024 * 1024));
    expect(res.status).toBe(413);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
  });

  it('past 10 MB (API Gateway’s own limit) it stops reading, answers 413 and closes that connection; the server keeps serving', async () => {
    const res = await post(teamBodyOf(12 * 1024 * 1024)).catch((error: unknown) => error);
    // The client may still be sending when the connection closes: it sees the 413, or at worst the close.
    if (res instanceof Response) expect(res.status).toBe(413);
    else expect(res).toBeInstanceOf(Error);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('a body of exactly the limit gets through to validation (400 on the field), not 413', async () => {
    const res = await post(teamBodyOf(maxBodyBytes));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid' } });
  });

  it('the Lambda handler itself (as in AWS, for bodies API Gateway passes on) answers 413 the same way', async () => {
    const before = await tableItems();
    const res = await call('POST', '/teams', { as: admin, rawBody: teamBodyOf(maxBodyBytes + 1) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'payload_too_large', message: expect.stringContaining('1 MiB') } });
    expect(res.text).not.toMatch(/at .*\.ts|stack/i);
    expect(await tableItems()).toEqual(before);
  });

  it('counts bytes, not characters: a multi-byte body over the limit is refused', async () => {
    const head = '{"id":"big","places":["A"],"travelMinutes":{"A":{"A":5}},"name":"';
    const body = head + 'å'.repeat(maxBodyBytes / 2) + '"}';
    expect(body.length).toBeLessThan(maxBodyBytes);
    const res = await call('POST', '/teams', { as: admin, rawBody: body });
    expect(res.status).toBe(413);
  });
});

/**
 * Sends a request through the local server with node:http (fetch refuses a body on GET) and checks the answer
 * against the OpenAPI document.
 */
function through(
  route: RouteDef,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; text: string; violation: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        headers: {
          authorization: `Bearer ${coordToken}`,
          'content-type': 'application/json',
          ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers[name] = value;
          const status = res.statusCode ?? 0;
          resolve({ status, text, violation: contractViolation(route, { status, text, headers }) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// Issue 24 §3: a route that takes no body used to accept 3 MiB and refuse 11 MiB with an undocumented 413 that
// spoke of 1 MiB. Now one rule holds on every route: a body over 1 MiB is a documented 413, whatever the route.
const bodyless: [RouteDef, string, string][] = [
  [routes.listFamilies, 'GET', '/families'],
  [routes.deleteInquiry, 'DELETE', '/inquiries/0123abcd-0000'],
  [routes.proposePlan, 'POST', '/weeks/2026-W48/plan'],
];

describe('a body on a route that takes none (issue 24 §3)', () => {
  it.each(bodyless)('%s: 3 MiB and 11 MiB are the documented 413 through the local server, and nothing is written', async (route, method, path) => {
    const before = await tableItems();
    for (const bytes of [3 * 1024 * 1024, 11 * 1024 * 1024]) {
      const res = await through(route, method, path, 'x'.repeat(bytes)).catch((error: unknown) => error);
      if (!(res instanceof Error) || bytes < 10 * 1024 * 1024) {
        expect(res).not.toBeInstanceOf(Error);
        const ok = res as Awaited<ReturnType<typeof through>>;
        expect(ok.status, `${bytes} bytes`).toBe(413);
        expect(ok.violation).toBeUndefined();
        expect(JSON.parse(ok.text)).toEqual({ error: { code: 'payload_too_large', message: expect.stringContaining('1 MiB') } });
      }
    }
    expect(await tableItems()).toEqual(before);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it.each(bodyless)('%s: the Lambda handler answers the same 413 (as in AWS) for 3 MiB', async (_route, method, path) => {
    const res = await call(method, path, { as: coordinatorOf('limits'), rawBody: 'x'.repeat(3 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'payload_too_large', message: expect.stringContaining('1 MiB') } });
  });

  it('a small body on such a route is still ignored, as before', async () => {
    const res = await through(routes.listFamilies, 'GET', '/families', '{"x":1}');
    expect(res.status).toBe(200);
    expect(res.violation).toBeUndefined();
  });
});

describe('a URL longer than the API takes (issue 24 §3)', () => {
  it('is 4 KiB (path and query), well under API Gateway’s 10,240 bytes for the request line and headers', () => {
    expect(maxUrlBytes).toBe(4096);
  });

  it('a URL just under the limit is answered as usual (400 for a query value too long for its field)', async () => {
    const path = '/families?place=';
    const res = await through(routes.listFamilies, 'GET', `${path}${'a'.repeat(maxUrlBytes - path.length)}`);
    expect(res.status).not.toBe(414);
    expect(res.violation).toBeUndefined();
  });

  it.each([maxUrlBytes + 1, 12 * 1024])('%i bytes: the documented 414 in the error shape, from the local server', async (bytes) => {
    const path = '/families?place=';
    const res = await through(routes.listFamilies, 'GET', `${path}${'a'.repeat(bytes - path.length)}`);
    expect(res.status).toBe(414);
    expect(res.violation).toBeUndefined();
    expect(JSON.parse(res.text)).toEqual({ error: { code: 'uri_too_long', message: expect.stringContaining('4 KiB') } });
  });

  it('the Lambda handler answers the same 414 (as in AWS, below API Gateway’s own limit)', async () => {
    const res = await call('GET', '/families', { as: coordinatorOf('limits'), query: { place: 'a'.repeat(maxUrlBytes) } });
    expect(res.status).toBe(414);
    expect(res.body).toEqual({ error: { code: 'uri_too_long', message: expect.stringContaining('4 KiB') } });
  });

  it.each([20 * 1024, 70 * 1024])(
    '%i bytes, past what the server reads as a request head: the documented 431, not a bare one or a reset',
    async (bytes) => {
      const path = '/families?place=';
      const res = await through(routes.listFamilies, 'GET', `${path}${'a'.repeat(bytes - path.length)}`);
      expect(res.status).toBe(431);
      expect(res.violation).toBeUndefined();
      expect(JSON.parse(res.text)).toEqual({ error: { code: 'request_header_too_large', message: expect.any(String) } });
      expect((await fetch(`${base}/health`)).status).toBe(200);
    },
  );
});

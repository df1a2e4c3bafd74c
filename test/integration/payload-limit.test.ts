import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../infra/local/dev-tokens.js';
import { handlers } from '../../infra/local/handlers.js';
import { createApiServer } from '../../infra/local/server.js';
import { maxBodyBytes } from '../../shared/http/handler.js';
import { allRoutes } from '../../shared/http/routes.js';
import { admin, call, tableItems, useTable } from '../helpers/api.js';

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

beforeAll(async () => {
  server = createApiServer({ routes: allRoutes, handlers, key });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  adminToken = await signDevToken(key, { subject: 'admin', groups: ['admin'] });
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

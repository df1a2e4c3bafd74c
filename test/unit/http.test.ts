import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { matchRoute } from '../../infra/local/http-event.js';
import { loadOrCreateKey, signDevToken, verifyDevToken } from '../../infra/local/dev-tokens.js';
import { fieldErrors } from '../../shared/domain/field-errors.js';
import { principalOf } from '../../shared/http/principal.js';
import { allRoutes } from '../../shared/http/routes.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const eventWith = (claims: Record<string, unknown>) =>
  ({ requestContext: { authorizer: { jwt: { claims, scopes: [] } } } }) as unknown as Parameters<typeof principalOf>[0];

describe('principalOf', () => {
  it('reads team, staff and groups from API Gateway’s string form of the claims', () => {
    const p = principalOf(
      eventWith({ sub: 'u1', 'custom:team_id': 'kalmar', 'custom:staff_id': 'anna', 'cognito:groups': '[therapist coordinator]' }),
    );
    expect(p).toMatchObject({ subject: 'u1', teamId: 'kalmar', staffId: 'anna' });
    expect([...p.groups].sort()).toEqual(['coordinator', 'therapist']);
  });

  it('accepts a real array and ignores unknown groups', () => {
    const p = principalOf(eventWith({ sub: 'u1', 'cognito:groups': ['admin', 'root'] }));
    expect([...p.groups]).toEqual(['admin']);
    expect(p.teamId).toBeUndefined();
  });

  it('refuses a request without a subject', () => {
    expect(() => principalOf(eventWith({}))).toThrow(/Sign-in required/);
  });
});

describe('fieldErrors', () => {
  it('names nested paths with dots and indexes', () => {
    const schema = z.object({ a: z.array(z.object({ b: z.number() })) });
    const result = schema.safeParse({ a: [{ b: 1 }, { b: 'x' }] });
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrors(result.error).map((f) => f.path)).toEqual(['a[1].b']);
  });

  it('prefixes path and query parameters', () => {
    const result = z.object({ code: z.string().min(3) }).safeParse({ code: 'x' });
    if (!result.success) expect(fieldErrors(result.error, 'path')[0]?.path).toBe('path.code');
  });
});

describe('matchRoute', () => {
  it('matches templates and decodes path parameters', () => {
    const m = matchRoute(allRoutes, 'GET', '/families/KAL-2026-07');
    expect(m).toMatchObject({ route: { id: 'getFamily' }, pathParameters: { code: 'KAL-2026-07' } });
    expect(matchRoute(allRoutes, 'DELETE', '/staff/anna/absences/abc')).toMatchObject({
      route: { id: 'deleteAbsence' },
      pathParameters: { staffId: 'anna', absenceId: 'abc' },
    });
  });

  it('tells an unknown path from a wrong method', () => {
    expect(matchRoute(allRoutes, 'GET', '/nowhere')).toBeUndefined();
    expect(matchRoute(allRoutes, 'DELETE', '/families')).toBe('method-not-allowed');
  });
});

describe('dev tokens', () => {
  it('round-trips the Cognito claim shape and rejects a token signed with another key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ikb-key-'));
    const key = loadOrCreateKey(join(dir, 'key'));
    expect(Buffer.from(loadOrCreateKey(join(dir, 'key'))).equals(Buffer.from(key))).toBe(true);
    const token = await signDevToken(key, { subject: 'anna', teamId: 'kalmar', staffId: 'anna', groups: ['therapist'] });
    expect(await verifyDevToken(key, token)).toMatchObject({
      sub: 'anna',
      'custom:team_id': 'kalmar',
      'custom:staff_id': 'anna',
      'cognito:groups': '[therapist]',
    });
    const other = loadOrCreateKey(join(dir, 'other'));
    expect(await verifyDevToken(other, token)).toBeUndefined();
    expect(await verifyDevToken(key, `${token}x`)).toBeUndefined();
  });
});

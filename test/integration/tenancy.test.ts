import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../helpers/api.js';
import { call, therapistOf, useTable } from '../helpers/api.js';
import { familyBody, seedTeam, staffBody } from '../helpers/fixtures.js';

useTable();

// Two teams with the same staff ids and similar family codes: nothing of one may be reachable from the other.
let north: Caller;
let south: Caller;
beforeAll(async () => {
  ({ coordinator: north } = await seedTeam('north'));
  ({ coordinator: south } = await seedTeam('south'));
  expect((await call('POST', '/families', { as: north, body: familyBody('NOR-2026-01') })).status).toBe(201);
  expect((await call('POST', '/families', { as: south, body: familyBody('SOU-2026-01') })).status).toBe(201);
  await call('POST', '/staff/anna/absences', { as: north, body: { from: '2026-12-01', to: '2026-12-02', kind: 'sick' } });
});

const callers: [string, () => Caller][] = [
  ['coordinator', () => south],
  ['therapist', () => therapistOf('south', 'anna')],
];

describe.each(callers)('a %s of another team', (_role, caller) => {
  it('cannot read the other team’s families, as if they did not exist', async () => {
    expect((await call('GET', '/families/NOR-2026-01', { as: caller() })).status).toBe(404);
    expect((await call('GET', '/families/NOR-2026-01/audit', { as: caller() })).status).toBeGreaterThanOrEqual(403);
    const list = (await call('GET', '/families', { as: caller() })).body as { families: { code: string }[] };
    expect(list.families.map((f) => f.code)).not.toContain('NOR-2026-01');
  });

  it('cannot write the other team’s families', async () => {
    const patch = await call('PATCH', '/families/NOR-2026-01', { as: caller(), body: { version: 1, place: 'Kalmar' } });
    expect([403, 404]).toContain(patch.status);
    const status = await call('POST', '/families/NOR-2026-01/status', { as: caller(), body: { to: 'accepted', version: 1 } });
    expect([403, 404]).toContain(status.status);
    expect((await call('GET', '/families/NOR-2026-01', { as: north })).body).toMatchObject({ version: 1, status: 'referred', place: 'Emmaboda' });
  });

  it('reads only its own team’s staff record of the same id, and no absences of the other team', async () => {
    const anna = await call('GET', '/staff/anna', { as: caller() });
    expect(anna.body).toMatchObject({ teamId: 'south' });
    const absences = await call('GET', '/staff/anna/absences', { as: caller() });
    expect(absences.body).toEqual({ absences: [] });
  });

  it('cannot read or change the other team', async () => {
    expect((await call('GET', '/teams/north', { as: caller() })).status).toBe(404);
    expect([403, 404]).toContain((await call('PATCH', '/teams/north', { as: caller(), body: { version: 1, name: 'taken' } })).status);
    expect((await call('GET', '/teams/north', { as: north })).body).toMatchObject({ name: 'IKB north' });
  });
});

describe('a coordinator of another team', () => {
  it('cannot reach the other team’s staff: writes land in their own team or nowhere', async () => {
    const res = await call('PATCH', '/staff/anna', { as: south, body: { version: 1, name: 'Renamed' } });
    expect(res.body).toMatchObject({ teamId: 'south' });
    expect((await call('GET', '/staff/anna', { as: north })).body).toMatchObject({ name: 'Staff anna', version: 1 });
    expect((await call('POST', '/families', { as: south, body: { ...familyBody('SOU-2026-02'), familyTherapist: 'erik' } })).status).toBe(201);
    expect((await call('GET', '/families/SOU-2026-02', { as: north })).status).toBe(404);
  });

  it('cannot pair a family with staff of another team', async () => {
    await call('POST', '/staff', { as: north, body: staffBody('only-north', 'family_therapist') });
    const res = await call('POST', '/families', { as: south, body: familyBody('SOU-2026-03', 'only-north', 'bo') });
    expect(res.status).toBe(400);
  });
});

describe('an account without a team', () => {
  it('is refused on team-scoped routes', async () => {
    const orphan: Caller = { sub: 'orphan', groups: ['coordinator'] };
    expect((await call('GET', '/families', { as: orphan })).status).toBe(403);
    expect((await call('GET', '/staff', { as: orphan })).status).toBe(403);
  });

  it('is refused with 401 when unsigned', async () => {
    expect((await call('GET', '/families')).status).toBe(401);
    expect((await call('POST', '/families', { body: familyBody('NOR-2026-09') })).status).toBe(401);
  });
});

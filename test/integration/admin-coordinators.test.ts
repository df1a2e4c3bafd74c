import { beforeAll, describe, expect, it } from 'vitest';
import { admin, call, coordinatorOf, fieldPaths, useTable } from '../helpers/api.js';
import { seedTeam, staffBody } from '../helpers/fixtures.js';

useTable();
const team = 'adm-team';
beforeAll(async () => {
  await seedTeam(team);
});

// Issue 22: an administrator's page lists the teams and their coordinators and invites a coordinator — through the
// staff routes (no new functions: the stateless stack is near CloudFormation's 500 resources).
describe('an administrator and a team’s coordinators', () => {
  it('lists a team’s coordinators only, and adds a coordinator to a named team', async () => {
    const before = await call('GET', '/staff', { as: admin, query: { teamId: team } });
    expect(before.status).toBe(200);
    expect((before.body as { staff: { id: string; role: string }[] }).staff.map((s) => [s.id, s.role])).toEqual([['coord', 'coordinator']]);
    const added = await call('POST', '/staff', { as: admin, body: { ...staffBody('karin', 'coordinator'), teamId: team } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: 'karin', teamId: team, role: 'coordinator' });
    expect(added.body).not.toHaveProperty('teamIdNamed');
    const after = (await call('GET', '/staff', { as: admin, query: { teamId: team } })).body as { staff: { id: string }[] };
    expect(after.staff.map((s) => s.id).sort()).toEqual(['coord', 'karin']);
    // The team's own coordinator sees her too, as one of the team.
    expect(((await call('GET', '/staff', { as: coordinatorOf(team) })).body as { staff: { id: string }[] }).staff.map((s) => s.id)).toContain(
      'karin',
    );
  });

  it('refuses what is not an administrator’s to do, field by field, writing nothing', async () => {
    const therapist = await call('POST', '/staff', { as: admin, body: { ...staffBody('ulf', 'family_therapist'), teamId: team } });
    expect(therapist.status).toBe(400);
    expect(fieldPaths(therapist.body)).toEqual(['role']);
    const noTeam = await call('POST', '/staff', { as: admin, body: staffBody('ulf', 'coordinator') });
    expect(noTeam.status).toBe(400);
    expect(fieldPaths(noTeam.body)).toEqual(['teamId']);
    expect((await call('POST', '/staff', { as: admin, body: { ...staffBody('ulf', 'coordinator'), teamId: 'no-such-team' } })).status).toBe(404);
    expect((await call('GET', '/staff', { as: admin })).status).toBe(400);
    expect((await call('GET', '/staff', { as: admin, query: { teamId: 'no-such-team' } })).status).toBe(404);
    // A coordinator cannot reach into another team.
    expect((await call('GET', '/staff', { as: coordinatorOf(team), query: { teamId: 'other' } })).status).toBe(403);
    expect((await call('POST', '/staff', { as: coordinatorOf(team), body: { ...staffBody('ulf', 'coordinator'), teamId: 'other' } })).status).toBe(
      403,
    );
    expect(
      ((await call('GET', '/staff', { as: admin, query: { teamId: team } })).body as { staff: { id: string }[] }).staff.map((s) => s.id),
    ).not.toContain('ulf');
  });
});

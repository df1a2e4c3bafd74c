import { describe, expect, it } from 'vitest';
import { admin, call, coordinatorOf, fieldPaths, therapistOf, useTable } from '../helpers/api.js';
import { teamBody } from '../helpers/fixtures.js';

useTable();

describe('teams', () => {
  it('creates, reads and updates a team with optimistic concurrency', async () => {
    const created = await call('POST', '/teams', { as: admin, body: teamBody('alpha') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'alpha', zone: 'Europe/Stockholm', version: 1, holidayCalendar: { country: 'SE' } });

    const read = await call('GET', '/teams/alpha', { as: admin });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: 'alpha', places: ['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm'] });

    const updated = await call('PATCH', '/teams/alpha', { as: admin, body: { version: 1, name: 'IKB Alpha' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'IKB Alpha', version: 2 });

    const stale = await call('PATCH', '/teams/alpha', { as: admin, body: { version: 1, name: 'Lost update' } });
    expect(stale.status).toBe(409);
    expect((await call('GET', '/teams/alpha', { as: admin })).body).toMatchObject({ name: 'IKB Alpha', version: 2 });

    const list = await call('GET', '/teams', { as: admin });
    expect(list.status).toBe(200);
    expect((list.body as { teams: { id: string }[] }).teams.map((t) => t.id)).toContain('alpha');
  });

  it('refuses a duplicate team id with 409', async () => {
    expect((await call('POST', '/teams', { as: admin, body: teamBody('dup') })).status).toBe(201);
    expect((await call('POST', '/teams', { as: admin, body: teamBody('dup') })).status).toBe(409);
  });

  it('names each bad field and writes nothing', async () => {
    const body = {
      ...teamBody('bad-team'),
      zone: 'Mars/Olympus',
      travelMinutes: { Kalmar: { Kalmar: 10 } },
      defaultWorkingHours: [{ weekday: 9, start: '8', end: '07:00' }],
    };
    const res = await call('POST', '/teams', { as: admin, body });
    expect(res.status).toBe(400);
    const paths = fieldPaths(res.body);
    expect(paths).toEqual(
      expect.arrayContaining(['zone', 'travelMinutes.Kalmar.Emmaboda', 'defaultWorkingHours[0].weekday', 'defaultWorkingHours[0].start']),
    );
    expect((await call('GET', '/teams/bad-team', { as: admin })).status).toBe(404);
  });

  it('validates the merged team on update: a new place needs travel times', async () => {
    await call('POST', '/teams', { as: admin, body: teamBody('beta') });
    const res = await call('PATCH', '/teams/beta', {
      as: admin,
      body: { version: 1, places: ['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm', 'Nybro'] },
    });
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toContain('travelMinutes.Kalmar.Nybro');
    expect((await call('GET', '/teams/beta', { as: admin })).body).toMatchObject({ version: 1 });
  });

  it('answers 404 for an unknown team and 400 for a malformed id', async () => {
    expect((await call('GET', '/teams/nowhere', { as: admin })).status).toBe(404);
    expect((await call('PATCH', '/teams/nowhere', { as: admin, body: { version: 1, name: 'x' } })).status).toBe(404);
    const malformed = await call('GET', '/teams/NOT_A_SLUG', { as: admin });
    expect(malformed.status).toBe(400);
    expect(fieldPaths(malformed.body)).toEqual(['path.teamId']);
  });

  it('lets members read their own team only; other teams look absent (404)', async () => {
    await call('POST', '/teams', { as: admin, body: teamBody('gamma') });
    await call('POST', '/teams', { as: admin, body: teamBody('delta') });
    expect((await call('GET', '/teams/gamma', { as: coordinatorOf('gamma') })).status).toBe(200);
    expect((await call('GET', '/teams/gamma', { as: therapistOf('gamma', 'anna') })).status).toBe(200);
    expect((await call('GET', '/teams/gamma', { as: coordinatorOf('delta') })).status).toBe(404);
    expect((await call('GET', '/teams/gamma', { as: therapistOf('delta', 'x') })).status).toBe(404);
  });

  it('keeps team management to admins (403) and sign-in to everyone (401)', async () => {
    expect((await call('POST', '/teams', { as: coordinatorOf('gamma'), body: teamBody('epsilon') })).status).toBe(403);
    expect((await call('PATCH', '/teams/gamma', { as: coordinatorOf('gamma'), body: { version: 1, name: 'x' } })).status).toBe(403);
    expect((await call('GET', '/teams', { as: therapistOf('gamma', 'anna') })).status).toBe(403);
    expect((await call('GET', '/teams/gamma')).status).toBe(401);
  });
});

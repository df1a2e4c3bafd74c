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
    // A coordinator of another team: 404; a therapist may not read audit trails at all: 403.
    expect([403, 404]).toContain((await call('GET', '/families/NOR-2026-01/audit', { as: caller() })).status);
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

describe('scheduling across teams', () => {
  it('keeps visits, meetings, plans and reminders of one team out of another’s reach', async () => {
    await call('POST', '/families/NOR-2026-01/status', { as: north, body: { to: 'accepted', version: 1 } });
    expect(
      (await call('POST', '/families/NOR-2026-01/status', { as: north, body: { to: 'active', version: 2, startDate: '2026-11-02' } })).status,
    ).toBe(200);
    const visit = (
      await call('POST', '/visits', {
        as: north,
        body: { family: 'NOR-2026-01', kind: 'family', start: '2026-11-24T15:00', end: '2026-11-24T16:30' },
      })
    ).body as { id: string };
    const meeting = (
      await call('POST', '/meetings', {
        as: north,
        body: {
          title: 'Kommunmöte',
          kind: 'municipality',
          mode: 'online',
          videoLink: 'https://video.example/n',
          staff: ['anna'],
          start: '2026-11-25T09:00',
          end: '2026-11-25T10:00',
        },
      })
    ).body as { id: string };
    for (const [, caller] of callers) {
      const as = caller();
      expect((await call('GET', `/visits/${visit.id}`, { as })).status).toBe(404);
      expect(
        (await call('PATCH', `/visits/${visit.id}`, { as, body: { version: 1, start: '2026-11-24T17:00', end: '2026-11-24T18:30' } })).status,
      ).toBe(404);
      expect((await call('POST', `/visits/${visit.id}/cancel`, { as, body: { version: 1, by: 'team', reason: 'other' } })).status).toBe(404);
      expect((await call('GET', `/visits/${visit.id}/alternatives`, { as })).status).toBe(404);
      expect((await call('GET', '/visits', { as, query: { family: 'NOR-2026-01' } })).status).toBe(404);
      expect(((await call('GET', '/visits', { as, query: { week: '2026-W48' } })).body as { visits: unknown[] }).visits).toEqual([]);
      expect((await call('GET', `/meetings/${meeting.id}`, { as })).status).toBe(404);
      expect([403, 404]).toContain((await call('POST', `/meetings/${meeting.id}/cancel`, { as, body: { version: 1 } })).status);
      expect(
        (
          (await call('GET', '/meetings', { as, query: { from: '2026-11-23', to: '2026-11-30', staff: 'anna' } })).body as
            { meetings: unknown[] } | undefined
        )?.meetings ?? [],
      ).toEqual([]);
    }
    // Booking another team's family or committing a proposal for it: that family does not exist here.
    expect(
      (
        await call('POST', '/visits', {
          as: south,
          body: { family: 'NOR-2026-01', kind: 'family', start: '2026-11-26T15:00', end: '2026-11-26T16:30' },
        })
      ).status,
    ).toBe(400);
    const commit = await call('POST', '/weeks/2026-W48/plan/commit', {
      as: south,
      body: {
        visits: [{ family: 'NOR-2026-01', kind: 'family', staff: ['anna'], start: '2026-11-26T15:00', end: '2026-11-26T16:30', place: 'Emmaboda' }],
      },
    });
    expect(commit.status).toBe(400);
    const proposal = (await call('POST', '/weeks/2026-W48/plan', { as: south })).body as { problem: { families: { id: string }[] } };
    expect(proposal.problem.families.map((f) => f.id)).not.toContain('NOR-2026-01');
    // The north visit is still there, unchanged.
    expect((await call('GET', `/visits/${visit.id}`, { as: north })).body).toMatchObject({ version: 1, status: 'planned' });
    expect((await call('GET', `/meetings/${meeting.id}`, { as: north })).body).toMatchObject({ version: 1, status: 'planned' });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, therapistOf, useTable } from '../helpers/api.js';
import { familyBody, seedTeam } from '../helpers/fixtures.js';

useTable();
let coordinator: Caller;
beforeAll(async () => {
  ({ coordinator } = await seedTeam('fam-team'));
});

interface FamilyOut {
  code: string;
  version: number;
  status: string;
  treatmentStart?: string;
  treatmentEnd?: string;
}
interface AuditOut {
  entries: { action: string; actor: string; before?: { version: number }; after: { version: number; status: string } }[];
}

describe('families', () => {
  it('creates a referred family with a pseudonymous code and audits it', async () => {
    const res = await call('POST', '/families', { as: coordinator, body: familyBody('FAM-2026-01') });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: 'FAM-2026-01', status: 'referred', version: 1, maxSessionsPerDay: 1, treatmentWeeks: 16 });
    const audit = await call('GET', '/families/FAM-2026-01/audit', { as: coordinator });
    expect(audit.body).toMatchObject({ entries: [{ action: 'create', actor: 'coord', after: { version: 1 } }] });
    expect((audit.body as AuditOut).entries[0]?.before).toBeUndefined();
  });

  it('refuses bad input field by field, including references the store must check', async () => {
    const res = await call('POST', '/families', {
      as: coordinator,
      body: {
        ...familyBody('Anna Svensson'),
        ageAtStart: 9,
        minSessions: 9,
        windows: [],
        sessions: [
          { kind: 'family', count: 2, minutes: 90 },
          { kind: 'family', count: 1, minutes: 60 },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toEqual(expect.arrayContaining(['code', 'ageAtStart', 'windows', 'sessions[1].kind']));

    const refs = await call('POST', '/families', { as: coordinator, body: { ...familyBody('FAM-2026-02', 'bo', 'ghost'), place: 'Göteborg' } });
    expect(refs.status).toBe(400);
    expect(fieldPaths(refs.body)).toEqual(['place', 'familyTherapist', 'individualTherapist']);

    const withName = await call('POST', '/families', {
      as: coordinator,
      body: { ...familyBody('FAM-2026-03'), name: 'Anna Svensson', personnummer: '20100101-1234' },
    });
    expect(withName.status).toBe(400);
    expect((await call('GET', '/families/FAM-2026-02', { as: coordinator })).status).toBe(404);
    expect((await call('GET', '/families/FAM-2026-03', { as: coordinator })).status).toBe(404);
  });

  it('refuses a duplicate code with 409', async () => {
    await call('POST', '/families', { as: coordinator, body: familyBody('FAM-2026-04') });
    expect((await call('POST', '/families', { as: coordinator, body: familyBody('FAM-2026-04') })).status).toBe(409);
  });

  it('updates with the version read; stale versions are 409 and change nothing', async () => {
    await call('POST', '/families', { as: coordinator, body: familyBody('FAM-2026-05') });
    const updated = await call('PATCH', '/families/FAM-2026-05', { as: coordinator, body: { version: 1, place: 'Torsås', minSessions: 5 } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ place: 'Torsås', minSessions: 5, version: 2 });
    expect((await call('PATCH', '/families/FAM-2026-05', { as: coordinator, body: { version: 1, place: 'Kalmar' } })).status).toBe(409);
    const tooMany = await call('PATCH', '/families/FAM-2026-05', { as: coordinator, body: { version: 2, minSessions: 6 } });
    expect(tooMany.status).toBe(400);
    expect(fieldPaths(tooMany.body)).toEqual(['minSessions']);
    expect((await call('GET', '/families/FAM-2026-05', { as: coordinator })).body).toMatchObject({ place: 'Torsås', version: 2 });
    expect((await call('PATCH', '/families/NOPE-2026-99', { as: coordinator, body: { version: 1, place: 'Kalmar' } })).status).toBe(404);
    const audit = (await call('GET', '/families/FAM-2026-05/audit', { as: coordinator })).body as AuditOut;
    expect(audit.entries.map((e) => e.action)).toEqual(['create', 'update']);
    expect(audit.entries[1]).toMatchObject({ before: { version: 1 }, after: { version: 2 } });
  });

  it('walks referred → accepted → active → completed and refuses illegal transitions with 409', async () => {
    await call('POST', '/families', { as: coordinator, body: familyBody('FAM-2026-06') });
    expect(
      (await call('POST', '/families/FAM-2026-06/status', { as: coordinator, body: { to: 'completed', version: 1, completionType: 'as_planned' } }))
        .status,
    ).toBe(409);
    const accepted = await call('POST', '/families/FAM-2026-06/status', { as: coordinator, body: { to: 'accepted', version: 1 } });
    expect(accepted.body).toMatchObject({ status: 'accepted', version: 2 });
    const active = await call('POST', '/families/FAM-2026-06/status', {
      as: coordinator,
      body: { to: 'active', version: 2, startDate: '2026-11-23' },
    });
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ status: 'active', treatmentStart: '2026-11-23', treatmentEnd: '2027-03-14' });
    expect(
      (await call('POST', '/families/FAM-2026-06/status', { as: coordinator, body: { to: 'declined', version: 3, reason: 'no_capacity' } })).status,
    ).toBe(409);
    const completed = await call('POST', '/families/FAM-2026-06/status', {
      as: coordinator,
      body: { to: 'completed', version: 3, completionType: 'as_planned' },
    });
    expect(completed.body).toMatchObject({ status: 'completed', version: 4 });
    expect((await call('POST', '/families/FAM-2026-06/status', { as: coordinator, body: { to: 'active', version: 4 } })).status).toBe(409);
    const audit = (await call('GET', '/families/FAM-2026-06/audit', { as: coordinator })).body as AuditOut;
    expect(audit.entries.map((e) => e.action)).toEqual(['create', 'status:accepted', 'status:active', 'status:completed']);
  });

  it('declines only with a reason category', async () => {
    await call('POST', '/families', { as: coordinator, body: familyBody('FAM-2026-07') });
    const noReason = await call('POST', '/families/FAM-2026-07/status', { as: coordinator, body: { to: 'declined', version: 1 } });
    expect(noReason.status).toBe(400);
    expect(fieldPaths(noReason.body)).toEqual(['reason']);
    const declined = await call('POST', '/families/FAM-2026-07/status', {
      as: coordinator,
      body: { to: 'declined', version: 1, reason: 'outside_target_group' },
    });
    expect(declined.body).toMatchObject({ status: 'declined', declineReason: 'outside_target_group' });
    expect((await call('POST', '/families/NOPE-2026-98/status', { as: coordinator, body: { to: 'accepted', version: 1 } })).status).toBe(404);
    expect((await call('POST', '/families/FAM-2026-07/status', { as: coordinator, body: { to: 'accepted', version: 1 } })).status).toBe(409);
  });

  it('lists with filters by status, place and therapist', async () => {
    await call('POST', '/families', { as: coordinator, body: { ...familyBody('FLT-2026-01', 'erik', 'lina'), place: 'Borgholm' } });
    await call('POST', '/families', { as: coordinator, body: { ...familyBody('FLT-2026-02', 'erik', 'lina'), place: 'Kalmar' } });
    await call('POST', '/families/FLT-2026-02/status', { as: coordinator, body: { to: 'accepted', version: 1 } });
    const codes = async (query: Record<string, string>) =>
      ((await call('GET', '/families', { as: coordinator, query })).body as { families: FamilyOut[] }).families
        .map((f) => f.code)
        .filter((c) => c.startsWith('FLT'));
    expect(await codes({})).toEqual(['FLT-2026-01', 'FLT-2026-02']);
    expect(await codes({ status: 'accepted' })).toEqual(['FLT-2026-02']);
    expect(await codes({ place: 'Borgholm' })).toEqual(['FLT-2026-01']);
    expect(await codes({ therapist: 'lina', status: 'referred' })).toEqual(['FLT-2026-01']);
    const bad = await call('GET', '/families', { as: coordinator, query: { status: 'happy' } });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(['query.status']);
  });

  it('shows a therapist only the families they treat, read-only', async () => {
    await call('POST', '/families', { as: coordinator, body: familyBody('THR-2026-01', 'anna', 'bo') });
    await call('POST', '/families', { as: coordinator, body: familyBody('THR-2026-02', 'erik', 'lina') });
    const bo = therapistOf('fam-team', 'bo');
    const seen = ((await call('GET', '/families', { as: bo })).body as { families: FamilyOut[] }).families.map((f) => f.code);
    expect(seen).toContain('THR-2026-01');
    expect(seen).not.toContain('THR-2026-02');
    expect((await call('GET', '/families/THR-2026-01', { as: bo })).status).toBe(200);
    expect((await call('GET', '/families/THR-2026-02', { as: bo })).status).toBe(404);
    expect((await call('PATCH', '/families/THR-2026-01', { as: bo, body: { version: 1, minSessions: 1 } })).status).toBe(403);
    expect((await call('POST', '/families', { as: bo, body: familyBody('THR-2026-03') })).status).toBe(403);
    expect((await call('POST', '/families/THR-2026-01/status', { as: bo, body: { to: 'accepted', version: 1 } })).status).toBe(403);
    expect((await call('GET', '/families/THR-2026-01/audit', { as: bo })).status).toBe(403);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, therapistOf, useTable } from '../helpers/api.js';
import { seedTeam, staffBody } from '../helpers/fixtures.js';
import { dbFromEnv } from '../../shared/store/client.js';

useTable();
let coordinator: Caller;

/** The DynamoDB requests (command names) the handlers send while `act` runs: they share the one client of dbFromEnv(). */
async function countingStoreRequests<T>(act: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  const requests: string[] = [];
  const stack = dbFromEnv().doc.middlewareStack;
  stack.add(
    (next, context) => async (args) => {
      requests.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countingStoreRequests' },
  );
  try {
    return { result: await act(), requests };
  } finally {
    stack.remove('countingStoreRequests');
  }
}
beforeAll(async () => {
  ({ coordinator } = await seedTeam('staff-team'));
});

describe('staff', () => {
  it('creates, lists, reads and updates a staff member', async () => {
    const created = await call('POST', '/staff', { as: coordinator, body: staffBody('nina', 'family_therapist') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'nina', teamId: 'staff-team', active: true, version: 1, maxVisitsPerDay: 3 });

    const list = await call('GET', '/staff', { as: coordinator });
    expect((list.body as { staff: { id: string }[] }).staff.map((s) => s.id)).toEqual(expect.arrayContaining(['coord', 'anna', 'bo', 'nina']));

    expect((await call('GET', '/staff/nina', { as: coordinator })).body).toMatchObject({ email: 'nina@ikb.example' });

    const updated = await call('PATCH', '/staff/nina', {
      as: coordinator,
      body: { version: 1, workingHours: [{ weekday: 1, start: '10:00', end: '20:00' }], maxVisitsPerDay: 4 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ version: 2, maxVisitsPerDay: 4, workingHours: [{ weekday: 1, start: '10:00', end: '20:00' }] });
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const res = await call('POST', '/staff', {
      as: coordinator,
      body: {
        ...staffBody('olle', 'family_therapist'),
        mobile: '0701234567',
        email: 'not-an-email',
        workingHours: [
          { weekday: 1, start: '18:00', end: '09:00' },
          { weekday: 1, start: '08:00', end: '09:00' },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toEqual(expect.arrayContaining(['mobile', 'email', 'workingHours[0].end', 'workingHours[1].weekday']));
    expect((await call('GET', '/staff/olle', { as: coordinator })).status).toBe(404);

    const unknownBase = await call('POST', '/staff', { as: coordinator, body: { ...staffBody('olle', 'family_therapist'), base: 'Göteborg' } });
    expect(unknownBase.status).toBe(400);
    expect(fieldPaths(unknownBase.body)).toEqual(['base']);

    const badPatch = await call('PATCH', '/staff/anna', { as: coordinator, body: { version: 1, role: 'surgeon' } });
    expect(badPatch.status).toBe(400);
    expect(fieldPaths(badPatch.body)).toEqual(['role']);
  });

  it('answers 404 for unknown staff and 409 for duplicates and stale versions', async () => {
    expect((await call('GET', '/staff/ghost', { as: coordinator })).status).toBe(404);
    expect((await call('PATCH', '/staff/ghost', { as: coordinator, body: { version: 1, name: 'x' } })).status).toBe(404);
    expect((await call('POST', '/staff/ghost/deactivate', { as: coordinator, body: { version: 1 } })).status).toBe(404);
    expect((await call('POST', '/staff', { as: coordinator, body: staffBody('anna', 'family_therapist') })).status).toBe(409);
    expect((await call('PATCH', '/staff/bo', { as: coordinator, body: { version: 7, name: 'x' } })).status).toBe(409);
  });

  it('deactivates with the version read; a second deactivation with the old version is 409', async () => {
    await call('POST', '/staff', { as: coordinator, body: staffBody('pia', 'individual_therapist') });
    const res = await call('POST', '/staff/pia/deactivate', { as: coordinator, body: { version: 1 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: false, version: 2 });
    expect((await call('POST', '/staff/pia/deactivate', { as: coordinator, body: { version: 1 } })).status).toBe(409);
    expect((await call('POST', '/staff/pia/deactivate', { as: coordinator, body: {} })).status).toBe(400);
  });

  it('records, lists and removes absences', async () => {
    const created = await call('POST', '/staff/bo/absences', { as: coordinator, body: { from: '2026-12-01', to: '2026-12-03', kind: 'sick' } });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const list = await call('GET', '/staff/bo/absences', { as: coordinator });
    expect(list.body).toMatchObject({ absences: [{ id, from: '2026-12-01', to: '2026-12-03', kind: 'sick' }] });

    const bad = await call('POST', '/staff/bo/absences', { as: coordinator, body: { from: '2026-12-05', to: '2026-12-01', kind: 'holiday' } });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(['kind']);
    const backwards = await call('POST', '/staff/bo/absences', { as: coordinator, body: { from: '2026-12-05', to: '2026-12-01', kind: 'vacation' } });
    expect(backwards.status).toBe(400);
    expect(fieldPaths(backwards.body)).toEqual(['to']);
    expect(
      (await call('POST', '/staff/ghost/absences', { as: coordinator, body: { from: '2026-12-01', to: '2026-12-01', kind: 'sick' } })).status,
    ).toBe(404);

    expect((await call('DELETE', `/staff/bo/absences/${id}`, { as: coordinator })).status).toBe(204);
    expect((await call('DELETE', `/staff/bo/absences/${id}`, { as: coordinator })).status).toBe(404);
    expect((await call('GET', '/staff/bo/absences', { as: coordinator })).body).toEqual({ absences: [] });
  });

  it('lets a therapist read only their own record and record their own absence', async () => {
    const anna = therapistOf('staff-team', 'anna');
    expect((await call('GET', '/staff/anna', { as: anna })).status).toBe(200);
    expect((await call('GET', '/staff/bo', { as: anna })).status).toBe(404);
    expect((await call('GET', '/staff', { as: anna })).body).toMatchObject({ staff: [{ id: 'anna' }] });
    expect((await call('POST', '/staff/anna/absences', { as: anna, body: { from: '2026-12-10', to: '2026-12-10', kind: 'training' } })).status).toBe(
      201,
    );
    expect((await call('POST', '/staff/bo/absences', { as: anna, body: { from: '2026-12-10', to: '2026-12-10', kind: 'training' } })).status).toBe(
      404,
    );
    expect((await call('GET', '/staff/bo/absences', { as: anna })).status).toBe(404);
    expect((await call('PATCH', '/staff/anna', { as: anna, body: { version: 1, maxVisitsPerDay: 9 } })).status).toBe(403);
    expect((await call('POST', '/staff', { as: anna, body: staffBody('evil', 'coordinator') })).status).toBe(403);
    expect((await call('POST', '/staff/bo/deactivate', { as: anna, body: { version: 1 } })).status).toBe(403);
  });

  it('lets a therapist choose their own reminders within the team’s policy, and nothing else (issue 22)', async () => {
    const lea = therapistOf('staff-team', 'lea');
    expect((await call('POST', '/staff', { as: coordinator, body: staffBody('lea', 'family_therapist') })).status).toBe(201);
    const mine = await call('PATCH', '/staff/lea', {
      as: lea,
      body: { version: 1, notifications: { visitReminder: 'email', visitLeadMinutes: 30, dailyAgenda: 'off', changeNotice: 'sms' } },
    });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      version: 2,
      notifications: { visitReminder: 'email', visitLeadMinutes: 30, dailyAgenda: 'off', changeNotice: 'sms' },
      maxVisitsPerDay: 3,
    });
    // The team's policy allows 15–240 minutes (the default): outside it is a 400 on the field, and nothing changes.
    const tooLong = await call('PATCH', '/staff/lea', {
      as: lea,
      body: { version: 2, notifications: { visitReminder: 'sms', visitLeadMinutes: 600, dailyAgenda: 'email', changeNotice: 'sms' } },
    });
    expect(tooLong.status).toBe(400);
    expect(fieldPaths(tooLong.body)).toEqual(['notifications.visitLeadMinutes']);
    // Anything but notifications, or someone else's record, is not theirs to change.
    expect((await call('PATCH', '/staff/lea', { as: lea, body: { version: 2, mobile: '+46701234567' } })).status).toBe(403);
    expect(
      (
        await call('PATCH', '/staff/anna', {
          as: lea,
          body: { version: 1, notifications: { visitReminder: 'off', dailyAgenda: 'off', changeNotice: 'off' } },
        })
      ).status,
    ).toBe(404);
    expect((await call('GET', '/staff/lea', { as: coordinator })).body).toMatchObject({ version: 2, notifications: { visitLeadMinutes: 30 } });
  });

  it('refuses an absence longer than a year at the edge, field by field, before any store work, and stores nothing (issue 10 §2)', async () => {
    // What made it slow was work proportional to the span: counted in DynamoDB requests, not in milliseconds, which a busy machine stretches.
    const { result: res, requests } = await countingStoreRequests(() =>
      call('POST', '/staff/bo/absences', { as: coordinator, body: { from: '2000-01-01', to: '2099-12-31', kind: 'other' } }),
    );
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toEqual(['to']);
    expect(requests).toEqual([]);
    expect((await call('GET', '/staff/bo/absences', { as: coordinator })).body).toEqual({ absences: [] });
    const { result: yearLong, requests: yearRequests } = await countingStoreRequests(() =>
      call('POST', '/staff/bo/absences', { as: coordinator, body: { from: '2027-01-01', to: '2027-12-31', kind: 'parental' } }),
    );
    expect(yearLong.status).toBe(201);
    // A constant few (staff, team, absences, the write, the days it touches), not one per day of the year.
    expect(yearRequests.length).toBeLessThanOrEqual(6);
    expect((await call('DELETE', `/staff/bo/absences/${(yearLong.body as { id: string }).id}`, { as: coordinator })).status).toBe(204);
  });

  it('refuses an absence that overlaps one of the same person with 409 naming the existing one (issue 10 §2)', async () => {
    const first = await call('POST', '/staff/bo/absences', { as: coordinator, body: { from: '2026-11-02', to: '2026-11-06', kind: 'vacation' } });
    expect(first.status).toBe(201);
    const firstId = (first.body as { id: string }).id;
    const same = await call('POST', '/staff/bo/absences', { as: coordinator, body: { from: '2026-11-02', to: '2026-11-06', kind: 'vacation' } });
    expect(same.status).toBe(409);
    expect(JSON.stringify(same.body)).toContain(firstId);
    expect(JSON.stringify(same.body)).toContain('2026-11-02');
    const overlapping = await call('POST', '/staff/bo/absences', { as: coordinator, body: { from: '2026-11-06', to: '2026-11-09', kind: 'sick' } });
    expect(overlapping.status).toBe(409);
    const adjacent = await call('POST', '/staff/bo/absences', { as: coordinator, body: { from: '2026-11-07', to: '2026-11-08', kind: 'sick' } });
    expect(adjacent.status).toBe(201);
    const otherPerson = await call('POST', '/staff/anna/absences', {
      as: coordinator,
      body: { from: '2026-11-02', to: '2026-11-06', kind: 'vacation' },
    });
    expect(otherPerson.status).toBe(201);
    const list = (await call('GET', '/staff/bo/absences', { as: coordinator })).body as { absences: { id: string }[] };
    expect(list.absences).toHaveLength(2);
    for (const a of list.absences) await call('DELETE', `/staff/bo/absences/${a.id}`, { as: coordinator });
    await call('DELETE', `/staff/anna/absences/${(otherPerson.body as { id: string }).id}`, { as: coordinator });
  });
});

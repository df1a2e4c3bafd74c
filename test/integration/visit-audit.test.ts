import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../helpers/api.js';
import { call, therapistOf, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

useTable();
let coordinator: Caller;
const team = 'visit-audit';

beforeAll(async () => {
  ({ coordinator } = await seedTeam(team));
  await activeFamily(coordinator, 'VAU-2026-01', 'anna', 'bo', { startDate: '2026-10-19', treatmentWeeks: 26 });
});

describe('GET /visits/{id}/audit (the console’s visit history)', () => {
  it('lists who booked, moved and cancelled a visit, oldest first, for the coordinator only', async () => {
    const created = (
      await call('POST', '/visits', {
        as: coordinator,
        body: { family: 'VAU-2026-01', kind: 'individual', start: '2026-12-10T15:00', end: '2026-12-10T16:00' },
      })
    ).body as { id: string };
    expect(
      (await call('PATCH', `/visits/${created.id}`, { as: coordinator, body: { version: 1, start: '2026-12-10T16:00', end: '2026-12-10T17:00' } }))
        .status,
    ).toBe(200);
    expect(
      (await call('POST', `/visits/${created.id}/cancel`, { as: coordinator, body: { version: 2, by: 'family', reason: 'illness' } })).status,
    ).toBe(200);
    const res = await call('GET', `/visits/${created.id}/audit`, { as: coordinator });
    expect(res.status).toBe(200);
    const entries = (res.body as { entries: { action: string; actor: string; before?: { version: number } }[] }).entries;
    expect(entries.map((e) => e.action)).toEqual(['create', 'move', 'cancel']);
    expect(entries[1]).toMatchObject({ actor: 'coord', before: { version: 1 } });
    expect((await call('GET', `/visits/${created.id}/audit`, { as: therapistOf(team, 'anna') })).status).toBe(403);
    expect((await call('GET', '/visits/0000aaaa-0000/audit', { as: coordinator })).status).toBe(404);
  });
});

import { describe, expect, it } from 'vitest';
import { call, fieldPaths, useTable } from '../helpers/api.js';
import { seedTeam, staffBody } from '../helpers/fixtures.js';

// Free text reaches e-mail subjects, invitations and feeds: a personal identity or coordination number in any of it is a
// 400 naming the field, through the real handlers, and nothing is written.
useTable();
const online = { kind: 'consultation', mode: 'online', videoLink: 'https://video.example/x', staff: ['coord'] };

describe('free text never holds a personal identity number', () => {
  it('a meeting title, an address, a partner’s name and organisation, a series title, a staff name: 400 on the field', async () => {
    const { coordinator } = await seedTeam('free-text');
    const title = await call('POST', '/meetings', {
      as: coordinator,
      body: { ...online, title: 'Uppföljning 121212-1212', start: '2026-12-15T10:00', end: '2026-12-15T11:00' },
    });
    expect(title.status).toBe(400);
    expect(fieldPaths(title.body)).toEqual(['title']);
    expect(JSON.stringify(title.body)).toContain('personal identity number');

    const address = await call('POST', '/meetings', {
      as: coordinator,
      body: {
        title: 'Möte',
        kind: 'consultation',
        mode: 'onsite',
        place: 'Kalmar',
        address: 'hos 701063-2391',
        staff: ['coord'],
        start: '2026-12-15T10:00',
        end: '2026-12-15T11:00',
      },
    });
    expect(fieldPaths(address.body)).toEqual(['address']);

    const partner = await call('POST', '/meeting-series', {
      as: coordinator,
      body: {
        ...online,
        title: 'Samverkan',
        external: [{ name: 'Eva 19811218-9876', email: 'eva@x.example', organisation: 'Kommun 811218+9876' }],
        spec: {
          recurrence: { freq: 'weekly', interval: 2, weekday: 2, time: '13:00' },
          durationMinutes: 60,
          startDate: '2026-12-08',
          holidayPolicy: 'skip',
        },
      },
    });
    expect(partner.status).toBe(400);
    expect(fieldPaths(partner.body).sort()).toEqual(['external[0].name', 'external[0].organisation']);

    const staff = await call('POST', '/staff', { as: coordinator, body: { ...staffBody('nils', 'family_therapist'), name: 'Nils 1212121212' } });
    expect(fieldPaths(staff.body)).toEqual(['name']);

    const ok = await call('POST', '/meetings', {
      as: coordinator,
      body: { ...online, title: 'Uppföljning 2026', start: '2026-12-15T10:00', end: '2026-12-15T11:00' },
    });
    expect(ok.status).toBe(201);
    const renamed = await call('PATCH', `/meetings/${(ok.body as { id: string }).id}`, {
      as: coordinator,
      body: { version: 1, title: 'Möte 20121212-1212' },
    });
    expect(fieldPaths(renamed.body)).toEqual(['title']);
    expect(
      ((await call('GET', '/meetings', { as: coordinator, query: { from: '2026-12-15', to: '2026-12-15' } })).body as { meetings: unknown[] })
        .meetings,
    ).toHaveLength(1);
  });

  it('the API description says titles must not hold names', async () => {
    const doc = (await call('GET', '/openapi.json')).text;
    expect(doc).toContain('must not hold names');
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, useTable } from '../helpers/api.js';
import { seedTeam } from '../helpers/fixtures.js';

// The 400 and 404 paths of the scheduling routes not covered in their own files: unknown ids are 404,
// malformed input names its field, and nothing internal leaks.
useTable();
let coordinator: Caller;
const ghost = '00000000-0000-0000-0000-000000000000';

beforeAll(async () => {
  ({ coordinator } = await seedTeam('err-team'));
});

describe('unknown records are 404', () => {
  it.each([
    ['GET', `/visits/${ghost}`, undefined],
    ['GET', `/visits/${ghost}/alternatives`, undefined],
    ['POST', `/visits/${ghost}/cancel`, { version: 1, by: 'team', reason: 'other' }],
    ['POST', `/visits/${ghost}/outcome`, { version: 1, status: 'done' }],
    ['PATCH', `/meetings/${ghost}`, { version: 1, title: 'x' }],
    ['POST', `/meetings/${ghost}/cancel`, { version: 1 }],
    ['GET', `/meeting-series/${ghost}`, undefined],
    ['POST', `/meeting-series/${ghost}/change`, { version: 1, fromDate: '2026-12-01', title: 'x' }],
    ['DELETE', `/staff/anna/absences/${ghost}`, undefined],
  ] as const)('%s %s', async (method, path, body) => {
    const res = await call(method, path, { as: coordinator, ...(body ? { body } : {}) });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });
});

describe('malformed input is 400 with field paths', () => {
  it.each([
    ['GET', '/handovers', { query: { week: '2026-48' } }, ['query.week']],
    [
      'POST',
      '/meeting-series',
      {
        body: {
          title: 'x',
          kind: 'municipality',
          mode: 'online',
          videoLink: 'https://v.example',
          staff: ['coord'],
          spec: { recurrence: { freq: 'daily' }, durationMinutes: 60, startDate: '2026-12-01', holidayPolicy: 'skip' },
        },
      },
      ['spec.recurrence.freq'],
    ],
    ['POST', `/visits/${ghost}/outcome`, { body: { version: 1, status: 'great' } }, ['status']],
    ['GET', '/visits/not a uuid', {}, ['path.id']],
    ['POST', '/weeks/2026-W49/plan/commit', { body: { visits: [] } }, ['visits']],
    ['GET', '/reminders', { query: {} }, ['query.status']],
    ['GET', '/families/anna svensson', {}, ['path.code']],
    ['GET', '/families/anna/audit', {}, ['path.code']],
    ['GET', '/meetings/NOT_AN_ID', {}, ['path.id']],
    ['GET', '/meeting-series/NOT_AN_ID', {}, ['path.id']],
    ['GET', '/visits/NOT_AN_ID/alternatives', {}, ['path.id']],
    ['GET', '/staff/ANNA/absences', {}, ['path.staffId']],
    ['DELETE', '/staff/anna/absences/NOT_AN_ID', {}, ['path.absenceId']],
    ['PATCH', `/visits/${ghost}`, { body: { version: 1, start: '2026-12-01 15:00', end: '2026-12-01T16:00' } }, ['start']],
    ['POST', `/meetings/${ghost}/cancel`, { body: { version: 0 } }, ['version']],
  ] as const)('%s %s', async (method, path, input, paths) => {
    const res = await call(method, path, { as: coordinator, ...input });
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toEqual(paths);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { maxUrlBytes } from '../../shared/http/handler.js';
import { maxVisitRangeDays } from '../../shared/schemas/visit.js';
import { feedWindow } from '../../shared/use-cases/calendar.js';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, tableItems, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

// Issue 10 §2: every date, week, month, local time and instant the API parses lies in years 2000–2100.
// Out of range (year 9999, year 0001) or malformed is a field-level 400 that writes nothing — never a 500.
useTable();
let coordinator: Caller;

beforeAll(async () => {
  ({ coordinator } = await seedTeam('bounds'));
  await activeFamily(coordinator, 'BND-2026-01');
});

const cases: [string, string, { query?: Record<string, string>; body?: unknown }, string[]][] = [
  ['GET', '/visits', { query: { week: '9999-W52' } }, ['query.week']],
  ['GET', '/visits', { query: { staff: 'anna', from: '9999-01-01', to: '9999-01-02' } }, ['query.from', 'query.to']],
  ['GET', '/visits', { query: { staff: 'anna', from: '2026-11-01', to: '9999-12-31' } }, ['query.to']],
  ['GET', '/meetings', { query: { from: '9999-01-01', to: '9999-01-02' } }, ['query.from', 'query.to']],
  ['GET', '/meetings', { query: { from: '0001-01-01', to: '2026-01-02' } }, ['query.from']],
  ['POST', '/weeks/9999-W52/plan', {}, ['path.week']],
  ['POST', '/weeks/1999-W52/plan', {}, ['path.week']],
  ['GET', '/handovers', { query: { week: '2026-W99' } }, ['query.week']],
  ['GET', '/handovers', { query: { week: '9999-W52' } }, ['query.week']],
  ['GET', '/handovers', { query: { week: '2026-48' } }, ['query.week']],
  ['GET', '/figures', { query: { from: '9999-01', to: '9999-02' } }, ['query.from', 'query.to']],
  ['GET', '/figures/csv', { query: { from: '2026-01', to: '2101-01' } }, ['query.to']],
  ['GET', '/inquiries', { query: { from: '9999-01-01' } }, ['query.from']],
  ['POST', '/staff/anna/absences', { body: { from: '0001-01-01', to: '9999-12-31', kind: 'sick' } }, ['from', 'to']],
  ['POST', '/visits', { body: { family: 'BND-2026-01', kind: 'family', start: '9999-12-01T15:00', end: '9999-12-01T16:00' } }, ['start', 'end']],
  [
    'POST',
    '/meetings',
    {
      body: {
        title: 'x',
        kind: 'municipality',
        mode: 'online',
        videoLink: 'https://v.example',
        staff: ['coord'],
        start: '9999-12-01T10:00',
        end: '9999-12-01T11:00',
      },
    },
    ['start', 'end'],
  ],
  ['POST', '/inquiries', { body: { date: '9999-01-01', kind: 'consultation', source: 'school' } }, ['date']],
];

describe('dates out of 2000–2100 are a field-level 400 and write nothing', () => {
  it.each(cases)('%s %s %j', async (method, path, input, paths) => {
    const before = await tableItems();
    const res = await call(method, path, { as: coordinator, ...input });
    expect(res.status, res.text).toBe(400);
    expect(fieldPaths(res.body)).toEqual(expect.arrayContaining(paths));
    expect(await tableItems()).toEqual(before);
  });

  it('a query too long for the URL limit is the documented 414, not a 400 or a 500, and writes nothing (issue 24 §3)', async () => {
    const before = await tableItems();
    const res = await call('GET', '/visits', {
      as: coordinator,
      query: { staff: 'anna', from: '2026-11-01', to: '2026-11-30', x: 'y'.repeat(maxUrlBytes) },
    });
    expect(res.status, res.text).toBe(414);
    expect(res.body).toMatchObject({ error: { code: 'uri_too_long' } });
    const plan = await call('POST', `/weeks/2026-W48/plan?${'w'.repeat(maxUrlBytes)}=1`, { as: coordinator });
    expect(plan.status, plan.text).toBe(414);
    expect(await tableItems()).toEqual(before);
  });

  it('GET /visits?staff= takes a range as long as the calendar feed shows (issue 24 §6: capped at 190 days, the feed ~210)', async () => {
    const window = feedWindow(new Date('2026-11-23T08:00:00Z'), 'Europe/Stockholm');
    expect(window).toEqual({ from: '2026-10-26', to: '2027-05-24' });
    const res = await call('GET', '/visits', { as: coordinator, query: { staff: 'anna', ...window } });
    expect(res.status, res.text).toBe(200);
    // One day longer than the feed is still refused, on `to`, saying how long a range may be.
    const longer = await call('GET', '/visits', { as: coordinator, query: { staff: 'anna', from: window.from, to: '2027-05-25' } });
    expect(longer.status).toBe(400);
    expect(fieldPaths(longer.body)).toEqual(['query.to']);
    expect(longer.text).toContain(`at most ${maxVisitRangeDays} days`);
  });

  it('the boundary years themselves are accepted', async () => {
    const res = await call('GET', '/meetings', { as: coordinator, query: { from: '2100-12-01', to: '2100-12-31' } });
    expect(res.status, res.text).toBe(200);
    const week = await call('GET', '/visits', { as: coordinator, query: { week: '2000-W01' } });
    expect(week.status, week.text).toBe(200);
  });
});

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../shared/logger.js';
import type { Caller } from '../helpers/api.js';
import { call, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

// With the logger at its most talkative, the calendar token, family codes, names, phone numbers and request
// bodies never reach the logs: handlers log route ids, statuses and error classes only.
useTable();
let coordinator: Caller;
const written: string[] = [];
const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  ({ coordinator } = await seedTeam('log-team'));
  await activeFamily(coordinator, 'LOG-2026-01', 'anna', 'bo', { place: 'Kalmar' });
});

afterEach(() => {
  process.stdout.write = realOut;
  process.stderr.write = realErr;
  logger.setLogLevel('SILENT');
  vi.restoreAllMocks();
});

describe('logs', () => {
  it('never contain the calendar token or personal data, even at DEBUG and on errors', async () => {
    const issued = (await call('POST', '/staff/anna/calendar-token', { as: coordinator, body: {} })).body as { token: string };
    logger.setLogLevel('DEBUG');
    // Each invocation (injectLambdaContext) puts the level back to the one the process started with (SILENT in the
    // suite), as sampling would: kept at DEBUG here, the most talkative a deployed function can be made.
    vi.spyOn(logger, 'refreshSampleRateCalculation').mockImplementation(() => undefined);
    const capture = (chunk: string | Uint8Array) => (written.push(String(chunk)), true);
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    expect((await call('GET', `/calendar/${issued.token}.ics`)).status).toBe(200);
    expect((await call('GET', `/calendar/${issued.token.slice(0, -1)}x.ics`)).status).toBe(404);
    await call('POST', '/visits', {
      as: coordinator,
      body: { family: 'LOG-2026-01', kind: 'family', start: '2026-12-01T15:00', end: '2026-12-01T16:00' },
    });
    await call('POST', '/visits', {
      as: coordinator,
      body: { family: 'LOG-2026-01', kind: 'family', start: '2026-12-01T15:00', end: '2026-12-01T16:00' },
    });
    await call('PATCH', '/staff/anna', { as: coordinator, body: { version: 1, mobile: 'not a number', name: 'Anna Andersson' } });
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    const logs = written.join('');
    expect(logs).toContain('request refused');
    expect(logs).not.toContain(issued.token);
    expect(logs).not.toContain(issued.token.slice(0, 20));
    expect(logs).not.toMatch(/LOG-2026-01|Anna Andersson|\+4670|anna@ikb/);
  });
});

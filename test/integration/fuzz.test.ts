import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxBodyBytes, maxUrlBytes } from '../../shared/http/handler.js';
import { allRoutes } from '../../shared/http/routes.js';
import type { RouteDef } from '../../shared/http/routes.js';
import type { ApiResponse, Caller } from '../helpers/api.js';
import { admin, call, coordinatorOf, tableItems, therapistOf, useTable } from '../helpers/api.js';
import { documentedStatuses } from '../helpers/contract.js';
import { activeFamily, familyBody, seedTeam } from '../helpers/fixtures.js';
import { SchemaArbitraries, boundaryValue } from '../helpers/fuzz-arbitraries.js';
import type { Hints } from '../helpers/fuzz-arbitraries.js';
import { dbFromEnv } from '../../shared/store/client.js';

/**
 * Property-based fuzzing of every route through its real Lambda handler on DynamoDB Local. Requests are generated
 * from the route table's zod schemas (see fuzz-arbitraries.ts) with boundary values and a mix of callers, after a
 * team with families, visits, meetings, a series, an absence, an inquiry and a calendar feed has been seeded. For
 * every request: never a 5xx, always a status the OpenAPI document lists for the route (and a body matching it: the
 * `call` helper checks the contract), and nothing written on a 4xx (the whole table is hashed before and after any
 * request that sent DynamoDB a write; one that sent none cannot have changed it).
 *
 * Fixed seed by default; FUZZ_RUNS (requests per route, default 10) and FUZZ_SEED run more or other cases:
 *   FUZZ_RUNS=200 FUZZ_SEED=7 npx vitest run test/integration/fuzz.test.ts
 */
const runs = Number(process.env.FUZZ_RUNS ?? 10);
const seed = Number(process.env.FUZZ_SEED ?? 20261204);

useTable();

const team = 'fuzz';
const coordinator = coordinatorOf(team);
const anna = therapistOf(team, 'anna');
const otherCoordinator = coordinatorOf('other');
const hints: Hints = {};
/** Statuses seen, by route: FUZZ_VERBOSE=1 prints them, to see how deep the generated requests get. */
const tally: Record<string, Record<number, number>> = {};
afterAll(() => {
  if (!process.env.FUZZ_VERBOSE) return;
  const total: Record<number, number> = {};
  for (const [id, statuses] of Object.entries(tally)) {
    console.log(id, JSON.stringify(statuses));
    for (const [status, n] of Object.entries(statuses)) total[Number(status)] = (total[Number(status)] ?? 0) + n;
  }
  console.log('all routes', JSON.stringify(total));
});
let feedFile = '';

const idOf = (res: ApiResponse): string => {
  const id = (res.body as { id?: unknown } | undefined)?.id;
  if (res.status >= 300 || typeof id !== 'string') throw new Error(`seeding failed: ${res.status} ${res.text.slice(0, 300)}`);
  return id;
};

beforeAll(async () => {
  await seedTeam(team);
  await seedTeam('other');
  await activeFamily(coordinator, 'FUZ-2026-01', 'anna', 'bo');
  await activeFamily(coordinator, 'FUZ-2026-02', 'erik', 'lina');
  await call('POST', '/families', { as: coordinator, body: familyBody('FUZ-2026-03') });
  await activeFamily(otherCoordinator, 'OTH-2026-01', 'anna', 'bo');
  const visits = [
    idOf(
      await call('POST', '/visits', {
        as: coordinator,
        body: { family: 'FUZ-2026-01', kind: 'family', start: '2026-11-24T16:00', end: '2026-11-24T17:30' },
      }),
    ),
    idOf(
      await call('POST', '/visits', {
        as: coordinator,
        body: { family: 'FUZ-2026-02', kind: 'individual', start: '2026-11-25T15:00', end: '2026-11-25T16:00' },
      }),
    ),
    idOf(
      await call('POST', '/visits', {
        as: coordinator,
        body: { family: 'FUZ-2026-01', kind: 'joint', start: '2026-11-16T16:00', end: '2026-11-16T17:30' },
      }),
    ),
    idOf(
      await call('POST', '/visits', {
        as: otherCoordinator,
        body: { family: 'OTH-2026-01', kind: 'family', start: '2026-11-26T16:00', end: '2026-11-26T17:30' },
      }),
    ),
  ];
  const online = { kind: 'consultation', mode: 'online', videoLink: 'https://meet.example/ikb', staff: ['anna', 'coord'] };
  const meetings = [
    idOf(
      await call('POST', '/meetings', {
        as: coordinator,
        body: { ...online, title: 'Konsultation', start: '2026-11-26T10:00', end: '2026-11-26T11:00' },
      }),
    ),
    idOf(
      await call('POST', '/meetings', {
        as: otherCoordinator,
        body: { ...online, title: 'Konsultation', start: '2026-11-26T10:00', end: '2026-11-26T11:00' },
      }),
    ),
  ];
  const series = await call('POST', '/meeting-series', {
    as: coordinator,
    body: {
      ...online,
      title: 'Samverkan',
      spec: {
        recurrence: { freq: 'weekly', interval: 2, weekday: 2, time: '13:00' },
        durationMinutes: 60,
        startDate: '2026-12-08',
        holidayPolicy: 'skip',
      },
    },
  });
  const seriesId = (series.body as { series?: { id?: string } }).series?.id;
  const absence = idOf(await call('POST', '/staff/erik/absences', { as: coordinator, body: { from: '2026-12-01', to: '2026-12-02', kind: 'sick' } }));
  const inquiry = idOf(
    await call('POST', '/inquiries', {
      as: coordinator,
      body: { date: '2026-11-05', kind: 'consultation', channel: 'in_passing', source: 'school', municipality: 'Torsås', outcome: 'advice_given' },
    }),
  );
  const token = await call('POST', '/staff/anna/calendar-token', { as: anna, body: {} });
  feedFile = `${(token.body as { token: string }).token}.ics`;

  const ids = [...visits, ...meetings, ...(seriesId ? [seriesId] : []), inquiry, 'deadbeef-0000', 'nope'];
  Object.assign(hints, {
    teamId: [team, 'other', 'nope'],
    staffId: ['anna', 'bo', 'erik', 'coord', 'lina', 'ghost'],
    staff: ['anna', 'bo', 'erik', 'coord', 'lina', 'ghost'],
    familyTherapist: ['anna', 'erik', 'bo'],
    individualTherapist: ['bo', 'lina', 'anna'],
    therapist: ['anna', 'erik', 'bo'],
    code: ['FUZ-2026-01', 'FUZ-2026-02', 'FUZ-2026-03', 'OTH-2026-01', 'FUZ-2026-99'],
    family: ['FUZ-2026-01', 'FUZ-2026-02', 'FUZ-2026-03', 'OTH-2026-01', 'FUZ-2026-99'],
    id: ids,
    visit: visits,
    absenceId: [absence, 'nope'],
    place: ['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm', 'Göteborg'],
    base: ['Kalmar', 'Emmaboda'],
    municipality: ['Kalmar', 'Torsås'],
    version: ['1', '2', '3'],
    email: ['anna@ikb.example'],
    mobile: ['+46701234567'],
    videoLink: ['https://meet.example/ikb'],
    file: [feedFile, 'nope.ics', `${feedFile.slice(0, -4)}.txt`, 'x'],
  });
}, 300_000);

/** Who calls: the team's coordinator and a therapist most often, then admin, another team, nobody and odd principals. */
const callers: fc.Arbitrary<Caller | undefined> = fc.oneof(
  { weight: 5, arbitrary: fc.constant(coordinator) },
  { weight: 2, arbitrary: fc.constant(anna) },
  { weight: 1, arbitrary: fc.constant(admin) },
  { weight: 1, arbitrary: fc.constant(otherCoordinator) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Caller>(
      { sub: 'lost', groups: [] },
      { sub: 'teamless', staff: 'anna', groups: ['coordinator'] },
      therapistOf('other', 'anna'),
    ),
  },
);

const oversizedBody = 'x'.repeat(maxBodyBytes + 1);
const rawBodies = [
  oversizedBody,
  '',
  'not json',
  '{"a":',
  'null',
  '[]',
  '"x"',
  '1e999',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  JSON.stringify({ a: 'x'.repeat(200_000) }),
];

interface FuzzRequest {
  as: Caller | undefined;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
/** A path segment: never empty (API Gateway would not route it), always URL-encoded. */
const segment = (value: unknown): string => encodeURIComponent(asText(value) || ' ');

/** Three temperaments, so that requests get past validation often enough to reach the use cases and the store. */
const temperament = (schema: z.ZodType): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: new SchemaArbitraries(hints, 0).forZod(schema) },
    { weight: 3, arbitrary: new SchemaArbitraries(hints, 0.04).forZod(schema) },
    { weight: 2, arbitrary: new SchemaArbitraries(hints, 0.2).forZod(schema) },
  );

function requests(route: RouteDef): fc.Arbitrary<FuzzRequest> {
  const params = route.params ? temperament(route.params) : fc.constant({});
  const query = route.query
    ? temperament(route.query)
    : fc.option(fc.dictionary(fc.constantFrom('x', 'from', 'week'), fc.string({ maxLength: 8 }), { maxKeys: 2 }), { nil: {} });
  const body = route.body
    ? fc.oneof(
        { weight: 9, arbitrary: temperament(route.body).map((b) => ({ body: b })) },
        { weight: 1, arbitrary: fc.constantFrom(...rawBodies).map((raw) => ({ rawBody: raw })) },
        { weight: 1, arbitrary: boundaryValue.map((b) => ({ body: b })) },
      )
    : // A route without a body ignores a small one and refuses one over the limit (issue 24 §3), like any other route.
      fc.oneof(
        { weight: 8, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: fc.constantFrom('{}', 'x', oversizedBody).map((raw) => ({ rawBody: raw })) },
      );
  // Now and then a query parameter that makes the URL longer than the API takes (414), or just fits.
  const longQuery = fc.oneof(
    { weight: 12, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constantFrom(maxUrlBytes - 200, maxUrlBytes + 1, 3 * maxUrlBytes).map((n) => ({ pad: 'p'.repeat(n) })) },
  );
  // Mostly the JSON the route expects; now and then another content type.
  const contentType = fc.oneof(
    { weight: 14, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1') },
  );
  return fc.record({ as: callers, params, query, body, contentType, longQuery }).map(({ as, params, query, body, contentType, longQuery }) => {
    const values = params && typeof params === 'object' && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
    const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => segment(values[name] ?? 'x'));
    const q: Record<string, string> = {};
    if (query && typeof query === 'object' && !Array.isArray(query))
      for (const [k, v] of Object.entries(query as Record<string, unknown>)) q[k] = asText(v);
    Object.assign(q, longQuery);
    return { as, path, query: q, ...body, ...(contentType && route.body ? { headers: { 'content-type': contentType } } : {}) };
  });
}

/**
 * DynamoDB requests other than reads that the handlers sent, counted on the one client they all use (`dbFromEnv`, by
 * way of `defaultDeps`). A request after which this has not moved sent no write and so changed nothing: the table is
 * hashed again (a scan, and most of this file's CPU when done after every request) only after one that did. What
 * counts as a read is listed; anything else counts as a write, so an unknown command is compared, never skipped.
 */
const reads = new Set([
  'GetCommand',
  'GetItemCommand',
  'BatchGetCommand',
  'BatchGetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'TransactGetCommand',
  'TransactGetItemsCommand',
]);
let writesSent = 0;
beforeAll(() => {
  dbFromEnv().doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (!reads.has(String(context.commandName))) writesSent += 1;
      return next(args);
    },
    { step: 'initialize', name: 'fuzzCountsWrites' },
  );
});
afterAll(() => {
  dbFromEnv().doc.middlewareStack.remove('fuzzCountsWrites');
});

/** The whole table as one hash, plus its item count. */
async function tableState(): Promise<{ count: number; hash: string }> {
  const items = await tableItems();
  return { count: items.length, hash: createHash('sha256').update(items.join('\n')).digest('hex') };
}

describe('fuzzing every route through the real handlers', () => {
  for (const route of allRoutes) {
    it(`${route.method} ${route.path}: no 5xx, documented statuses, nothing written on a 4xx`, async () => {
      const documented = documentedStatuses(route);
      let before = await tableState();
      await fc.assert(
        fc.asyncProperty(requests(route), async (request) => {
          const sent = writesSent;
          const res = await call(route.method, request.path, {
            ...(request.as ? { as: request.as } : {}),
            query: request.query,
            ...(request.rawBody !== undefined ? { rawBody: request.rawBody } : request.body !== undefined ? { body: request.body } : {}),
            ...(request.headers ? { headers: request.headers } : {}),
          });
          tally[route.id] = { ...tally[route.id], [res.status]: (tally[route.id]?.[res.status] ?? 0) + 1 };
          expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
          expect(documented).toContain(res.status);
          // Something created or deleted was written, and seen to be: the counter sees the handlers' client.
          if (res.status === 201 || res.status === 204) expect(writesSent, `${res.status} without a write seen`).toBeGreaterThan(sent);
          if (writesSent === sent) return;
          const after = await tableState();
          if (res.status >= 400) expect(after, `${res.status} ${res.text.slice(0, 300)} wrote to the table`).toEqual(before);
          before = after;
        }),
        { numRuns: runs, seed, endOnFailure: true },
      );
      // The table is what the last compared request left: nothing changed it unseen.
      expect(await tableState()).toEqual(before);
    });
  }

  it('reached every route of the table, and the request limits on routes with and without a body', () => {
    // The write counter saw the handlers' writes (and each 201 or 204 above was seen writing).
    expect(writesSent).toBeGreaterThan(0);
    expect(Object.keys(tally).sort()).toEqual(allRoutes.map((r) => r.id).sort());
    const seen = (status: number, body: boolean) => allRoutes.some((r) => Boolean(r.body) === body && (tally[r.id]?.[status] ?? 0) > 0);
    expect(seen(413, false), '413 on a route without a body').toBe(true);
    expect(seen(413, true), '413 on a route with a body').toBe(true);
    expect(seen(414, false) || seen(414, true), '414').toBe(true);
  });
});

import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import type { FeedEvent } from '../../shared/domain/ical.js';
import { etagOf, renderFeed, visitSummary } from '../../shared/domain/ical.js';
import { benchClaims, benchEnvironment, handlerCaller } from './local-api.js';
import { percentile, printTable } from './stats.js';

const clock = '2026-11-23T08:00:00.000Z';

/** 1,000 events spread over the feed window: visits of every kind in the county's places, and some online meetings. */
function syntheticEvents(count: number): FeedEvent[] {
  const places = ['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm', 'Nybro', 'Oskarshamn'];
  const kinds = ['family', 'individual', 'joint'] as const;
  const first = DateTime.fromISO('2026-10-26T08:00', { zone: 'Europe/Stockholm' });
  return Array.from({ length: count }, (_, i) => {
    const start = first.plus({ days: Math.floor(i / 5), hours: (i % 5) * 2 });
    const iso = (t: DateTime) => t.toUTC().toISO() ?? '';
    const meeting = i % 10 === 9;
    return {
      uid: `${meeting ? 'meeting' : 'visit'}-${String(i).padStart(8, '0')}-4b1e-9c55-2f0a8d6e1c3b@ikb-planner`,
      start: iso(start),
      end: iso(start.plus({ minutes: 90 })),
      summary: meeting
        ? 'Konsultation BUP'
        : visitSummary(`KAL-2026-${String(i % 99).padStart(2, '0')}`, kinds[i % 3] ?? 'family', places[i % places.length] ?? 'Kalmar'),
      location: meeting ? 'https://meet.example/ikb-konsultation' : (places[i % places.length] ?? 'Kalmar'),
      sequence: i % 4,
      updatedAt: '2026-11-20T10:00:00.000Z',
    };
  });
}

/** `requests` GETs of `url` with `concurrency` in flight; returns requests/s, latencies and the statuses seen. */
async function load(
  url: string,
  requests: number,
  concurrency: number,
  headers: Record<string, string>,
): Promise<{ rps: number; latencies: number[]; statuses: Set<number>; bytes: number }> {
  const latencies: number[] = [];
  const statuses = new Set<number>();
  let bytes = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        const t0 = performance.now();
        const res = await fetch(url, { headers });
        const size = (await res.arrayBuffer()).byteLength; // read before adding: `bytes += await …` would lose concurrent updates
        bytes += size;
        latencies.push(performance.now() - t0);
        statuses.add(res.status);
      }
    }),
  );
  return { rps: requests / ((performance.now() - started) / 1000), latencies, statuses, bytes: bytes / requests };
}

/**
 * Calendar feeds: render time and size of a 1,000-event feed (ical-generator, in process), and requests per
 * second for a 1,000-event team feed over HTTP against the local server and DynamoDB Local, with and without
 * If-None-Match.
 */
export async function run(): Promise<void> {
  // Rendering alone.
  const events = syntheticEvents(1000);
  for (let i = 0; i < 5; i++) renderFeed('IKB – team county', events);
  const renderTimes: number[] = [];
  let body = '';
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    body = renderFeed('IKB – team county', events);
    etagOf(body);
    renderTimes.push(performance.now() - t0);
  }
  const size = Buffer.byteLength(body, 'utf8');

  const env = await benchEnvironment(clock);
  try {
    const { createApiServer } = await import('../../infra/local/server.js');
    const { allRoutes } = await import('../../shared/http/routes.js');
    const { handlers } = await import('../../infra/local/handlers.js');
    const invoke = await handlerCaller(benchClaims.coordinator('county'));
    const admin = benchClaims.admin;
    const call = async (method: string, path: string, body: unknown, claims?: Record<string, string>) => {
      const res = await invoke(method, path, body, claims);
      if (res.status !== 200 && res.status !== 201) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };

    // A team of 10 pairs and 10 families; 100 joint visits a family on 100 days in a row: 1,000 visits.
    const weekdays = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '07:00', end: '21:00' }));
    await call('POST', '/teams', { id: 'county', name: 'IKB Kalmar län', places: ['Kalmar'], travelMinutes: { Kalmar: { Kalmar: 0 } } }, admin);
    await call('POST', '/staff', {
      id: 'coord',
      name: 'Coordinator',
      role: 'coordinator',
      base: 'Kalmar',
      email: 'c@ikb.example',
      workingHours: weekdays,
    });
    for (let p = 0; p < 10; p++) {
      for (const role of ['family_therapist', 'individual_therapist'] as const) {
        const id = `${role === 'family_therapist' ? 'ft' : 'it'}${p}`;
        await call('POST', '/staff', { id, name: id, role, base: 'Kalmar', email: `${id}@ikb.example`, workingHours: weekdays });
      }
      const code = `CTY-2026-${String(p + 1).padStart(2, '0')}`;
      await call('POST', '/families', {
        code,
        place: 'Kalmar',
        referral: { source: 'bup', date: '2026-10-01' },
        ageAtStart: 15,
        familyTherapist: `ft${p}`,
        individualTherapist: `it${p}`,
        sessions: [{ kind: 'joint', count: 5, minutes: 60 }],
        minSessions: 4,
        windows: weekdays,
      });
      await call('POST', `/families/${code}/status`, { to: 'accepted', version: 1 });
      await call('POST', `/families/${code}/status`, { to: 'active', version: 2, startDate: '2026-10-26' });
    }
    const jobs = Array.from({ length: 1000 }, (_, i) => ({ family: i % 10, day: Math.floor(i / 10) }));
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++];
          if (!job) break;
          // Day after day from the day after the start, inside the 16-week treatment (a visit outside it is a 409).
          const date = DateTime.fromISO('2026-10-27').plus({ days: job.day }).toISODate() ?? '';
          const hour = String(8 + job.family).padStart(2, '0');
          await call('POST', '/visits', {
            family: `CTY-2026-${String(job.family + 1).padStart(2, '0')}`,
            kind: 'joint',
            start: `${date}T${hour}:00`,
            end: `${date}T${hour}:45`,
          });
        }
      }),
    );
    const team = (await call('POST', '/staff/coord/calendar-token', { scope: 'team' })) as { path: string };
    const staff = (await call('POST', '/staff/ft0/calendar-token', {})) as { path: string };

    const server = createApiServer({ routes: allRoutes, handlers, key: new Uint8Array(32) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const first = await fetch(`${base}${team.path}`);
      const teamBody = await first.text();
      const etag = first.headers.get('etag') ?? '';
      const eventCount = teamBody.split('BEGIN:VEVENT').length - 1;
      if (eventCount !== 1000) throw new Error(`team feed has ${eventCount} events`);
      const staffEtag = (await fetch(`${base}${staff.path}`)).headers.get('etag') ?? '';
      await load(`${base}${team.path}`, 20, 4, {});
      env.reset();
      const full = await load(`${base}${team.path}`, 200, 8, {});
      const requestsPerFeed = env.requests() / 200;
      const cached = await load(`${base}${team.path}`, 500, 8, { 'If-None-Match': etag });
      const staffFull = await load(`${base}${staff.path}`, 500, 8, {});
      const staffCached = await load(`${base}${staff.path}`, 500, 8, { 'If-None-Match': staffEtag });
      const unknown = await load(`${base}/calendar/${'A'.repeat(43)}.ics`, 500, 8, {});
      const fmt = (r: { rps: number; latencies: number[]; statuses: Set<number> }) => [
        r.rps.toFixed(0),
        `${percentile(r.latencies, 50).toFixed(1)} / ${percentile(r.latencies, 95).toFixed(1)}`,
        [...r.statuses].join(','),
      ];

      printTable(
        'Calendar feed rendering (ical-generator, 1,000 events, in process)',
        ['measure', 'value'],
        [
          ['render + ETag p50 / p95 (ms)', `${percentile(renderTimes, 50).toFixed(1)} / ${percentile(renderTimes, 95).toFixed(1)}`],
          ['feed size (bytes)', size],
          ['feed size (KiB)', (size / 1024).toFixed(0)],
        ],
      );
      printTable(
        'Calendar feeds over HTTP (local server + DynamoDB Local, 8 in flight)',
        ['feed', 'requests/s', 'p50 / p95 ms', 'status'],
        [
          ['team feed, 1,000 events, no If-None-Match', ...fmt(full)],
          ['team feed, 1,000 events, If-None-Match current', ...fmt(cached)],
          ['staff feed, 100 events, no If-None-Match', ...fmt(staffFull)],
          ['staff feed, 100 events, If-None-Match current', ...fmt(staffCached)],
          ['unknown token (404)', ...fmt(unknown)],
        ],
      );
      printTable(
        'Per feed request',
        ['measure', 'value'],
        [
          ['DynamoDB requests (token GetItem, holder GetItem, Query)', requestsPerFeed.toFixed(1)],
          ['team feed body, 1,000 events (KiB)', (Buffer.byteLength(teamBody, 'utf8') / 1024).toFixed(0)],
          ['bytes per response: 200 / 304', `${full.bytes.toFixed(0)} / ${cached.bytes.toFixed(0)}`],
        ],
      );
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  } finally {
    await env.dynamo.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

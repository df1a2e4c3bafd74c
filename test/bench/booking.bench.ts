import { performance } from 'node:perf_hooks';
import { kalmarMunicipalities, kalmarTravelMatrix } from '../../shared/domain/kalmar-county.js';
import { benchClaims, benchEnvironment, handlerCaller } from './local-api.js';
import { percentile, printTable } from './stats.js';

/**
 * Booking throughput and latency for a county-scale team (16 therapists, 40 families, 12 municipalities)
 * through the real Lambda handlers against DynamoDB Local, and DynamoDB requests per booking.
 */
export async function run(): Promise<void> {
  const env = await benchEnvironment('2026-11-23T08:00:00.000Z');
  try {
    const call = await handlerCaller(benchClaims.coordinator('county'));
    const admin = benchClaims.admin;
    const must = async (p: Promise<{ status: number; body: unknown }>, status: number) => {
      const res = await p;
      if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
      return res;
    };

    // The county team: 8 family and 8 individual therapists in 8 pairs, 5 families a pair, each pair in one municipality.
    const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start, end }));
    await must(
      call('POST', '/teams', { id: 'county', name: 'IKB Kalmar län', places: kalmarMunicipalities, travelMinutes: kalmarTravelMatrix() }, admin),
      201,
    );
    await must(
      call('POST', '/staff', {
        id: 'coord',
        name: 'Coordinator',
        role: 'coordinator',
        base: 'Kalmar',
        email: 'c@ikb.example',
        workingHours: weekdays('08:00', '17:00'),
      }),
      201,
    );
    for (let p = 0; p < 8; p++) {
      for (const role of ['family_therapist', 'individual_therapist'] as const) {
        const id = `${role === 'family_therapist' ? 'ft' : 'it'}${p}`;
        await must(
          call('POST', '/staff', {
            id,
            name: id,
            role,
            base: ['Kalmar', 'Oskarshamn', 'Västervik'][p % 3],
            email: `${id}@ikb.example`,
            workingHours: weekdays('07:00', '21:00'),
            maxVisitsPerDay: 10,
          }),
          201,
        );
      }
    }
    const families: { code: string; pair: number; index: number }[] = [];
    for (let p = 0; p < 8; p++) {
      for (let i = 0; i < 5; i++) {
        const code = `CTY-2026-${String(p * 5 + i + 1).padStart(2, '0')}`;
        await must(
          call('POST', '/families', {
            code,
            place: kalmarMunicipalities[p] ?? 'Kalmar',
            referral: { source: 'bup', date: '2026-10-01' },
            ageAtStart: 15,
            familyTherapist: `ft${p}`,
            individualTherapist: `it${p}`,
            sessions: [
              { kind: 'family', count: 2, minutes: 60 },
              { kind: 'individual', count: 2, minutes: 60 },
              { kind: 'joint', count: 1, minutes: 60 },
            ],
            minSessions: 4,
            windows: weekdays('08:00', '20:00'),
            maxSessionsPerDay: 2,
            treatmentWeeks: 26,
          }),
          201,
        );
        await must(call('POST', `/families/${code}/status`, { to: 'accepted', version: 1 }), 200);
        await must(call('POST', `/families/${code}/status`, { to: 'active', version: 2, startDate: '2026-11-02' }), 200);
        families.push({ code, pair: p, index: i });
      }
    }

    // POST /visits, one at a time: 400 joint visits (two therapists each), spread over 10 weeks without collisions.
    const slot = (week: number, day: number, index: number) => {
      const date = new Date(Date.UTC(2026, 10, 30 + week * 7 + day)).toISOString().slice(0, 10);
      const hour = String(8 + index * 2).padStart(2, '0');
      return { start: `${date}T${hour}:00`, end: `${date}T${hour}:45` };
    };
    const latencies: number[] = [];
    env.reset();
    const sequentialStart = performance.now();
    let booked = 0;
    for (let week = 0; week < 2 && booked < 400; week++) {
      for (let day = 0; day < 5 && booked < 400; day++) {
        for (const f of families) {
          const t0 = performance.now();
          await must(call('POST', '/visits', { family: f.code, kind: 'joint', ...slot(week, day, f.index) }), 201);
          latencies.push(performance.now() - t0);
          booked += 1;
        }
      }
    }
    const sequentialMs = performance.now() - sequentialStart;
    const requestsPerVisit = env.requests() / booked;

    // The same again with 8 requests in flight (different therapists, so no contention).
    const concurrentLatencies: number[] = [];
    const jobs = families.flatMap((f) => [0, 1, 2, 3, 4].map((day) => ({ f, day })));
    const concurrentStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++];
          if (!job) break;
          const t0 = performance.now();
          await must(call('POST', '/visits', { family: job.f.code, kind: 'family', ...slot(4, job.day, job.f.index) }), 201);
          concurrentLatencies.push(performance.now() - t0);
        }
      }),
    );
    const concurrentMs = performance.now() - concurrentStart;

    // A week's commit of the planner's own proposal (POST /weeks/{week}/plan, then /plan/commit), 20 weeks.
    const commitTimes: number[] = [];
    const proposeTimes: number[] = [];
    let commitRequests = 0;
    let committed = 0;
    let proposed = 0;
    // 20 weeks within the 26-week treatments: 19 left free above, and 2026-W53 which is partly booked already.
    const weeks = ['2026-W51', '2026-W52', '2026-W53', ...Array.from({ length: 17 }, (_, i) => `2027-W${String(i + 1).padStart(2, '0')}`)];
    for (const isoWeek of weeks) {
      const p0 = performance.now();
      const proposal = (await must(call('POST', `/weeks/${isoWeek}/plan`, undefined), 200)).body as { result: { visits: unknown[] } };
      proposeTimes.push(performance.now() - p0);
      proposed += proposal.result.visits.length;
      env.reset();
      const t0 = performance.now();
      const res = await must(call('POST', `/weeks/${isoWeek}/plan/commit`, { visits: proposal.result.visits }), 200);
      commitTimes.push(performance.now() - t0);
      commitRequests += env.requests();
      const outcome = res.body as { booked: { visits: unknown[] }[]; collided: unknown[] };
      if (outcome.collided.length > 0) throw new Error(`commit collided: ${JSON.stringify(outcome.collided).slice(0, 300)}`);
      committed += outcome.booked.reduce((n, b) => n + b.visits.length, 0);
    }

    printTable(
      'Booking against DynamoDB Local (county team: 16 therapists, 40 families)',
      ['measure', 'value'],
      [
        ['POST /visits sequential: bookings', booked],
        ['  throughput (bookings/s)', (booked / (sequentialMs / 1000)).toFixed(0)],
        ['  p50 / p95 latency (ms)', `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 95).toFixed(1)}`],
        ['  DynamoDB requests per booking', requestsPerVisit.toFixed(1)],
        ['POST /visits, 8 in flight: bookings', jobs.length],
        ['  throughput (bookings/s)', (jobs.length / (concurrentMs / 1000)).toFixed(0)],
        ['  p50 / p95 latency (ms)', `${percentile(concurrentLatencies, 50).toFixed(1)} / ${percentile(concurrentLatencies, 95).toFixed(1)}`],
        ['POST /weeks/{week}/plan (county proposal): runs', proposeTimes.length],
        ['  p50 / p95 time (ms)', `${percentile(proposeTimes, 50).toFixed(0)} / ${percentile(proposeTimes, 95).toFixed(0)}`],
        ['week commit of that proposal: runs / visits a week', `${commitTimes.length} / ${(committed / commitTimes.length).toFixed(0)}`],
        ['  p50 / p95 time (ms)', `${percentile(commitTimes, 50).toFixed(0)} / ${percentile(commitTimes, 95).toFixed(0)}`],
        ['  visits proposed / booked (no collisions)', `${proposed} / ${committed}`],
        ['  DynamoDB requests per committed visit', (commitRequests / committed).toFixed(1)],
      ],
    );
  } finally {
    await env.dynamo.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

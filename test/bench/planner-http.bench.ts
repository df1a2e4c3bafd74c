import { performance } from 'node:perf_hooks';
import { kalmarMunicipalities, kalmarTravelMatrix } from '../../shared/domain/kalmar-county.js';
import { generateInstance, type InstanceOptions } from '../../shared/domain/planning/instances.js';
import type { PlanningResult } from '../../shared/schemas/planning.js';
import { benchClaims, benchEnvironment, handlerCaller } from './local-api.js';
import { printTable } from './stats.js';

const CASES: { team: string; name: string; options: InstanceOptions }[] = [
  { team: 'county', name: 'county 2026-W48, 36 families', options: { scale: 'county', seed: 1, families: 36 } },
  { team: 'county40', name: 'county 2026-W48, 40 families', options: { scale: 'county', seed: 1 } },
  { team: 'national', name: 'national 2026-W48, 140 families', options: { scale: 'national', seed: 1, families: 140 } },
];
const RUNS = Number(process.env.BENCH_PLAN_RUNS ?? 2);

/**
 * POST /weeks/{week}/plan end to end: the generated county and national teams stored through the real handlers in
 * DynamoDB Local (staff with their working hours, families with their pair, windows and mix), then the proposal built
 * from stored data and planned with the exact phase, as the coordinator asks for it. The generated busy blocks
 * (meetings) are not stored, so these weeks are a little freer than the in-process instances of the same seed.
 */
export async function run(): Promise<void> {
  const env = await benchEnvironment('2026-11-16T08:00:00.000Z');
  try {
    const rows: (string | number)[][] = [];
    // BENCH_PLAN_FILTER=county runs only the teams whose name contains it.
    for (const c of CASES.filter((x) => x.name.includes(process.env.BENCH_PLAN_FILTER ?? ''))) {
      const call = await handlerCaller(benchClaims.coordinator(c.team));
      const must = async (p: Promise<{ status: number; body: unknown }>, status: number) => {
        const res = await p;
        if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
        return res;
      };
      const problem = generateInstance(c.options);
      await must(
        call(
          'POST',
          '/teams',
          { id: c.team, name: `IKB ${c.team}`, places: kalmarMunicipalities, travelMinutes: kalmarTravelMatrix() },
          benchClaims.admin,
        ),
        201,
      );
      await must(
        call('POST', '/staff', {
          id: 'coord',
          name: 'Coordinator',
          role: 'coordinator',
          base: 'Kalmar',
          email: 'c@ikb.example',
          workingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })),
        }),
        201,
      );
      for (const s of problem.staff) {
        await must(
          call('POST', '/staff', {
            id: s.id,
            name: s.id,
            role: s.role,
            base: s.base,
            email: `${s.id}@ikb.example`,
            workingHours: s.workingHours,
            maxVisitsPerDay: s.maxVisitsPerDay,
          }),
          201,
        );
      }
      for (const [i, f] of problem.families.entries()) {
        const code = `${c.team.slice(0, 3).toUpperCase()}-2026-${String(i + 1).padStart(3, '0')}`;
        await must(
          call('POST', '/families', {
            code,
            place: f.place,
            referral: { source: 'bup', date: '2026-10-01' },
            ageAtStart: 15,
            familyTherapist: f.familyTherapist,
            individualTherapist: f.individualTherapist,
            sessions: f.sessions,
            minSessions: f.minSessions,
            windows: f.windows,
            maxSessionsPerDay: f.maxSessionsPerDay,
            treatmentWeeks: 26,
          }),
          201,
        );
        await must(call('POST', `/families/${code}/status`, { to: 'accepted', version: 1 }), 200);
        await must(call('POST', `/families/${code}/status`, { to: 'active', version: 2, startDate: '2026-11-02' }), 200);
      }
      const times: number[] = [];
      const cpus: number[] = [];
      let result: PlanningResult | undefined;
      for (let r = 0; r < RUNS; r++) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        result = ((await must(call('POST', '/weeks/2026-W48/plan', undefined), 200)).body as { result: PlanningResult }).result;
        times.push(performance.now() - started);
        // The whole process's CPU (the JIT's background compiler threads included; DynamoDB Local is another process).
        const used = process.cpuUsage(cpu);
        cpus.push((used.user + used.system) / 1000);
      }
      if (!result) continue;
      const s = result.stats;
      rows.push([
        c.name,
        `${problem.staff.length}/${problem.families.length}`,
        `${s.sessionsPlaced}/${s.sessionsRequested}`,
        s.sessionsBelowMinimum ?? '',
        s.sessionsProvenOptimal
          ? 'proven optimal'
          : `bound ≤ ${s.sessionsPlacedUpperBound ?? ''} placed, ≥ ${s.sessionsBelowMinimumLowerBound ?? ''} below min`,
        s.travelMinutes,
        times.map((t, i) => `${t.toFixed(0)} (${(cpus[i] ?? 0).toFixed(0)})`).join(', '),
      ]);
    }
    printTable(
      `POST /weeks/{week}/plan on DynamoDB Local, exact phase included (${RUNS} runs each, in process; the first run of the process loads HiGHS)`,
      ['team', 'staff/families', 'placed/requested', 'below min', '(a)/(b)', 'travel min', 'ms per run: wall (process CPU)'],
      rows,
    );
  } finally {
    await env.dynamo.stop();
  }
}

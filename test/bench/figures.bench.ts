import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { benchClaims, benchEnvironment, handlerCaller } from './local-api.js';
import { percentile, printTable } from './stats.js';

const clock = '2026-11-23T08:00:00.000Z';
const teams = 40;
const places = ['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm'];

/** A deterministic pseudo-random sequence, so every run measures the same dataset. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/**
 * 3 years × ~30 cases per team: each case's FIGCASE item exactly as the transactions write it
 * (16 weeks of 4–5 done visits, some cancellations by family/team, no-shows).
 */
function caseItems(teamId: string, seed: number): Record<string, unknown>[] {
  const r = rng(seed);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 90; i++) {
    const referral = DateTime.fromISO('2023-12-01', { zone: 'utc' }).plus({ days: Math.floor(r() * 1050) });
    const start = referral.plus({ days: 5 + Math.floor(r() * 30) });
    const end = start.plus({ weeks: 16 });
    const declined = r() < 0.25;
    const completed = !declined && end.toFormat('yyyy-MM-dd') < '2026-11-23';
    const item: Record<string, unknown> = {
      pk: `TEAM#${teamId}`,
      sk: `FIGCASE#B${String(i).padStart(3, '0')}`,
      rev: 1,
      referralDate: referral.toISODate(),
      source: r() < 0.7 ? 'socialtjanst' : 'bup',
      place: places[Math.floor(r() * 4)],
      age: 12 + Math.floor(r() * 7),
      gender: r() < 0.7 ? 'girl' : 'boy',
      minSessions: 4,
      status: declined ? 'declined' : completed ? 'completed' : start.toFormat('yyyy-MM-dd') < '2026-11-23' ? 'active' : 'accepted',
      ...(declined ? { declineReason: 'outside_target_group' } : { start: start.toISODate() }),
      ...(completed
        ? {
            end: end.toISODate(),
            completion: r() < 0.8 ? 'as_planned' : 'ended_early_family',
            outcomes: { schoolAttendance: 'increased', continuedCare: 'both' },
          }
        : {}),
    };
    if (!declined) {
      for (let w = 0; w < 16; w++) {
        const week = start.plus({ weeks: w });
        item[`c.done:${week.toFormat("kkkk-'W'WW")}:family`] = 2 + Math.floor(r() * 2);
        item[`c.done:${week.toFormat("kkkk-'W'WW")}:individual`] = 2;
        if (r() < 0.3) item[`c.cancel:${week.toFormat('yyyy-MM')}:${r() < 0.6 ? 'family' : 'team'}:illness`] = 1;
        if (r() < 0.1) item[`c.noshow:${week.toFormat('yyyy-MM')}`] = 1;
      }
    }
    out.push(item);
  }
  return out;
}

/**
 * GET /network/figures over all 40 teams, every one opted in through the real route: one Query of the registry, one
 * BatchGet of the teams, then each team's figures with the same Query GET /figures uses (8 at a time), summed and suppressed.
 */
async function measureNetworkFigures(callAs: Awaited<ReturnType<typeof handlerCaller>>): Promise<void> {
  for (let t = 0; t < teams; t++) {
    const opted = await callAs('PUT', `/teams/bench-${t}/network`, { version: 1, participating: true });
    if (opted.status !== 200) throw new Error(JSON.stringify(opted.body));
  }
  const { handlers } = await import('../../infra/local/handlers.js');
  const { httpEvent, lambdaContext } = await import('../../infra/local/http-event.js');
  const { routes } = await import('../../shared/http/routes.js');
  const { defaultDeps } = await import('../../shared/use-cases/deps.js');
  const { networkFiguresWithCapacity } = await import('../../shared/use-cases/network.js');
  const period = { from: '2024-01', to: '2026-12' };
  const latencies: number[] = [];
  let rows = 0;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < 20; i++) {
    const event = httpEvent({
      route: routes.getNetworkFigures,
      path: '/network/figures',
      pathParameters: {},
      query: period,
      claims: benchClaims.coordinator('bench-0'),
    });
    const t0 = performance.now();
    const res = await handlers.getNetworkFigures(event, lambdaContext('getNetworkFigures'));
    latencies.push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(String(res.body));
    rows = (JSON.parse(String(res.body)) as { teams: unknown[] }).teams.length;
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuPerRequest = (cpu.user + cpu.system) / 1000 / latencies.length;
  const { readCapacity } = await networkFiguresWithCapacity(
    defaultDeps(),
    { subject: 'bench', teamId: 'bench-0', staffId: 'coord', groups: new Set(['coordinator']) },
    period,
  );
  printTable(
    `GET /network/figures, ${rows} participating teams, 3 years (DynamoDB Local)`,
    ['requests', 'p50 ms', 'p95 ms', 'read capacity per request (RCU)', 'handler CPU per request ms'],
    [
      [
        latencies.length,
        percentile(latencies, 50).toFixed(0),
        percentile(latencies, 95).toFixed(0),
        readCapacity.toFixed(1),
        cpuPerRequest.toFixed(0),
      ],
    ],
  );
  console.log(
    `(load average while measuring: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores)`,
  );
}

export async function run(): Promise<void> {
  const env = await benchEnvironment(clock);
  try {
    const { dbFromEnv } = await import('../../shared/store/client.js');
    const { foldCaseFigures, readTeamFigureItems } = await import('../../shared/store/figures.js');
    const db = dbFromEnv();
    const callAs = await handlerCaller(benchClaims.admin);
    for (let t = 0; t < teams; t++) {
      const id = `bench-${t}`;
      const created = await callAs('POST', '/teams', {
        id,
        name: `IKB ${id}`,
        places,
        travelMinutes: Object.fromEntries(places.map((a) => [a, Object.fromEntries(places.map((b) => [b, a === b ? 0 : 30]))])),
        defaultWorkingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })),
      });
      if (created.status !== 201) throw new Error(JSON.stringify(created.body));
      const items = caseItems(id, t + 1);
      for (let i = 0; i < items.length; i += 25)
        await db.doc.send(
          new BatchWriteCommand({ RequestItems: { [db.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }),
        );
    }
    // The measured team has had its 2024 cases purged: their contributions live in the monthly rollups.
    const team = 'bench-0';
    let folded = 0;
    for (const c of (await readTeamFigureItems(db, team)).cases.entries())
      if (c[0] < 30) folded += (await foldCaseFigures(db, team, `B${String(c[0]).padStart(3, '0')}`, '2026-11-23')) === 'folded' ? 1 : 0;

    const { handlers } = await import('../../infra/local/handlers.js');
    const { httpEvent, lambdaContext } = await import('../../infra/local/http-event.js');
    const { routes } = await import('../../shared/http/routes.js');
    const get = async (from: string, to: string) => {
      const event = httpEvent({
        route: routes.getFigures,
        path: '/figures',
        pathParameters: {},
        query: { from, to },
        claims: benchClaims.coordinator(team),
      });
      return handlers.getFigures(event, lambdaContext('getFigures'));
    };
    const latencies: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      const res = await get('2024-01', '2026-12');
      latencies.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(String(res.body));
    }
    const capacity = (await readTeamFigureItems(db, team)).readCapacity;
    printTable(
      `GET /figures, one team, 3 years (90 cases, ${folded} folded into rollups; ${teams} teams in the table; DynamoDB Local)`,
      ['requests', 'p50 ms', 'p95 ms', 'read capacity per request (RCU)'],
      [[latencies.length, percentile(latencies, 50).toFixed(1), percentile(latencies, 95).toFixed(1), capacity.toFixed(1)]],
    );

    // The printable report: the same Query, plus the per-case charts and the HTML (the shared version also reads the threshold).
    const reportRows: (string | number)[][] = [];
    for (const share of [false, true]) {
      const query = { from: '2024-01', to: '2026-12', ...(share ? { share: 'true' } : {}) };
      const event = httpEvent({
        route: routes.getFiguresReport,
        path: '/figures/report',
        pathParameters: {},
        query,
        claims: benchClaims.coordinator(team),
      });
      const times: number[] = [];
      let bytes = 0;
      let charts = 0;
      for (let i = 0; i < 40; i++) {
        const t0 = performance.now();
        const res = await handlers.getFiguresReport(event, lambdaContext('getFiguresReport'));
        times.push(performance.now() - t0);
        if (res.statusCode !== 200) throw new Error(String(res.body));
        bytes = Buffer.byteLength(String(res.body));
        charts = (String(res.body).match(/<svg /g) ?? []).length;
      }
      // RCU: the FIG Query (as measured above) + the team's GetItem (eventually consistent, < 4 KB: 0.5) + when shared the retention settings' (consistent: 1).
      reportRows.push([
        share ? 'shared (?share=true)' : 'internal',
        times.length,
        percentile(times, 50).toFixed(1),
        percentile(times, 95).toFixed(1),
        (capacity + (share ? 1.5 : 0.5)).toFixed(1),
        (bytes / 1024).toFixed(0),
        charts,
      ]);
    }
    printTable(
      `GET /figures/report, same team, 2024-01..2026-12`,
      ['version', 'requests', 'p50 ms', 'p95 ms', 'RCU per request', 'HTML KiB', 'SVG charts'],
      reportRows,
    );
    await measureNetworkFigures(callAs);
  } finally {
    await env.dynamo.stop();
  }
}

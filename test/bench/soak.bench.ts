import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { percentile, printTable } from './stats.js';

/**
 * Soak: the local system (`npm start`'s API server, DynamoDB Local, aws-ses-v2-local, the SMS outbox and the
 * every-minute dispatcher) under 20 concurrent clients of mixed coordinator and therapist traffic for
 * SOAK_SECONDS (default 300 = 5 minutes). Reports requests served, latency percentiles, 5xx count and the
 * memory of the process that serves the API (the clients are plain fetch loops in the same process).
 */
const clients = 20;
const seconds = Number(process.env.SOAK_SECONDS ?? 300);
const zone = 'Europe/Stockholm';

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ikb-soak-'));
  process.env.IKB_LOCAL_DIR = dir;
  process.env.LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const { startLocalSystem } = await import('../../infra/local/system.js');
  const system = await startLocalSystem({ port: 0, keyPath: join(dir, 'dev-key.json') });
  const memory = (label: string) => ({ label, rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed });
  try {
    const tokenOf = (pred: (groups: readonly string[]) => boolean) =>
      system.tokens.filter((t) => pred(t.identity.groups)).map((t) => ({ token: t.token, staffId: t.identity.staffId ?? '' }));
    const coordinators = tokenOf((g) => g.includes('coordinator'));
    const therapists = tokenOf((g) => g.includes('therapist'));
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let serverErrors = 0;
    const request = async (token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
      const t0 = performance.now();
      const res = await fetch(`${system.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      latencies.push(performance.now() - t0);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) serverErrors += 1;
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    };
    const coordinator = coordinators[0];
    if (!coordinator) throw new Error('no coordinator token');
    const families = ((await request(coordinator.token, 'GET', '/families')).body as { families: { code: string; status: string }[] }).families
      .filter((f) => f.status === 'active')
      .map((f) => f.code);
    const today = DateTime.now().setZone(zone).startOf('day');
    const week = (d: DateTime) => `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;
    const deadline = performance.now() + seconds * 1000;
    const start = memory('start');

    const coordinatorLoop = async (token: string) => {
      while (performance.now() < deadline) {
        const day = today.plus({ days: 1 + Math.floor(Math.random() * 20) });
        const r = Math.random();
        if (r < 0.35) {
          const hour = 15 + Math.floor(Math.random() * 4);
          const booked = await request(token, 'POST', '/visits', {
            family: pick(families),
            kind: pick(['family', 'individual', 'joint']),
            start: day.set({ hour }).toFormat("yyyy-MM-dd'T'HH:mm"),
            end: day.set({ hour: hour + 1 }).toFormat("yyyy-MM-dd'T'HH:mm"),
          });
          if (booked.status !== 201) continue;
          const visit = booked.body as { id: string; version: number };
          if (Math.random() < 0.5) {
            const to = day.plus({ days: 1 }).set({ hour: 16 });
            await request(token, 'PATCH', `/visits/${visit.id}`, {
              version: visit.version,
              start: to.toFormat("yyyy-MM-dd'T'HH:mm"),
              end: to.plus({ hours: 1 }).toFormat("yyyy-MM-dd'T'HH:mm"),
            });
          } else await request(token, 'POST', `/visits/${visit.id}/cancel`, { version: visit.version, by: 'family', reason: 'illness' });
        } else if (r < 0.7) await request(token, 'GET', `/visits?week=${week(day)}`);
        else if (r < 0.85) await request(token, 'GET', '/families');
        else await request(token, 'GET', '/reminders?status=failed');
      }
    };
    const therapistLoop = async (therapist: { token: string; staffId: string }) => {
      while (performance.now() < deadline) {
        const from = today.plus({ days: Math.floor(Math.random() * 14) });
        if (Math.random() < 0.6)
          await request(
            therapist.token,
            'GET',
            `/visits?staff=${therapist.staffId}&from=${from.toISODate() ?? ''}&to=${from.plus({ days: 6 }).toISODate() ?? ''}`,
          );
        else await request(therapist.token, 'GET', `/meetings?from=${from.toISODate() ?? ''}&to=${from.plus({ days: 6 }).toISODate() ?? ''}`);
      }
    };
    // Half the clients coordinate, half are therapists looking at their schedules; the dispatcher runs every minute.
    await Promise.all(
      Array.from({ length: clients }, (_, i) => (i % 2 === 0 ? coordinatorLoop(pick(coordinators).token) : therapistLoop(pick(therapists)))),
    );
    const end = memory('end');
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    printTable(
      `Soak: ${clients} concurrent clients against the local system for ${seconds} s`,
      ['measure', 'value'],
      [
        ['requests served', latencies.length],
        ['requests/s', (latencies.length / seconds).toFixed(0)],
        ['p50 latency (ms)', percentile(latencies, 50).toFixed(1)],
        ['p95 latency (ms)', percentile(latencies, 95).toFixed(1)],
        ['p99 latency (ms)', percentile(latencies, 99).toFixed(1)],
        ['5xx responses', serverErrors],
        [
          'statuses',
          [...statuses.entries()]
            .sort((a, b) => a[0] - b[0])
            .map(([s, n]) => `${s}: ${n}`)
            .join(', '),
        ],
        ['server process RSS start → end (MiB)', `${mb(start.rss)} → ${mb(end.rss)}`],
        ['server process heap used start → end (MiB)', `${mb(start.heap)} → ${mb(end.heap)}`],
      ],
    );
    if (serverErrors > 0) process.exitCode = 1;
  } finally {
    await system.stop();
  }
}

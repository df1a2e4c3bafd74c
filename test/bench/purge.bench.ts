import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { benchClaims, benchEnvironment, handlerCaller } from './local-api.js';
import { printTable } from './stats.js';

const clock = '2026-11-23T08:00:00.000Z';
const teams = Number(process.env.PURGE_BENCH_TEAMS ?? 6);
const casesPerTeam = 90;
const places = ['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm'];

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/**
 * One team's 3 years (Dec 2023 – Nov 2026) as the transactions leave them: per case the family record and its FIGCASE
 * item, 5 family audit entries, and (unless declined) 16 weeks × 4 visits, each with 2 audit entries, a FAMILYDAY guard,
 * a sent reminder record and its engagement on both therapists' STAFFDAY items.
 */
function teamItems(teamId: string, seed: number, letter: string): Record<string, unknown>[] {
  const r = rng(seed);
  const pk = `TEAM#${teamId}`;
  const out: Record<string, unknown>[] = [];
  const staffDays = new Map<string, Record<string, unknown>>();
  const at = '2026-01-01T00:00:00.000Z';
  for (let i = 0; i < casesPerTeam; i++) {
    const code = `BN${letter}-2024-${String(i).padStart(3, '0')}`;
    const referral = DateTime.fromISO('2023-12-01', { zone: 'utc' }).plus({ days: Math.floor(r() * 1050) });
    const start = referral.plus({ days: 5 + Math.floor(r() * 30) });
    const end = start.plus({ weeks: 16 });
    const declined = r() < 0.25;
    const completed = !declined && (end.toISODate() ?? '') < '2026-11-23';
    const status = declined ? 'declined' : completed ? 'completed' : 'active';
    const pair = [`ft${i % 4}`, `it${i % 4}`];
    out.push({
      pk,
      sk: `FAMILY#${code}`,
      gsi1pk: `${pk}#FAMILY_STATUS#${status}`,
      gsi1sk: `FAMILY#${code}`,
      teamId,
      code,
      place: places[i % 4],
      referral: { source: 'bup', date: referral.toISODate() },
      ageAtStart: 15,
      familyTherapist: pair[0],
      individualTherapist: pair[1],
      sessions: [
        { kind: 'family', count: 2, minutes: 90 },
        { kind: 'individual', count: 2, minutes: 60 },
      ],
      minSessions: 4,
      windows: [{ weekday: 1, start: '15:00', end: '20:00' }],
      maxSessionsPerDay: 1,
      treatmentWeeks: 16,
      status,
      ...(declined
        ? { declineReason: 'outside_target_group', declinedOn: referral.plus({ days: 7 }).toISODate() }
        : { treatmentStart: start.toISODate(), treatmentEnd: end.toISODate() }),
      ...(completed ? { completion: { type: 'as_planned' } } : {}),
      version: 5,
      createdAt: at,
      updatedAt: at,
    });
    const fig: Record<string, unknown> = {
      pk,
      sk: `FIGCASE#${code}`,
      rev: 1,
      referralDate: referral.toISODate(),
      source: 'bup',
      place: places[i % 4],
      age: 15,
      gender: 'girl',
      minSessions: 4,
      status,
      ...(declined ? { declineReason: 'outside_target_group' } : { start: start.toISODate() }),
      ...(completed ? { end: end.toISODate(), completion: 'as_planned' } : {}),
    };
    for (let a = 0; a < 5; a++)
      out.push({
        pk: `${pk}#AUDIT`,
        sk: `FAMILY#${code}#${at}#${String(a + 1).padStart(8, '0')}#${randomUUID()}`,
        teamId,
        entity: 'family',
        entityId: code,
        action: 'update',
        actor: 'coord',
        at,
        before: { code, place: 'Kalmar' },
        after: { code, place: 'Kalmar' },
      });
    if (!declined) {
      for (let w = 0; w < 16; w++) {
        for (let v = 0; v < 4; v++) {
          const day = start.plus({ weeks: w, days: v });
          if (completed === false && (day.toISODate() ?? '') >= '2026-11-23') continue;
          const date = day.toISODate() ?? '';
          const id = randomUUID();
          const s = `${date}T15:00:00.000Z`;
          const week = day.toFormat("kkkk-'W'WW");
          fig[`c.done:${week}:family`] = ((fig[`c.done:${week}:family`] as number | undefined) ?? 0) + 1;
          out.push({
            pk,
            sk: `VISIT#${id}`,
            gsi1pk: `${pk}#FAMILY_VISITS#${code}`,
            gsi1sk: `${s}#${id}`,
            gsi2pk: `${pk}#CALENDAR`,
            gsi2sk: `${s}#VISIT#${id}`,
            teamId,
            id,
            family: code,
            kind: 'family',
            staff: pair,
            start: s,
            end: `${date}T16:30:00.000Z`,
            startLocal: `${date}T16:00`,
            endLocal: `${date}T17:30`,
            week,
            place: places[i % 4],
            status: 'done',
            version: 2,
            createdAt: at,
            updatedAt: at,
          });
          for (let a = 1; a <= 2; a++)
            out.push({
              pk: `${pk}#AUDIT`,
              sk: `VISIT#${id}#${at}#${String(a).padStart(8, '0')}#${randomUUID()}`,
              teamId,
              entity: 'visit',
              entityId: id,
              action: a === 1 ? 'create' : 'outcome',
              actor: 'coord',
              at,
              after: { id, family: code, version: a },
            });
          out.push({
            pk,
            sk: `FAMILYDAY#${code}#${date}`,
            teamId,
            owner: code,
            date,
            engagements: [{ ref: `visit:${id}`, type: 'visit', start: s, end: s, place: 'Kalmar', version: 1, updatedAt: at, family: code }],
            version: 1,
          });
          out.push({
            pk: `${pk}#REMINDERS`,
            sk: `visit#${id}#${pair[0] ?? ''}#${s}`,
            teamId,
            id: `visit#${id}#${pair[0] ?? ''}#${s}`,
            kind: 'visit',
            channel: 'sms',
            staffId: pair[0],
            visitId: id,
            status: 'sent',
            attempts: 1,
            dueAt: s,
            usefulUntil: s,
            sentAt: s,
            version: 2,
            createdAt: s,
            updatedAt: s,
            expiresAt: 0,
          });
          for (const staffId of pair) {
            const key = `STAFFDAY#${staffId}#${date}`;
            const dayItem = staffDays.get(key) ?? { pk, sk: key, teamId, owner: staffId, date, engagements: [] as unknown[], version: 1 };
            (dayItem['engagements'] as unknown[]).push({
              ref: `visit:${id}`,
              type: 'visit',
              start: s,
              end: s,
              place: 'Kalmar',
              version: 1,
              updatedAt: at,
              family: code,
              visitKind: 'family',
            });
            staffDays.set(key, dayItem);
          }
        }
      }
    }
    out.push(fig);
  }
  return [...out, ...staffDays.values()];
}

export async function run(): Promise<void> {
  const env = await benchEnvironment(clock);
  try {
    const { dbFromEnv } = await import('../../shared/store/client.js');
    const { purgeTeam } = await import('../../shared/use-cases/purge.js');
    const { getTeam } = await import('../../shared/store/teams.js');
    const db = dbFromEnv();
    const callAs = await handlerCaller(benchClaims.admin);
    let seeded = 0;
    for (let t = 0; t < teams; t++) {
      const id = `bench-${t}`;
      const created = await callAs('POST', '/teams', {
        id,
        name: `IKB ${id}`,
        places,
        travelMinutes: Object.fromEntries(places.map((a) => [a, Object.fromEntries(places.map((b) => [b, a === b ? 0 : 30]))])),
      });
      if (created.status !== 201) throw new Error(JSON.stringify(created.body));
      const items = teamItems(id, t + 1, String.fromCharCode(65 + (t % 26)) + (t >= 26 ? String.fromCharCode(65 + Math.floor(t / 26)) : ''));
      seeded += items.length;
      for (let i = 0; i < items.length; i += 25)
        await db.doc.send(
          new BatchWriteCommand({ RequestItems: { [db.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }),
        );
    }
    // Every request the purge sends, and the write capacity its writes consume (ReturnConsumedCapacity set on each).
    let requests = 0;
    let writeUnits = 0;
    db.doc.middlewareStack.add(
      (next, context) => async (args) => {
        requests += 1;
        // DynamoDB Local reports no consumed capacity for writes, so count it as DynamoDB bills an item of up to 1 KB:
        // 1 WCU per item put or deleted, 2 in a transaction (a lower bound for larger items such as a busy staff day).
        const input = args.input as { RequestItems?: Record<string, unknown[]>; TransactItems?: unknown[] };
        // The document client's commands reach this stack as the low-level client's (BatchWriteItemCommand, …).
        const command = (context.commandName ?? '').replace(/ItemCommand$|ItemsCommand$/, 'Command');
        if (command === 'BatchWriteCommand') writeUnits += Object.values(input.RequestItems ?? {}).reduce((n, list) => n + list.length, 0);
        else if (command === 'TransactWriteCommand') writeUnits += 2 * (input.TransactItems?.length ?? 0);
        else if (['PutCommand', 'DeleteCommand', 'UpdateCommand'].includes(command)) writeUnits += 1;
        const result = await next(args);
        return result;
      },
      { step: 'initialize', name: 'purgeBenchCounter' },
    );
    const deps = { db, now: () => new Date(clock), newId: () => randomUUID() };
    let cases = 0;
    let items = 0;
    const t0 = performance.now();
    for (let t = 0; t < teams; t++) {
      const team = await getTeam(db, `bench-${t}`);
      if (!team) throw new Error('no team');
      const receipt = await purgeTeam(deps, team, { asOf: '2027-12-01', actor: 'bench' });
      const c = receipt.counts;
      cases += c.cases + c.declinedReferrals;
      items += c.cases + c.declinedReferrals + c.figuresFolded + c.visits + c.dayItems + c.reminders + c.auditEntries;
    }
    const seconds = (performance.now() - t0) / 1000;
    printTable(
      `Purge as of 2027-12-01: ${teams} teams × 3 years (${seeded} items seeded; DynamoDB Local, one process, teams one after another)`,
      ['cases purged', 'items removed or rewritten', 'seconds', 'items/s', 'cases/s', 'DynamoDB requests per case', 'WCU per case (≥)'],
      [
        [
          cases,
          items,
          seconds.toFixed(1),
          (items / seconds).toFixed(0),
          (cases / seconds).toFixed(1),
          (requests / cases).toFixed(1),
          (writeUnits / cases).toFixed(1),
        ],
      ],
    );
  } finally {
    await env.dynamo.stop();
  }
}

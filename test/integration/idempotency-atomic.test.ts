import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../shared/http/routes.js';
import { dbFromEnv } from '../../shared/store/client.js';
import type { Caller, CallOptions } from '../helpers/api.js';
import { admin, call, useTable } from '../helpers/api.js';
import { activeFamily, familyBody, seedTeam, staffBody, teamBody } from '../helpers/fixtures.js';

/*
 * Issue 24 §1, for every idempotent route: the key's record is completed with its answer INSIDE the transaction of the
 * write it guards — a keyed request's last DynamoDB request is that TransactWriteItems (no separate write after it
 * that a crash could miss), or, for the routes that commit in several steps, each step's transaction notes it in the
 * record (the crash test kills those at every step). The commands are recorded on the one DynamoDB client the handlers
 * use in this process.
 */

useTable();

const team = 'atomic-a';
let coordinator: Caller;
const sent: string[] = [];
beforeAll(async () => {
  ({ coordinator } = await seedTeam(team));
  dbFromEnv().doc.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      sent.push(String(context.commandName));
      return out;
    },
    { step: 'initialize', name: 'recordCommands' },
  );
});

async function record(pk: string, routeId: string): Promise<Record<string, unknown>[]> {
  const db = dbFromEnv();
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': pk, ':p': `${routeId}#` },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

/** Sends a keyed request and returns its answer's body, the DynamoDB commands it sent and the key's record. */
async function keyed(method: string, path: string, options: CallOptions): Promise<{ body: unknown; commands: string[] }> {
  sent.length = 0;
  const res = await call(method, path, { ...options, headers: { 'idempotency-key': randomUUID() } });
  const commands = [...sent];
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  const routeId = allRoutes.find((r) => r.method === method && new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path))?.id ?? '';
  const pk = options.as?.team ? `TEAM#${options.as.team}#IDEMPOTENCY` : 'PLATFORM#IDEMPOTENCY';
  const records = (await record(pk, routeId)).filter((r) => (r['response'] as { body?: string } | undefined)?.body === res.text);
  expect(records, `${routeId}: one completed record holding the answer`).toHaveLength(1);
  expect(records[0]).toMatchObject({ idempotencyStatus: 'COMPLETED', response: { statusCode: res.status } });
  expect(records[0]).not.toHaveProperty('attempt');
  return { body: res.body, commands };
}

const completesInItsTransaction = (commands: string[]) => expect(commands.at(-1), commands.join(', ')).toBe('TransactWriteItemsCommand');

describe('every idempotent route completes its key’s record in the transaction of its write (issue 24 §1)', () => {
  it('teams, staff, deactivation', async () => {
    completesInItsTransaction((await keyed('POST', '/teams', { as: admin, body: teamBody('atomic-b') })).commands);
    completesInItsTransaction((await keyed('POST', '/staff', { as: coordinator, body: staffBody('nils', 'family_therapist') })).commands);
    completesInItsTransaction((await keyed('POST', '/staff/nils/deactivate', { as: coordinator, body: { version: 1 } })).commands);
  });

  it('families: create, a status change, the tally, erasure', async () => {
    completesInItsTransaction((await keyed('POST', '/families', { as: coordinator, body: familyBody('ATO-2026-01') })).commands);
    completesInItsTransaction(
      (await keyed('POST', '/families/ATO-2026-01/status', { as: coordinator, body: { to: 'accepted', version: 1 } })).commands,
    );
    completesInItsTransaction(
      (await keyed('POST', '/families/ATO-2026-01/tally', { as: coordinator, body: { version: 2, concerns: ['drugs'], diagnoses: ['adhd'] } }))
        .commands,
    );
    // Erasure notes itself in the record before its batch deletes, and its receipt commits with the answer.
    const erased = await keyed('POST', '/families/ATO-2026-01/erase', { as: coordinator, body: { version: 3, figures: 'discard' } });
    expect(erased.commands[0]).toBe('UpdateItemCommand');
    completesInItsTransaction(erased.commands);
  });

  it('visits: book, cancel, outcome, and a replan commit', async () => {
    await activeFamily(coordinator, 'ATO-2026-02');
    const booked = await keyed('POST', '/visits', {
      as: coordinator,
      body: { family: 'ATO-2026-02', kind: 'family', start: '2026-11-25T15:00', end: '2026-11-25T16:30' },
    });
    completesInItsTransaction(booked.commands);
    const id = (booked.body as { id: string }).id;
    completesInItsTransaction(
      (await keyed('POST', `/visits/${id}/cancel`, { as: coordinator, body: { version: 1, by: 'family', reason: 'illness' } })).commands,
    );
    const past = (
      await call('POST', '/visits', {
        as: coordinator,
        body: { family: 'ATO-2026-02', kind: 'individual', start: '2026-11-10T15:00', end: '2026-11-10T16:00' },
      })
    ).body as { id: string };
    completesInItsTransaction(
      (await keyed('POST', `/visits/${past.id}/outcome`, { as: coordinator, body: { version: 1, status: 'done' } })).commands,
    );
    const next = (
      await call('POST', '/visits', {
        as: coordinator,
        body: { family: 'ATO-2026-02', kind: 'joint', start: '2026-11-26T15:00', end: '2026-11-26T16:30' },
      })
    ).body as { id: string };
    completesInItsTransaction(
      (
        await keyed('POST', '/weeks/2026-W48/replan/commit', {
          as: coordinator,
          body: { moves: [{ visit: next.id, version: 1, start: '2026-11-27T15:00', end: '2026-11-27T16:30' }] },
        })
      ).commands,
    );
  });

  it('meetings: book and cancel one', async () => {
    const meeting = await keyed('POST', '/meetings', {
      as: coordinator,
      body: {
        title: 'Konsultation',
        kind: 'consultation',
        mode: 'online',
        videoLink: 'https://video.example/ikb',
        staff: ['coord'],
        start: '2026-11-30T10:00',
        end: '2026-11-30T11:00',
      },
    });
    completesInItsTransaction(meeting.commands);
    const id = (meeting.body as { id: string }).id;
    completesInItsTransaction((await keyed('POST', `/meetings/${id}/cancel`, { as: coordinator, body: { version: 1 } })).commands);
  });

  it('the multi-step routes note each committed step in its own transaction, then complete', async () => {
    const series = await keyed('POST', '/meeting-series', {
      as: coordinator,
      body: {
        title: 'Avstämning',
        kind: 'national_checkin',
        mode: 'online',
        videoLink: 'https://video.example/ikb',
        staff: ['coord'],
        spec: {
          recurrence: { freq: 'weekly', interval: 1, weekday: 2, time: '13:00' },
          durationMinutes: 60,
          startDate: '2026-12-01',
          untilDate: '2026-12-15',
          holidayPolicy: 'skip',
        },
      },
    });
    expect(series.commands.at(-1)).toBe('UpdateItemCommand');
    const { series: created } = series.body as { series: { id: string; version: number } };
    const changed = await keyed('POST', `/meeting-series/${created.id}/change`, {
      as: coordinator,
      body: { version: created.version, fromDate: '2026-12-08', title: 'Avstämning (ny tid)' },
    });
    expect(changed.body).toMatchObject({ cancelled: 2, series: { title: 'Avstämning (ny tid)' } });
  });
});

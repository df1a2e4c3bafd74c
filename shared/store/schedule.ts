import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DaySchedule } from '../schemas/engagement.js';
import { DaySchedule as DayScheduleSchema } from '../schemas/engagement.js';
import type { AuditEntry } from '../schemas/family.js';
import { auditItem } from './audit.js';
import type { Db } from './client.js';
import { batchGet, queryItems, queryPrefix, withoutKeys } from './query.js';
import { keys } from './table-design.js';
import pMap from 'p-map';
import { redactCodeIn, redactedCode } from '../domain/retention.js';
import type { PurgeRun, TableKey } from './purge.js';
import { getRaw, keyOf, replaceAtVersion } from './purge.js';

/** Whose day: a staff member's (travel rules) or a family's (at most N visits, never two at once). */
export interface DayRef {
  owner: 'staff' | 'family';
  id: string;
  date: string;
}

const dayKey = (teamId: string, ref: DayRef) =>
  ref.owner === 'staff' ? keys.staffDay(teamId, ref.id, ref.date) : keys.familyDay(teamId, ref.id, ref.date);
export const dayRefKey = (ref: DayRef): string => `${ref.owner}#${ref.id}#${ref.date}`;

/** Reads day schedules by key (BatchGet); a day never written comes back empty at version 0. */
export async function readDays(db: Db, teamId: string, refs: readonly DayRef[]): Promise<Map<string, DaySchedule>> {
  const unique = [...new Map(refs.map((r) => [dayRefKey(r), r])).values()];
  const found = new Map<string, DaySchedule>();
  for (const item of await batchGet(
    db,
    unique.map((r) => dayKey(teamId, r)),
  )) {
    const day = DayScheduleSchema.parse(withoutKeys(item));
    const owner = String(item['sk']).startsWith('STAFFDAY#') ? 'staff' : 'family';
    found.set(dayRefKey({ owner, id: day.owner, date: day.date }), day);
  }
  return new Map(unique.map((r) => [dayRefKey(r), found.get(dayRefKey(r)) ?? { teamId, owner: r.id, date: r.date, engagements: [], version: 0 }]));
}

/** A staff member's days in a local-date range (one Query on the team partition). */
export async function staffDaysBetween(db: Db, teamId: string, staffId: string, from: string, to: string): Promise<DaySchedule[]> {
  const prefix = keys.staffDayPrefix(staffId);
  const items = await queryItems(db, { partition: keys.team(teamId).pk, between: [`${prefix}${from}`, `${prefix}${to}`] });
  return items.map((item) => DayScheduleSchema.parse(withoutKeys(item)));
}

/** A record written with a booking: a new one (expectedVersion undefined) or an update of the version read. */
export interface RecordWrite {
  item: Record<string, unknown>;
  expectedVersion: number | undefined;
}

export class StaleRecordError extends Error {}
export class DaysChangedError extends Error {}

/**
 * Writes records, the day schedules they change and their audit entries in ONE transaction. Each day is
 * written only if its version is still the one read, so two bookings that read the same day cannot both
 * succeed: that is what makes double booking impossible under concurrency, not a check before the write.
 */
export async function commitBooking(
  db: Db,
  teamId: string,
  records: readonly RecordWrite[],
  days: readonly { ref: DayRef; day: DaySchedule; expectedVersion: number }[],
  audits: readonly { entry: AuditEntry; id: string }[],
  /** More record writes in the same transaction (e.g. the case's figure item); a failed condition there counts as a stale record. */
  extra: NonNullable<TransactWriteCommandInput['TransactItems']> = [],
): Promise<void> {
  const recordItems = records.map((r) => ({
    Put: {
      TableName: db.tableName,
      Item: r.item,
      ...(r.expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': r.expectedVersion } }),
    },
  }));
  const dayItems = days.map((d) => ({
    Put: {
      TableName: db.tableName,
      Item: { ...dayKey(teamId, d.ref), ...d.day },
      ...(d.expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': d.expectedVersion } }),
    },
  }));
  const auditItems = audits.map((a) => ({
    Put: { TableName: db.tableName, Item: auditItem(a.entry, a.id), ConditionExpression: 'attribute_not_exists(pk)' },
  }));
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: [...recordItems, ...extra, ...dayItems, ...auditItems] }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      if (reasons.slice(0, recordItems.length + extra.length).some((r) => r.Code === 'ConditionalCheckFailed'))
        throw new StaleRecordError('record changed');
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) throw new DaysChangedError('day changed');
    }
    throw error;
  }
}

/*
 * The purge's operations on day guards (§10). A staff day stays (it guards other bookings): the purge takes a purged
 * case's visits and an expired meeting off it, and redacts a purged code in a meeting on it, each day rewritten under
 * its version (counted as dayItems), re-read where it changed meanwhile. A family's days go with its case.
 */
type DayItem = Readonly<Record<string, unknown>>;
type DayTransform = (day: DayItem) => Record<string, unknown> | undefined;

/** Reads a purge keeps in flight at once within one step (its writes go one transaction after another: each adds to the receipt). */
const inFlight = 8;

async function rewriteDays(run: PurgeRun, days: readonly { key: TableKey; transform: DayTransform }[]): Promise<void> {
  let pending = days;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= 5) throw new Error('a staff day kept changing during the purge');
    const items = await pMap(pending, ({ key }) => getRaw(run.db, key), { concurrency: inFlight });
    const writes = pending.flatMap((day, i) => {
      const item = items[i];
      const next = item ? day.transform(item) : undefined;
      if (!item || !next) return [];
      const version = typeof item['version'] === 'number' ? item['version'] : 0;
      return [{ day, op: replaceAtVersion(run.db, { ...next, version: version + 1, changedAt: run.now().toISOString() }, version) }];
    });
    const changed = await run.each(
      writes.map((w) => w.op),
      'dayItems',
    );
    pending = changed.flatMap((i) => (writes[i] ? [writes[i].day] : []));
  }
}

/** A visit or meeting as far as its staff days go: who, and its local start and end. */
export interface OnStaffDays {
  id: string;
  staff: readonly string[];
  startLocal: string;
  endLocal: string;
}
const datesOf = (record: OnStaffDays): string[] => [
  ...new Set([record.startLocal.slice(0, 10), record.endLocal.slice(0, 10)].filter((d) => d !== '')),
];
const engagementsOf = (day: DayItem): unknown[] => (Array.isArray(day['engagements']) ? (day['engagements'] as unknown[]) : []);
const refOf = (engagement: unknown): unknown =>
  typeof engagement === 'object' && engagement !== null ? (engagement as Record<string, unknown>)['ref'] : undefined;

/** Purge: takes these visits or meetings off their staff members' days (a past day keeps the rest). */
export async function forgetEngagements(run: PurgeRun, teamId: string, type: 'visit' | 'meeting', records: readonly OnStaffDays[]): Promise<void> {
  const byDay = new Map<string, { key: TableKey; refs: Set<string> }>();
  for (const record of records) {
    for (const staffId of record.staff) {
      for (const date of datesOf(record)) {
        const key = keys.staffDay(teamId, staffId, date);
        const entry = byDay.get(key.sk) ?? { key, refs: new Set<string>() };
        entry.refs.add(`${type}:${record.id}`);
        byDay.set(key.sk, entry);
      }
    }
  }
  // Each day is its own conditional rewrite, independent of the others (up to 99 in one transaction with the receipt).
  await rewriteDays(
    run,
    [...byDay.values()].map(({ key, refs }) => ({
      key,
      transform: (day) => {
        const engagements = engagementsOf(day);
        const kept = engagements.filter((e) => !refs.has(String(refOf(e))));
        return kept.length === engagements.length ? undefined : { ...day, engagements: kept };
      },
    })),
  );
}

/** An engagement with a case code redacted: its family (becomes '[raderat]'), title and location. */
function redactEngagement(engagement: unknown, code: string): unknown {
  if (typeof engagement !== 'object' || engagement === null) return engagement;
  const next: Record<string, unknown> = { ...engagement };
  if (next['family'] === code) next['family'] = redactedCode;
  for (const name of ['title', 'location']) {
    const value = next[name];
    if (typeof value === 'string') next[name] = redactCodeIn(value, code);
  }
  return next;
}

/** Purge: a case's code redacted on the staff days of a meeting that stays. */
export async function redactCaseOnStaffDays(run: PurgeRun, teamId: string, meeting: OnStaffDays, code: string): Promise<void> {
  await rewriteDays(
    run,
    meeting.staff.flatMap((staffId) =>
      datesOf(meeting).map((date) => ({
        key: keys.staffDay(teamId, staffId, date),
        transform: (day: DayItem) => {
          const next = { ...day, engagements: engagementsOf(day).map((e) => redactEngagement(e, code)) };
          return JSON.stringify(next) === JSON.stringify(day) ? undefined : next;
        },
      })),
    ),
  );
}

/** Purge: deletes a family's day guards (Query sk begins_with FAMILYDAY#code#; counted as dayItems). */
export async function forgetFamilyDays(run: PurgeRun, teamId: string, code: string): Promise<void> {
  await run.delete((await queryPrefix(run.db, keys.team(teamId).pk, keys.familyDayPrefix(code))).map(keyOf), 'dayItems');
}

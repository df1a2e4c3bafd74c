import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DaySchedule } from '../schemas/engagement.js';
import { DaySchedule as DayScheduleSchema } from '../schemas/engagement.js';
import type { AuditEntry } from '../schemas/family.js';
import { auditItem } from './audit.js';
import type { Db } from './client.js';
import { batchGet, queryItems, withoutKeys } from './query.js';
import { keys } from './table-design.js';

/** Whose day: a staff member's (travel rules) or a family's (at most N visits, never two at once). */
export interface DayRef {
  owner: 'staff' | 'family';
  id: string;
  date: string;
}

const dayKey = (teamId: string, ref: DayRef) => (ref.owner === 'staff' ? keys.staffDay(teamId, ref.id, ref.date) : keys.familyDay(teamId, ref.id, ref.date));
export const dayRefKey = (ref: DayRef): string => `${ref.owner}#${ref.id}#${ref.date}`;

/** Reads day schedules by key (BatchGet); a day never written comes back empty at version 0. */
export async function readDays(db: Db, teamId: string, refs: readonly DayRef[]): Promise<Map<string, DaySchedule>> {
  const unique = [...new Map(refs.map((r) => [dayRefKey(r), r])).values()];
  const found = new Map<string, DaySchedule>();
  for (const item of await batchGet(db, unique.map((r) => dayKey(teamId, r)))) {
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
  const auditItems = audits.map((a) => ({ Put: { TableName: db.tableName, Item: auditItem(a.entry, a.id), ConditionExpression: 'attribute_not_exists(pk)' } }));
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: [...recordItems, ...extra, ...dayItems, ...auditItems] }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      if (reasons.slice(0, recordItems.length + extra.length).some((r) => r.Code === 'ConditionalCheckFailed')) throw new StaleRecordError('record changed');
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) throw new DaysChangedError('day changed');
    }
    throw error;
  }
}

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CalendarFeedRef, CalendarToken, FeedScope } from '../schemas/calendar.js';
import { CalendarFeedRef as CalendarFeedRefSchema, CalendarToken as CalendarTokenSchema } from '../schemas/calendar.js';
import { Meeting } from '../schemas/meeting.js';
import { Visit } from '../schemas/visit.js';
import type { Db } from './client.js';
import { queryItems, withoutKeys } from './query.js';
import { keys } from './table-design.js';

/** A token by its hash (GetItem); undefined when no such token exists (wrong, rotated or revoked). */
export async function getCalendarToken(db: Db, tokenHash: string): Promise<CalendarToken | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.calendarToken(tokenHash) }));
  return out.Item ? CalendarTokenSchema.parse(withoutKeys(out.Item)) : undefined;
}

/** The current token of one staff member's feed (GetItem), if any. */
export async function getCalendarFeed(db: Db, teamId: string, staffId: string, scope: FeedScope): Promise<CalendarFeedRef | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.calendarFeed(teamId, staffId, scope) }));
  return out.Item ? CalendarFeedRefSchema.parse(withoutKeys(out.Item)) : undefined;
}

/** Another request rotated or revoked the same feed between our read and our write. */
export class FeedChangedError extends Error {}

function feedCondition(current: CalendarFeedRef | undefined) {
  return current
    ? { ConditionExpression: 'tokenHash = :current', ExpressionAttributeValues: { ':current': current.tokenHash } }
    : { ConditionExpression: 'attribute_not_exists(pk)' };
}

async function transact(db: Db, items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>): Promise<void> {
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) {
      throw new FeedChangedError('feed token changed meanwhile');
    }
    throw error;
  }
}

/**
 * Issues a token for a feed in ONE transaction: the new token item, the feed pointing at it (conditioned on
 * the pointer still being the one read), and the old token's deletion — so the old URL is dead the moment
 * the new one exists.
 */
export async function replaceCalendarToken(db: Db, current: CalendarFeedRef | undefined, next: CalendarToken): Promise<void> {
  const ref: CalendarFeedRef = { teamId: next.teamId, staffId: next.staffId, scope: next.scope, tokenHash: next.tokenHash };
  await transact(db, [
    { Put: { TableName: db.tableName, Item: { ...keys.calendarToken(next.tokenHash), ...next }, ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: db.tableName, Item: { ...keys.calendarFeed(ref.teamId, ref.staffId, ref.scope), ...ref }, ...feedCondition(current) } },
    ...(current ? [{ Delete: { TableName: db.tableName, Key: keys.calendarToken(current.tokenHash) } }] : []),
  ]);
}

/** Revokes a feed: its pointer and its token go in one transaction. */
export async function deleteCalendarToken(db: Db, current: CalendarFeedRef): Promise<void> {
  await transact(db, [
    { Delete: { TableName: db.tableName, Key: keys.calendarFeed(current.teamId, current.staffId, current.scope), ...feedCondition(current) } },
    { Delete: { TableName: db.tableName, Key: keys.calendarToken(current.tokenHash) } },
  ]);
}

/**
 * The team's visits and meetings starting in [fromInstant, toInstant): ONE Query on the team-calendar
 * partition of GSI2 (the index holds both, in start order). Cancelled records are still returned.
 */
export async function teamCalendarBetween(db: Db, teamId: string, fromInstant: string, toInstant: string): Promise<{ visits: Visit[]; meetings: Meeting[] }> {
  const items = await queryItems(db, { index: 'gsi2', partition: keys.calendarPartition(teamId), between: [fromInstant, toInstant] });
  const visits: Visit[] = [];
  const meetings: Meeting[] = [];
  for (const item of items) {
    if (String(item['start']) >= toInstant) continue;
    const sk = String(item['gsi2sk']);
    if (sk.includes('#VISIT#')) visits.push(Visit.parse(withoutKeys(item)));
    else if (sk.includes('#MEETING#')) meetings.push(Meeting.parse(withoutKeys(item)));
  }
  return { visits, meetings };
}

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import type { CalendarFeedRef, CalendarToken, FeedScope } from '../schemas/calendar.js';
import { CalendarFeedRef as CalendarFeedRefSchema, CalendarToken as CalendarTokenSchema } from '../schemas/calendar.js';
import { Meeting } from '../schemas/meeting.js';
import { Visit } from '../schemas/visit.js';
import type { Db } from './client.js';
import { withoutKeys } from './query.js';
import { keys, tableDesign } from './table-design.js';
import type { PurgeRun } from './purge.js';
import { deleteExisting } from './purge.js';

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
    if (
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')
    ) {
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

/** What a team feed needs of a visit and of a meeting: read with a projection, so a 1,000-event feed moves less than half the bytes. */
export const FeedVisit = /* @__PURE__ */ (() =>
  Visit.pick({ id: true, family: true, kind: true, place: true, start: true, end: true, status: true, version: true, updatedAt: true }))();
export type FeedVisit = z.infer<typeof FeedVisit>;
export const FeedMeeting = /* @__PURE__ */ (() =>
  Meeting.pick({
    id: true,
    title: true,
    mode: true,
    address: true,
    videoLink: true,
    start: true,
    end: true,
    status: true,
    sequence: true,
    updatedAt: true,
  }))();
export type FeedMeeting = z.infer<typeof FeedMeeting>;
const feedAttributes = [
  'gsi2sk',
  'id',
  'family',
  'kind',
  'place',
  'start',
  'end',
  'status',
  'version',
  'updatedAt',
  'title',
  'mode',
  'address',
  'videoLink',
  'sequence',
];

/**
 * The team's visits and meetings starting in [fromInstant, toInstant): ONE Query (following pagination) on
 * the team-calendar partition of GSI2, which holds both in start order. Cancelled records are still returned.
 */
export async function teamCalendarBetween(
  db: Db,
  teamId: string,
  fromInstant: string,
  toInstant: string,
): Promise<{ visits: FeedVisit[]; meetings: FeedMeeting[] }> {
  const index = tableDesign.indexes.find((i) => i.name === 'gsi2');
  if (!index) throw new Error('gsi2 is missing from the table design');
  const names = Object.fromEntries(feedAttributes.map((a, i) => [`#a${i}`, a]));
  const visits: FeedVisit[] = [];
  const meetings: FeedMeeting[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: { ...names, '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: { ':pk': keys.calendarPartition(teamId), ':from': fromInstant, ':to': toInstant },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      if (String(item['start']) >= toInstant) continue;
      const sk = String(item['gsi2sk']);
      if (sk.includes('#VISIT#')) visits.push(FeedVisit.parse(withoutKeys(item)));
      else if (sk.includes('#MEETING#')) meetings.push(FeedMeeting.parse(withoutKeys(item)));
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return { visits, meetings };
}

/** Purge: a staff member's feed tokens go (staff and team scope), each token's lookup item with its feed record, counted once as feedTokens. */
export async function forgetCalendarFeeds(run: PurgeRun, teamId: string, staffId: string): Promise<void> {
  for (const scope of ['staff', 'team'] as const) {
    const feed = await getCalendarFeed(run.db, teamId, staffId, scope);
    // The feed record decides whether it is counted: it is removed last.
    if (feed)
      await run.write(
        [
          { Delete: { TableName: run.db.tableName, Key: keys.calendarToken(feed.tokenHash) } },
          deleteExisting(run.db, keys.calendarFeed(teamId, staffId, scope)),
        ],
        'feedTokens',
      );
  }
}

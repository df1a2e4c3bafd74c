import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import pMap from 'p-map';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchWriteCommandInput, BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.js';
import { queryItems, queryPrefix } from './query.js';
import { keys } from './table-design.js';

/**
 * The purge's raw access to the table (§10). It works on items as stored — deleting by key and rewriting
 * records that stay with a code redacted — so it never needs to know every record's shape.
 */
export type TableKey = { pk: string; sk: string };
export const keyOf = (item: Record<string, unknown>): TableKey => ({ pk: String(item['pk']), sk: String(item['sk']) });

/** Deletes items by key (BatchWriteItem, 25 a request, 4 requests in flight, unprocessed ones retried); deleting a missing key is a no-op, so it can run again. */
export async function deleteKeys(db: Db, keyList: readonly TableKey[]): Promise<number> {
  const unique = [...new Map(keyList.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const batches = Array.from({ length: Math.ceil(unique.length / 25) }, (_, i) => unique.slice(i * 25, i * 25 + 25));
  await pMap(batches, async (batch) => {
    let request: BatchWriteCommandInput['RequestItems'] = { [db.tableName]: batch.map((Key) => ({ DeleteRequest: { Key } })) };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
      if (attempt >= 10) throw new Error('DynamoDB left deletes unprocessed after 10 attempts');
      const out: BatchWriteCommandOutput = await db.doc.send(new BatchWriteCommand({ RequestItems: request, ReturnConsumedCapacity: 'TOTAL' }));
      request = out.UnprocessedItems;
    }
  }, { concurrency: 4 });
  return unique.length;
}

/** Deletes one item if its version is still the one read; false when it changed meanwhile (the next run tries again). */
export async function deleteIfVersion(db: Db, key: TableKey, version: number): Promise<boolean> {
  try {
    await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: key, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version }, ReturnConsumedCapacity: 'TOTAL' }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Rewrites an item (same key) if its version is still the one read; false when it changed meanwhile. Items without a version are rewritten as they are. */
export async function replaceIfUnchanged(db: Db, item: Record<string, unknown>, readVersion: unknown): Promise<boolean> {
  try {
    await db.doc.send(new PutCommand({
      TableName: db.tableName,
      Item: item,
      ...(typeof readVersion === 'number'
        ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': readVersion } }
        : { ConditionExpression: 'attribute_exists(pk)' }),
      ReturnConsumedCapacity: 'TOTAL',
    }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** One raw item by key, read consistently. */
export async function getRaw(db: Db, key: TableKey): Promise<Record<string, unknown> | undefined> {
  return (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: true }))).Item;
}

/** The team's meetings and series as stored (Query sk begins_with MEETING# / SERIES#). */
export async function rawMeetingsAndSeries(db: Db, teamId: string): Promise<{ meetings: Record<string, unknown>[]; series: Record<string, unknown>[] }> {
  const pk = keys.team(teamId).pk;
  const [meetings, series] = await Promise.all([queryPrefix(db, pk, keys.meetingPrefix), queryPrefix(db, pk, keys.seriesPrefix)]);
  return { meetings, series };
}

/** Every reminder record of the team (Query on its reminders partition; bounded: the TTL keeps 90 days). */
export async function rawReminders(db: Db, teamId: string): Promise<Record<string, unknown>[]> {
  return queryItems(db, { partition: keys.reminderPartition(teamId) });
}

/** The audit entries of one record (Query pk=TEAM#t#AUDIT, sk begins_with ENTITY#id#). */
export async function rawAudit(db: Db, teamId: string, entity: 'family' | 'visit' | 'meeting', id: string): Promise<Record<string, unknown>[]> {
  return queryPrefix(db, keys.auditPartition(teamId), keys.auditPrefix(entity, id));
}

/** A family's day guard items (Query sk begins_with FAMILYDAY#code#). */
export async function familyDayKeys(db: Db, teamId: string, code: string): Promise<TableKey[]> {
  return (await queryPrefix(db, keys.team(teamId).pk, keys.familyDayPrefix(code))).map(keyOf);
}

/** The raw visit items of a family (Query GSI1 FAMILY_VISITS#code). */
export async function rawVisitsOfFamily(db: Db, teamId: string, code: string): Promise<Record<string, unknown>[]> {
  return queryItems(db, { index: 'gsi1', partition: keys.familyVisitsIndex(teamId, code, '', '').gsi1pk });
}

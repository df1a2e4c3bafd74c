import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import pMap from 'p-map';
import { BatchWriteCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchWriteCommandInput, BatchWriteCommandOutput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { PurgeCounts } from '../schemas/retention.js';
import type { Db } from './client.js';
import { queryItems, queryPrefix } from './query.js';
import type { ReceiptKey } from './retention.js';
import { receiptAdd } from './retention.js';
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

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A delete of an item that is still there (a missing one is not counted). */
export const deleteExisting = (db: Db, key: TableKey): TransactItem => ({ Delete: { TableName: db.tableName, Key: key, ConditionExpression: 'attribute_exists(pk)' } });
/** A delete of an item whose version is still the one read. */
export const deleteAtVersion = (db: Db, key: TableKey, version: number): TransactItem => ({ Delete: { TableName: db.tableName, Key: key, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } } });
/** A rewrite (same key) of an item whose version is still the one read. */
export const replaceAtVersion = (db: Db, item: Record<string, unknown>, version: number): TransactItem => ({ Put: { TableName: db.tableName, Item: item, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } } });

/** DynamoDB's limit is 100 items a transaction: 99 pieces of work and the receipt. */
const perTransaction = 99;
const conflictAttempts = 8;
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));

/**
 * Commits `ops` with the receipt's `counts` in ONE transaction: the work and its record on the receipt are durable
 * together or not at all. False when a condition failed (someone else did it, or the item changed); a transaction
 * conflict (AWS only: another transaction on the same item) is retried. The SDK sends a retried request with the same
 * ClientRequestToken, so a retry after a lost response cannot count twice.
 */
export async function writeCounted(db: Db, receipt: ReceiptKey, ops: readonly TransactItem[], counts: Partial<PurgeCounts>): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.doc.send(new TransactWriteCommand({ TransactItems: [...ops, receiptAdd(db, receipt, counts)], ReturnConsumedCapacity: 'TOTAL' }));
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[ops.length]?.Code === 'ConditionalCheckFailed') throw new Error('the receipt of this run is gone', { cause: error });
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
      if (attempt + 1 >= conflictAttempts) throw error;
      await backoff(attempt);
    }
  }
}

/**
 * Commits independent pieces of work (each counted 1 in `field`), up to 99 a transaction with the receipt's count,
 * one transaction after another (they all touch the receipt). A piece whose condition fails (already deleted, or
 * changed meanwhile) is left out and the rest committed; its index is returned. `afterCommit` runs after each transaction.
 */
export async function eachCounted(db: Db, receipt: ReceiptKey, ops: readonly TransactItem[], field: keyof PurgeCounts, afterCommit?: () => void | Promise<void>): Promise<number[]> {
  const failed: number[] = [];
  for (let from = 0; from < ops.length; from += perTransaction) {
    let chunk = ops.slice(from, from + perTransaction).map((op, i) => ({ op, index: from + i }));
    for (let attempt = 0; chunk.length > 0; attempt++) {
      try {
        await db.doc.send(new TransactWriteCommand({ TransactItems: [...chunk.map((c) => c.op), receiptAdd(db, receipt, { [field]: chunk.length })], ReturnConsumedCapacity: 'TOTAL' }));
        await afterCommit?.();
        break;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[chunk.length]?.Code === 'ConditionalCheckFailed') throw new Error('the receipt of this run is gone', { cause: error });
        const refused = new Set(chunk.flatMap((c, i) => (reasons[i]?.Code === 'ConditionalCheckFailed' ? [c.index] : [])));
        if (refused.size === 0) {
          if (attempt + 1 >= conflictAttempts) throw error;
          await backoff(attempt);
        }
        failed.push(...refused);
        chunk = chunk.filter((c) => !refused.has(c.index));
      }
    }
  }
  return failed;
}

/** Deletes the items still there, each counted in `field` on the receipt in the same transaction; how many it deleted. */
export async function deleteCounted(db: Db, receipt: ReceiptKey, keyList: readonly TableKey[], field: keyof PurgeCounts, afterCommit?: () => void | Promise<void>): Promise<number> {
  const unique = [...new Map(keyList.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const gone = await eachCounted(db, receipt, unique.map((k) => deleteExisting(db, k)), field, afterCommit);
  return unique.length - gone.length;
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

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import pMap from 'p-map';
import { BatchWriteCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchWriteCommandInput, BatchWriteCommandOutput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { PurgeCounts } from '../schemas/retention.js';
import type { Db } from './client.js';
import type { ReceiptKey } from './retention.js';
import { receiptAdd } from './retention.js';

/**
 * The purge's writes (§10): deletes and rewrites, each counted on the run's receipt in the same transaction. The store
 * module of each item kind builds its `forget…`/`redact…` operations on these (see item-kinds.ts); the purge use case
 * only puts those operations in order.
 */
export type TableKey = { pk: string; sk: string };
export const keyOf = (item: Record<string, unknown>): TableKey => ({ pk: String(item['pk']), sk: String(item['sk']) });

/** A record as the purge reads it: its typed value, where it is stored, and the item as stored (rewritten only by its store module). */
export interface Stored<T> {
  value: T;
  key: TableKey;
  item: Readonly<Record<string, unknown>>;
}
export const storedAs =
  <T>(parse: (item: Record<string, unknown>) => T) =>
  (item: Record<string, unknown>): Stored<T> => ({ value: parse(item), key: keyOf(item), item });

/**
 * One purge run or erasure, its receipt opened: every removal is counted on the receipt in the SAME transaction as the
 * removal (a conditional delete counts only what was still there), so after a crash at any point the receipts of all
 * runs add up to what was removed, each item once: the killed run's receipt keeps what it did, the next run's the rest.
 */
export class PurgeRun {
  constructor(
    readonly db: Db,
    readonly receipt: ReceiptKey,
    /** The clock of the run (a rewritten day's `changedAt`). */
    readonly now: () => Date,
    /** Called after each transaction that removed something and counted it (tests kill the run here). */
    private readonly afterWrite?: (counted: keyof PurgeCounts) => void | Promise<void>,
  ) {}
  /** The receipt's counters raised, as an item of another transaction (the figures' fold). */
  add(counts: Partial<PurgeCounts>): TransactItem {
    return receiptAdd(this.db, this.receipt, counts);
  }
  /** After a transaction that carried `add`. */
  async committed(counted: keyof PurgeCounts): Promise<void> {
    await this.afterWrite?.(counted);
  }
  /** Deletes what of these is still there; how many. */
  delete(keyList: readonly TableKey[], counted: keyof PurgeCounts): Promise<number> {
    return deleteCounted(this.db, this.receipt, keyList, counted, () => this.committed(counted));
  }
  /** Independent writes, each counted once; the indexes whose condition failed. */
  each(ops: readonly TransactItem[], counted: keyof PurgeCounts): Promise<number[]> {
    return eachCounted(this.db, this.receipt, ops, counted, () => this.committed(counted));
  }
  /** Writes all or nothing, counted `counted` once; false when a condition failed. */
  async write(ops: readonly TransactItem[], counted: keyof PurgeCounts): Promise<boolean> {
    const done = await writeCounted(this.db, this.receipt, ops, { [counted]: 1 });
    if (done) await this.committed(counted);
    return done;
  }
}

/** Deletes items by key (BatchWriteItem, 25 a request, 4 requests in flight, unprocessed ones retried); deleting a missing key is a no-op, so it can run again. */
export async function deleteKeys(db: Db, keyList: readonly TableKey[]): Promise<number> {
  const unique = [...new Map(keyList.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const batches = Array.from({ length: Math.ceil(unique.length / 25) }, (_, i) => unique.slice(i * 25, i * 25 + 25));
  await pMap(
    batches,
    async (batch) => {
      let request: BatchWriteCommandInput['RequestItems'] = { [db.tableName]: batch.map((Key) => ({ DeleteRequest: { Key } })) };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        if (attempt >= 10) throw new Error('DynamoDB left deletes unprocessed after 10 attempts');
        const out: BatchWriteCommandOutput = await db.doc.send(new BatchWriteCommand({ RequestItems: request, ReturnConsumedCapacity: 'TOTAL' }));
        request = out.UnprocessedItems;
      }
    },
    { concurrency: 4 },
  );
  return unique.length;
}

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A delete of an item that is still there (a missing one is not counted). */
export const deleteExisting = (db: Db, key: TableKey): TransactItem => ({
  Delete: { TableName: db.tableName, Key: key, ConditionExpression: 'attribute_exists(pk)' },
});
/** A delete of an item whose version is still the one read. */
export const deleteAtVersion = (db: Db, key: TableKey, version: number): TransactItem => ({
  Delete: { TableName: db.tableName, Key: key, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } },
});
/** A rewrite (same key) of an item whose version is still the one read. */
export const replaceAtVersion = (db: Db, item: Record<string, unknown>, version: number): TransactItem => ({
  Put: { TableName: db.tableName, Item: item, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } },
});

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
export async function eachCounted(
  db: Db,
  receipt: ReceiptKey,
  ops: readonly TransactItem[],
  field: keyof PurgeCounts,
  afterCommit?: () => void | Promise<void>,
): Promise<number[]> {
  const failed: number[] = [];
  for (let from = 0; from < ops.length; from += perTransaction) {
    let chunk = ops.slice(from, from + perTransaction).map((op, i) => ({ op, index: from + i }));
    for (let attempt = 0; chunk.length > 0; attempt++) {
      try {
        await db.doc.send(
          new TransactWriteCommand({
            TransactItems: [...chunk.map((c) => c.op), receiptAdd(db, receipt, { [field]: chunk.length })],
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
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
export async function deleteCounted(
  db: Db,
  receipt: ReceiptKey,
  keyList: readonly TableKey[],
  field: keyof PurgeCounts,
  afterCommit?: () => void | Promise<void>,
): Promise<number> {
  const unique = [...new Map(keyList.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const gone = await eachCounted(
    db,
    receipt,
    unique.map((k) => deleteExisting(db, k)),
    field,
    afterCommit,
  );
  return unique.length - gone.length;
}

/** Rewrites an item (same key) if its version is still the one read; false when it changed meanwhile. Items without a version are rewritten as they are. */
export async function replaceIfUnchanged(db: Db, item: Record<string, unknown>, readVersion: unknown): Promise<boolean> {
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: item,
        ...(typeof readVersion === 'number'
          ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': readVersion } }
          : { ConditionExpression: 'attribute_exists(pk)' }),
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
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

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors.js';
import type { Db } from './client.js';

/** Runs a conditional write; a failed condition becomes a Conflict with the given message. */
export async function conditional<T>(write: () => Promise<T>, conflictMessage: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new Conflict(conflictMessage);
    if (error instanceof TransactionCanceledException) {
      const failed = error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed');
      if (failed) throw new Conflict(conflictMessage);
    }
    throw error;
  }
}

/**
 * Puts an item guarded by optimistic concurrency: `expectedVersion` undefined creates it (409 if the key exists),
 * a number replaces it only while its stored version is still that one (409 otherwise). With `extra` (an
 * Idempotency-Key's record and answer), the put and those items go in one transaction.
 */
export async function putVersioned(
  db: Db,
  item: Record<string, unknown>,
  expectedVersion: number | undefined,
  conflictMessage: string,
  extra: NonNullable<TransactWriteCommandInput['TransactItems']> = [],
): Promise<void> {
  const put = {
    TableName: db.tableName,
    Item: item,
    ...(expectedVersion === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'attribute_exists(pk) AND version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
  };
  await conditional(async () => {
    if (extra.length > 0) await db.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, ...extra] }));
    else await db.doc.send(new PutCommand(put));
  }, conflictMessage);
}

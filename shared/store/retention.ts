import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../schemas/family.js';
import { PurgeReceipt, TeamRetention, defaultRetention } from '../schemas/retention.js';
import type { PurgeCounts } from '../schemas/retention.js';
import { auditItem } from './audit.js';
import type { Db } from './client.js';
import { queryPrefix, withoutKeys } from './query.js';
import { keys } from './table-design.js';
import { conditional } from './write-errors.js';

/** A team's retention settings (GetItem pk=TEAM#t, sk=RETENTION); the defaults at version 0 when never set. */
export async function getRetention(db: Db, teamId: string): Promise<TeamRetention> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.retention(teamId), ConsistentRead: true }));
  return out.Item ? TeamRetention.parse(withoutKeys(out.Item)) : TeamRetention.parse({ ...defaultRetention, teamId, version: 0 });
}

/** Writes the settings and their audit entry in one transaction, if the stored version is still the one read (0 = none stored). */
export async function putRetentionAudited(db: Db, next: TeamRetention, expectedVersion: number, audit: AuditEntry, auditId: string): Promise<void> {
  const condition =
    expectedVersion === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } };
  await conditional(
    () =>
      db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: db.tableName, Item: { ...keys.retention(next.teamId), ...next }, ...condition } },
            { Put: { TableName: db.tableName, Item: auditItem(audit, auditId), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      ),
    'the retention settings were changed by someone else; reload and try again',
  );
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** Where one run's receipt is stored. */
export type ReceiptKey = { pk: string; sk: string };
export const receiptKeyOf = (receipt: Pick<PurgeReceipt, 'teamId' | 'at' | 'id'>): ReceiptKey =>
  keys.purgeReceipt(receipt.teamId, receipt.at, receipt.id);

/**
 * Opens a purge or erasure receipt (counts at 0, no `finishedAt`) in the team's audit partition (sk PURGE#<at>#<id>),
 * before the run removes anything: each removal then adds to it in its own transaction (`receiptAdd`).
 */
export async function openReceipt(db: Db, receipt: PurgeReceipt, extra: TransactItem[] = []): Promise<void> {
  const put = { TableName: db.tableName, Item: { ...receiptKeyOf(receipt), ...receipt }, ConditionExpression: 'attribute_not_exists(pk)' };
  // With `extra` (an Idempotency-Key's progress note), in one transaction: a retry finds the receipt it opened.
  if (extra.length > 0) await db.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, ...extra] }));
  else await db.doc.send(new PutCommand(put));
}

/** The receipt's counters raised by `counts`, as an item of the transaction that does the counted work: the count is durable exactly when the work is. */
export function receiptAdd(db: Db, receipt: ReceiptKey, counts: Partial<PurgeCounts>): TransactItem {
  const entries = Object.entries(counts).filter(([, n]) => n !== undefined && n !== 0);
  const names: Record<string, string> = { '#counts': 'counts' };
  const values: Record<string, number> = {};
  const parts = entries.map(([field, n], i) => {
    names[`#k${i}`] = field;
    values[`:k${i}`] = n ?? 0;
    return `#counts.#k${i} :k${i}`;
  });
  if (parts.length === 0) throw new Error('a counted write must count something');
  return {
    Update: {
      TableName: db.tableName,
      Key: receipt,
      UpdateExpression: `ADD ${parts.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Marks a run's receipt finished and returns it as stored (its counts are what the run's transactions added). With
 * `answer` (an Idempotency-Key's completion), the closed receipt is read first and the close and the answer commit
 * together: the counts no longer change once the run's removals are done.
 */
export async function closeReceipt(
  db: Db,
  receipt: ReceiptKey,
  finishedAt: string,
  answer?: (closed: PurgeReceipt) => TransactItem[],
): Promise<PurgeReceipt> {
  if (answer) {
    const read = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: receipt, ConsistentRead: true }));
    const closed = PurgeReceipt.parse({ ...withoutKeys(read.Item ?? {}), finishedAt });
    const close = {
      TableName: db.tableName,
      Key: receipt,
      UpdateExpression: 'SET finishedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': finishedAt },
    };
    await db.doc.send(new TransactWriteCommand({ TransactItems: [{ Update: close }, ...answer(closed)] }));
    return closed;
  }
  const out = await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: receipt,
      UpdateExpression: 'SET finishedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': finishedAt },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return PurgeReceipt.parse(withoutKeys(out.Attributes ?? {}));
}

/** The team's receipts, oldest first (Query pk=TEAM#t#AUDIT, sk begins_with PURGE#). */
export async function listReceipts(db: Db, teamId: string): Promise<PurgeReceipt[]> {
  return (await queryPrefix(db, `TEAM#${teamId}#AUDIT`, 'PURGE#')).map((item) => PurgeReceipt.parse(withoutKeys(item)));
}

import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../schemas/family.js';
import { PurgeReceipt, TeamRetention, defaultRetention } from '../schemas/retention.js';
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
  const condition = expectedVersion === 0
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } };
  await conditional(
    () => db.doc.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: db.tableName, Item: { ...keys.retention(next.teamId), ...next }, ...condition } },
        { Put: { TableName: db.tableName, Item: auditItem(audit, auditId), ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    })),
    'the retention settings were changed by someone else; reload and try again',
  );
}

/**
 * Writes a purge or erasure receipt into the team's audit partition (sk PURGE#<at>#<id>); with `extra` (an
 * Idempotency-Key's record and answer) in one transaction with those items.
 */
export async function putReceipt(db: Db, receipt: PurgeReceipt, extra: NonNullable<TransactWriteCommandInput['TransactItems']> = []): Promise<void> {
  const put = { TableName: db.tableName, Item: { ...keys.purgeReceipt(receipt.teamId, receipt.at, receipt.id), ...receipt }, ConditionExpression: 'attribute_not_exists(pk)' };
  if (extra.length > 0) await db.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, ...extra] }));
  else await db.doc.send(new PutCommand(put));
}

/** The team's receipts, oldest first (Query pk=TEAM#t#AUDIT, sk begins_with PURGE#). */
export async function listReceipts(db: Db, teamId: string): Promise<PurgeReceipt[]> {
  return (await queryPrefix(db, `TEAM#${teamId}#AUDIT`, 'PURGE#')).map((item) => PurgeReceipt.parse(withoutKeys(item)));
}

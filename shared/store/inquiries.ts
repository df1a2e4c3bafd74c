import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../schemas/family.js';
import { Inquiry } from '../schemas/inquiry.js';
import { auditItem } from './audit.js';
import type { Db } from './client.js';
import { figureKeys } from './table-design.js';
import { queryPrefix } from './query.js';
import { conditional } from './write-errors.js';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** Inquiries live in the team partition under FIGINQ#<id>: anonymous, so they stay through the purge. */
export async function getInquiry(db: Db, teamId: string, id: string): Promise<Inquiry | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: figureKeys.inquiry(teamId, id) }));
  return out.Item ? Inquiry.parse(out.Item) : undefined;
}

export async function listInquiries(db: Db, teamId: string): Promise<Inquiry[]> {
  return (await queryPrefix(db, figureKeys.pk(teamId), figureKeys.inquiryPrefix)).map((item) => Inquiry.parse(item));
}

/**
 * Puts (or with `remove`, deletes) an inquiry and its audit entry in one transaction, conditioned on the version read;
 * `extra`: more writes in the same transaction (an Idempotency-Key's record and answer).
 */
export async function writeInquiryAudited(
  db: Db,
  teamId: string,
  inquiry: Inquiry,
  audit: AuditEntry,
  auditId: string,
  expectedVersion: number | undefined,
  remove = false,
  extra: TransactItems = [],
): Promise<void> {
  const key = figureKeys.inquiry(teamId, inquiry.id);
  const condition =
    expectedVersion === undefined
      ? { ConditionExpression: 'attribute_not_exists(sk)' }
      : { ConditionExpression: 'attribute_exists(sk) AND version = :v', ExpressionAttributeValues: { ':v': expectedVersion } };
  await conditional(
    () =>
      db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            remove
              ? { Delete: { TableName: db.tableName, Key: key, ...condition } }
              : { Put: { TableName: db.tableName, Item: { ...key, ...inquiry }, ...condition } },
            { Put: { TableName: db.tableName, Item: auditItem(audit, auditId), ConditionExpression: 'attribute_not_exists(pk)' } },
            ...extra,
          ],
        }),
      ),
    'the inquiry was changed by someone else; reload and try again',
  );
}

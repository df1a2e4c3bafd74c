import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../schemas/family.js';
import { Family } from '../schemas/family.js';
import { auditItem } from './audit.js';
import type { FamilyStatus } from '../schemas/family.js';
import type { Db } from './client.js';
import { queryIndex, queryPrefix, withoutKeys } from './query.js';
import { keys } from './table-design.js';
import { conditional } from './write-errors.js';
import type { PurgeRun } from './purge.js';
import { deleteExisting } from './purge.js';

const familyItem = (family: Family) => ({
  ...keys.family(family.teamId, family.code),
  ...keys.familyStatusIndex(family.teamId, family.status, family.code),
  ...family,
});

/** One family (GetItem). */
export async function getFamily(db: Db, teamId: string, code: string): Promise<Family | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.family(teamId, code) }));
  return out.Item ? Family.parse(withoutKeys(out.Item)) : undefined;
}

/** Families of a team: by status through GSI1, otherwise the team partition (sk begins_with FAMILY#). */
export async function listFamilies(db: Db, teamId: string, status?: FamilyStatus): Promise<Family[]> {
  const items = status
    ? await queryIndex(db, keys.familyStatusIndex(teamId, status, '').gsi1pk)
    : await queryPrefix(db, keys.team(teamId).pk, keys.familyPrefix);
  return items.map((item) => Family.parse(withoutKeys(item)));
}

/** Writes a family and its audit record in one transaction. `expectedVersion` undefined = create (409 if the code exists). */
export async function writeFamilyAudited(
  db: Db,
  family: Family,
  audit: AuditEntry,
  auditId: string,
  expectedVersion: number | undefined,
  /** More writes in the same transaction (the case's figure item, a tally). */
  extra: NonNullable<TransactWriteCommandInput['TransactItems']> = [],
): Promise<void> {
  const condition =
    expectedVersion === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'attribute_exists(pk) AND version = :v', ExpressionAttributeValues: { ':v': expectedVersion } };
  await conditional(
    () =>
      db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: db.tableName, Item: familyItem(family), ...condition } },
            { Put: { TableName: db.tableName, Item: auditItem(audit, auditId), ConditionExpression: 'attribute_not_exists(pk)' } },
            ...extra,
          ],
        }),
      ),
    expectedVersion === undefined ? `family ${family.code} already exists` : 'the family was changed by someone else; reload and try again',
  );
}

/** Purge: deletes the family record, last of its case, counted as `as` (a case, a declined referral, an erased case). */
export async function forgetFamily(run: PurgeRun, teamId: string, code: string, as: 'cases' | 'declinedReferrals' | 'erasedCases'): Promise<void> {
  await run.write([deleteExisting(run.db, keys.family(teamId, code))], as);
}

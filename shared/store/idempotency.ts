import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.js';
import { deleteKeys, keyOf } from './purge.js';
import { keys } from './table-design.js';

/** How long an Idempotency-Key's first answer is kept and replayed (issue 10 §3). */
export const idempotencyTtlSeconds = 24 * 60 * 60;

/**
 * Powertools' DynamoDB persistence layer for idempotency records, writing into the project's single table:
 * `pk` the caller's team partition (`TEAM#<team>#IDEMPOTENCY`; `PLATFORM#IDEMPOTENCY` for the platform admin),
 * `sk` `<routeId>#<hash of caller and key>`, and `expiresAt` (epoch seconds, the table's TTL attribute).
 * One instance per route and partition, because the layer keeps its key prefix as mutable state.
 */
export function idempotencyPersistence(db: Db, partition: string): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName: db.tableName,
    // The document client shares the plain client's config and middleware stack, so Powertools' own
    // (marshalled) commands go through it unchanged: one SDK client per process.
    awsSdkV3Client: db.doc,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: partition,
    expiryAttr: 'expiresAt',
    inProgressExpiryAttr: 'inProgressExpiresAt',
    statusAttr: 'idempotencyStatus',
    dataAttr: 'response',
    validationKeyAttr: 'requestHash',
  });
}

/** The partition of a caller's idempotency records. */
export const idempotencyPartition = (teamId: string | undefined): string => keys.idempotencyPartition(teamId);

/**
 * Deletes a team's idempotency records whose stored answer mentions a family code, so that erasing a case
 * leaves no copy of it in a replayable response (they would otherwise live on for up to 24 h).
 */
export async function deleteIdempotencyRecordsMentioning(db: Db, teamId: string, code: string): Promise<number> {
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'contains(#response.#body, :code)',
        ExpressionAttributeNames: { '#response': 'response', '#body': 'body' },
        // The code as a JSON string value, so KAL-2026-1 does not match KAL-2026-10.
        ExpressionAttributeValues: { ':pk': keys.idempotencyPartition(teamId), ':code': JSON.stringify(code) },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return deleteKeys(db, found.map(keyOf));
}

import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchGetCommandInput, BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.js';
import { withRetries } from './retry.js';
import { tableDesign } from './table-design.js';

type IndexName = (typeof tableDesign.indexes)[number]['name'];

/** One Query (following pagination) on the table or an index: a partition, optionally narrowed by sort-key prefix or range. */
export async function queryItems(
  db: Db,
  options: { index?: IndexName; partition: string; beginsWith?: string; between?: readonly [string, string] },
): Promise<Record<string, unknown>[]> {
  const index = options.index ? tableDesign.indexes.find((i) => i.name === options.index) : undefined;
  const pkName = index?.partitionKey ?? tableDesign.partitionKey;
  const skName = index?.sortKey ?? tableDesign.sortKey;
  let condition = '#pk = :pk';
  const values: Record<string, unknown> = { ':pk': options.partition };
  if (options.beginsWith !== undefined) {
    condition += ' AND begins_with(#sk, :prefix)';
    values[':prefix'] = options.beginsWith;
  } else if (options.between) {
    condition += ' AND #sk BETWEEN :from AND :to';
    values[':from'] = options.between[0];
    values[':to'] = options.between[1];
  }
  const names: Record<string, string> = { '#pk': pkName };
  if (condition.includes('#sk')) names['#sk'] = skName;
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        ...(index ? { IndexName: index.name } : {}),
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** All items of one partition whose sort key begins with a prefix. */
export async function queryPrefix(db: Db, pk: string, skPrefix: string): Promise<Record<string, unknown>[]> {
  return queryItems(db, { partition: pk, beginsWith: skPrefix });
}

/** All items of one GSI1 partition. */
export async function queryIndex(db: Db, gsi1pk: string): Promise<Record<string, unknown>[]> {
  return queryItems(db, { index: 'gsi1', partition: gsi1pk });
}

/** Drops the key attributes before an item is parsed into its domain shape. */
export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest;
}

/** Items by key (BatchGet in chunks of 100, unprocessed keys retried); missing keys are simply absent. */
export async function batchGet(
  db: Db,
  keyList: readonly Record<string, unknown>[],
  projection?: readonly string[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keyList.length; i += 100) {
    const projectionParts = projection
      ? {
          ProjectionExpression: projection.map((_, j) => `#p${j}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(projection.map((p, j) => [`#p${j}`, p])),
        }
      : {};
    await batchGetUntilProcessed(db, { [db.tableName]: { Keys: keyList.slice(i, i + 100), ...projectionParts } }, (out) =>
      items.push(...(out.Responses?.[db.tableName] ?? [])),
    );
  }
  return items;
}

class KeysLeftUnprocessed extends Error {
  constructor() {
    super('DynamoDB left keys unprocessed after 10 attempts');
    this.name = 'KeysLeftUnprocessed';
  }
}

/** One BatchGet request, its unprocessed keys asked for again (the retry policy, at most 10 requests); `onPage` sees each answer. */
export async function batchGetUntilProcessed(
  db: Db,
  requestItems: NonNullable<BatchGetCommandInput['RequestItems']>,
  onPage: (out: BatchGetCommandOutput) => void,
  options: Pick<BatchGetCommandInput, 'ReturnConsumedCapacity'> = {},
): Promise<void> {
  let request: BatchGetCommandInput['RequestItems'] = requestItems;
  await withRetries(
    async () => {
      const out: BatchGetCommandOutput = await db.doc.send(new BatchGetCommand({ RequestItems: request, ...options }));
      onPage(out);
      request = out.UnprocessedKeys;
      if (request && Object.keys(request).length > 0) throw new KeysLeftUnprocessed();
    },
    { attempts: 10, retryOn: (error) => error instanceof KeysLeftUnprocessed },
  );
}

/** Records by id (BatchGet), in the order asked, parsed; missing ids are skipped. */
export async function getByIds<T>(
  db: Db,
  ids: readonly string[],
  keyOf: (id: string) => Record<string, unknown>,
  parse: (item: Record<string, unknown>) => T,
): Promise<T[]> {
  const found = new Map((await batchGet(db, [...new Set(ids)].map(keyOf))).map((item) => [String(item['id']), item]));
  return ids.flatMap((id) => {
    const item = found.get(id);
    return item ? [parse(withoutKeys(item))] : [];
  });
}

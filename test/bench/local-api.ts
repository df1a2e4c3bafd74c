import { randomUUID } from 'node:crypto';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';

/**
 * A benchmark's own DynamoDB Local and table, configured the way Lambda reads it (environment at load),
 * with a counter of every DynamoDB request the handlers send.
 */
export async function benchEnvironment(clock: string): Promise<{ dynamo: DynamoDbLocal; requests: () => number; reset: () => void }> {
  const dynamo = await startDynamoDbLocal();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.TABLE_NAME = `bench-${randomUUID()}`;
  process.env.IKB_FIXED_CLOCK = clock;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.LOG_LEVEL = 'SILENT';
  const { dbFromEnv } = await import('../../shared/store/client.js');
  const { ensureTable } = await import('../../shared/store/create-table.js');
  const db = dbFromEnv();
  await ensureTable(db);
  let count = 0;
  db.doc.middlewareStack.add(
    (next) => async (args) => {
      count += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  return { dynamo, requests: () => count, reset: () => (count = 0) };
}

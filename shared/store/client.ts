import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';

const StoreConfig = /* @__PURE__ */ (() =>
  z.object({
    TABLE_NAME: z.string().min(3),
    DYNAMODB_ENDPOINT: z.url().optional(),
    AWS_REGION: z.string().default('eu-north-1'),
  }))();

/** The document client and table every store module uses. */
export interface Db {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

/**
 * One write of a DynamoDB transaction: what a use case hands a store write to commit with its own (a case's figure
 * item, an Idempotency-Key's record), without importing the SDK itself.
 */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Builds a Db from explicit settings (tests, the local runner). */
export function createDb(settings: { tableName: string; endpoint?: string | undefined; region?: string }): Db {
  const local = settings.endpoint !== undefined;
  const client = new DynamoDBClient({
    region: settings.region ?? 'eu-north-1',
    ...(local ? { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { doc, tableName: settings.tableName };
}

let fromEnv: Db | undefined;
/** The Db configured by the environment, read and validated once per process (Lambda cold start). */
export function dbFromEnv(): Db {
  if (!fromEnv) {
    const config = StoreConfig.parse(process.env);
    fromEnv = createDb({ tableName: config.TABLE_NAME, endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION });
  }
  return fromEnv;
}

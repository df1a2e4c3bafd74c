import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { DateTime } from 'luxon';
import * as z from 'zod';

/**
 * The reference of the cold-start bench: the floor plus what every handler of this project needs anyway —
 * zod (a schema built at module scope), luxon and the Powertools logger. The target is ≤ 1.2 × its load time.
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const logger = new Logger({ serviceName: 'ikb-bench' });
const Event = z.object({
  id: z.string().min(1),
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/)
    .optional(),
});

export const handler = middy(async (event: unknown) => {
  const { id } = Event.parse(event);
  const read = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: id, sk: 'none' } }));
  logger.info('read', { at: DateTime.now().setZone('Europe/Stockholm').toISO() });
  return { statusCode: 200, body: JSON.stringify(read.Item ?? null) };
});

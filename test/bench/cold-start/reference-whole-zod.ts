import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * The reference as the previous measurements defined it (issue 14's "floor + zod + luxon + logger"): the same as
 * reference.ts but with `import { z } from 'zod'`, which makes esbuild keep all of zod (454 KB) because the namespace
 * object is used as a value. The functions now import zod as `import * as z`, so reference.ts does too (the stricter
 * baseline); this one is kept to compare with the figures measured before.
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

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';

/**
 * The floor of the cold-start bench: the least a handler of this project loads — middy and a DynamoDB
 * document client created at module scope — bundled like every function (test/bench/cold-start.bench.ts).
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = middy(async (event: { id?: string }) => {
  const read = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: event.id ?? 'none', sk: 'none' } }));
  return { statusCode: 200, body: JSON.stringify(read.Item ?? null) };
});

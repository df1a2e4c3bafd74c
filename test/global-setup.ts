import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import type { DynamoDbLocal } from '../infra/local/dynamodb-local.js';

let dynamo: DynamoDbLocal | undefined;

/** One in-memory DynamoDB Local for the whole run; every test file creates its own table in it. */
export async function setup(project: TestProject): Promise<void> {
  dynamo = await startDynamoDbLocal();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import type { DynamoDbLocal } from '../infra/local/dynamodb-local.js';

let dynamo: Promise<DynamoDbLocal> | undefined;
let users = 0;

/**
 * One in-memory DynamoDB Local for the whole run; every test file creates its own table in it. Several projects
 * (integration, isolated, system) list this file: the first starts it, the last to finish stops it.
 */
export async function setup(project: TestProject): Promise<void> {
  users += 1;
  dynamo ??= startDynamoDbLocal();
  const { endpoint } = await dynamo;
  process.env.DYNAMODB_ENDPOINT = endpoint;
  project.provide('dynamoEndpoint', endpoint);
}

export async function teardown(): Promise<void> {
  users -= 1;
  if (users === 0) await (await dynamo)?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

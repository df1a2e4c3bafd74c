import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.js';
import { keys } from './table-design.js';

/** One strongly consistent GetItem of a key that never exists: true when the table answers within `timeoutMs`. */
export async function tableAnswers(db: Db, timeoutMs = 2_000): Promise<boolean> {
  try {
    await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.readiness(), ConsistentRead: true }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    return true;
  } catch {
    return false;
  }
}

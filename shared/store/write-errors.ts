import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { Conflict } from '../http/errors.js';

/** Runs a conditional write; a failed condition becomes a 409 with the given message. */
export async function conditional<T>(write: () => Promise<T>, conflictMessage: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new Conflict(conflictMessage);
    if (error instanceof TransactionCanceledException) {
      const failed = error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed');
      if (failed) throw new Conflict(conflictMessage);
    }
    throw error;
  }
}

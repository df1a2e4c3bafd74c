import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Reminder } from '../schemas/reminder.js';
import type { ReminderStatus } from '../schemas/reminder.js';
import type { Db } from './client.js';
import { batchGet, queryItems, withoutKeys } from './query.js';
import type { RecordWrite } from './schedule.js';
import { keys } from './table-design.js';

const ninetyDays = 90 * 86_400;

/** A reminder as a table item: indexed by status and next due time; removed by TTL 90 days after it was useful. */
export function reminderWrite(reminder: Reminder, expectedVersion: number | undefined): RecordWrite {
  const at = reminder.status === 'pending' ? (reminder.nextAttemptAt ?? reminder.dueAt) : reminder.updatedAt;
  return {
    item: {
      ...keys.reminder(reminder.teamId, reminder.id),
      ...keys.reminderStatusIndex(reminder.teamId, reminder.status, at, reminder.id),
      ...reminder,
      expiresAt: Math.floor(Date.parse(reminder.usefulUntil) / 1000) + ninetyDays,
    },
    expectedVersion,
  };
}

/** Writes a reminder if it does not exist (a claim) or if its version is still the one read; false when someone else got there first. */
export async function putReminder(db: Db, reminder: Reminder, expectedVersion: number | undefined): Promise<boolean> {
  const write = reminderWrite(reminder, expectedVersion);
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: write.item,
        ...(expectedVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Which of these reminder ids already have a record (BatchGet of the keys only). */
export async function existingReminderIds(db: Db, teamId: string, ids: readonly string[]): Promise<Set<string>> {
  const items = await batchGet(db, [...new Set(ids)].map((id) => keys.reminder(teamId, id)), ['sk']);
  return new Set(items.map((item) => String(item['sk'])));
}

/** Reminders in one status whose index time is at or before `until` (Query GSI1), oldest first. */
export async function remindersByStatus(db: Db, teamId: string, status: ReminderStatus, until?: string): Promise<Reminder[]> {
  const partition = keys.reminderStatusIndex(teamId, status, '', '').gsi1pk;
  const items = await queryItems(db, until ? { index: 'gsi1', partition, between: ['0', `${until}~`] } : { index: 'gsi1', partition });
  return items.map((item) => {
    const { expiresAt: _ttl, ...rest } = withoutKeys(item);
    return Reminder.parse(rest);
  });
}

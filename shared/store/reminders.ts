import { DeleteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { LifecycleStep } from '../domain/reminder-lifecycle.js';
import type { RenderedFrom } from '../domain/reminders.js';
import { Reminder } from '../schemas/reminder.js';
import type { ReminderStatus } from '../schemas/reminder.js';
import type { Db } from './client.js';
import { batchGet, queryItems, withoutKeys } from './query.js';
import type { RecordWrite } from './schedule.js';
import { keys } from './table-design.js';
import { mentionsCode } from '../domain/retention.js';
import type { PurgeRun, Stored } from './purge.js';
import { storedAs } from './purge.js';

const ninetyDays = 90 * 86_400;

/** A reminder as a table item: indexed by status and next due time; `expiresAt` (the table's TTL) 90 days after it was (or is to be) sent. */
export function reminderWrite(reminder: Reminder, expectedVersion: number | undefined): RecordWrite {
  const at = reminder.status === 'pending' ? (reminder.nextAttemptAt ?? reminder.dueAt) : reminder.updatedAt;
  const sendTime = reminder.sentAt ?? reminder.nextAttemptAt ?? reminder.dueAt;
  return {
    item: {
      ...keys.reminder(reminder.teamId, reminder.id),
      ...keys.reminderStatusIndex(reminder.teamId, reminder.status, at, reminder.id),
      ...reminder,
      expiresAt: Math.floor(Date.parse(sendTime) / 1000) + ninetyDays,
    },
    expectedVersion,
  };
}

const versionCondition = (expectedVersion: number | undefined) =>
  expectedVersion === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } };

/** Writes a reminder if it does not exist (a claim) or if its version is still the one read; false when someone else got there first. */
export async function putReminder(db: Db, reminder: Reminder, expectedVersion: number | undefined): Promise<boolean> {
  const write = reminderWrite(reminder, expectedVersion);
  return conditionally(db.doc.send(new PutCommand({ TableName: db.tableName, Item: write.item, ...versionCondition(expectedVersion) })));
}

/**
 * Writes one step of a reminder's lifecycle (domain/reminder-lifecycle.ts), conditioned on the record being as read:
 * absent for a first claim, else at the version read. A step to `absent` (a released claim) deletes the record, so the
 * next run derives and claims it afresh. False when someone else got there first.
 */
export async function moveReminder(db: Db, step: LifecycleStep): Promise<boolean> {
  if (step.to) return putReminder(db, step.to, step.from?.version);
  if (!step.from) return true;
  return conditionally(
    db.doc.send(
      new DeleteCommand({ TableName: db.tableName, Key: keys.reminder(step.from.teamId, step.from.id), ...versionCondition(step.from.version) }),
    ),
  );
}

async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

const keyOfRef = (teamId: string, ref: RenderedFrom) =>
  ref.kind === 'visit'
    ? keys.visit(teamId, ref.id)
    : ref.kind === 'series'
      ? keys.series(teamId, ref.id)
      : ref.kind === 'staff'
        ? keys.staff(teamId, ref.id)
        : keys.meeting(teamId, ref.id);

/**
 * The hand-over of one claimed message, in ONE transaction: the reminder record moves on from the version read (it
 * gets `handingOverAt`) only if everything the message was rendered from — every visit and meeting it describes, the
 * staff member it goes to — is still at the version read. The provider call comes after; this is the point of no return.
 * `taken`: another run took the record over. `changed`: the schedule or the person moved on; the message is not sent from this data.
 */
export async function handOverReminder(db: Db, step: LifecycleStep, about: readonly RenderedFrom[]): Promise<'handedOver' | 'taken' | 'changed'> {
  if (!step.from || !step.to || step.state !== 'handingOver') throw new Error('a hand-over moves a claimed reminder to handingOver');
  const reminder = step.to;
  const expectedVersion = step.from.version;
  const write = reminderWrite(reminder, expectedVersion);
  const checks = about.map((ref) => ({
    ConditionCheck: {
      TableName: db.tableName,
      Key: keyOfRef(reminder.teamId, ref),
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': ref.version },
    },
  }));
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: db.tableName, Item: write.item, ...versionCondition(expectedVersion) } }, ...checks],
      }),
    );
    return 'handedOver';
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'taken';
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return 'changed';
    }
    throw error;
  }
}

/** Which of these reminder ids already have a record (BatchGet of the keys only). */
export async function existingReminderIds(db: Db, teamId: string, ids: readonly string[]): Promise<Set<string>> {
  const items = await batchGet(
    db,
    [...new Set(ids)].map((id) => keys.reminder(teamId, id)),
    ['sk'],
  );
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

/** Every reminder record of the team as the purge reads them (Query on its reminders partition; bounded: the TTL keeps 90 days). */
export async function remindersToPurge(db: Db, teamId: string): Promise<Stored<Reminder>[]> {
  return (await queryItems(db, { partition: keys.reminderPartition(teamId) })).map(
    storedAs((item) => {
      const { expiresAt: _ttl, ...rest } = withoutKeys(item);
      return Reminder.parse(rest);
    }),
  );
}

// A reminder's id begins `<kind>#<visit or meeting id>#…` (domain/reminders.ts, use-cases/notices.ts): records from
// before `visitId`/`meetingId` were kept are known by it.
const subjectOf = (reminder: Reminder): string | undefined => reminder.id.split('#')[1];

/** Whether a reminder is about one of these visits (a visit reminder or a change notice names the visit). */
export function isAboutVisits(reminder: Reminder, visitIds: ReadonlySet<string>): boolean {
  if (reminder.visitId !== undefined && visitIds.has(reminder.visitId)) return true;
  const subject = subjectOf(reminder);
  return (reminder.kind === 'visit' || reminder.kind === 'change') && subject !== undefined && visitIds.has(subject);
}

/** Whether a reminder is about this meeting. */
export const isAboutMeeting = (reminder: Reminder, meetingId: string): boolean =>
  reminder.meetingId === meetingId || subjectOf(reminder) === meetingId;

/** Whether a reminder's contact or free text names a case code. */
export const mentionsCase = (reminder: Reminder, code: string): boolean =>
  [reminder.email, reminder.attendeeName, reminder.lastError, reminder.droppedReason].some((text) => mentionsCode(text, code));

/** Purge: deletes these reminder records (counted as reminders). */
export async function forgetReminders(run: PurgeRun, reminders: readonly Stored<Reminder>[]): Promise<void> {
  await run.delete(
    reminders.map((r) => r.key),
    'reminders',
  );
}

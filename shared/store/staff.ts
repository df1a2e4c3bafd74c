import { DeleteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Absence, Staff } from '../schemas/staff.js';
import type { Db } from './client.js';
import { queryPrefix, withoutKeys } from './query.js';
import { keys } from './table-design.js';
import { conditional, putVersioned } from './write-errors.js';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { PurgeRun } from './purge.js';
import { replaceAtVersion } from './purge.js';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** One staff member (GetItem). */
export async function getStaff(db: Db, teamId: string, staffId: string): Promise<Staff | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.staff(teamId, staffId) }));
  return out.Item ? Staff.parse(withoutKeys(out.Item)) : undefined;
}

/** The team's staff (Query pk=TEAM#t, sk begins_with STAFF#). */
export async function listStaff(db: Db, teamId: string): Promise<Staff[]> {
  const items = await queryPrefix(db, keys.team(teamId).pk, keys.staffPrefix);
  return items.map((item) => Staff.parse(withoutKeys(item)));
}

/** Creates a staff member; 409 when the id is taken in the team. `extra`: more writes in the same transaction (an Idempotency-Key's record). */
export async function createStaff(db: Db, staff: Staff, extra: TransactItems = []): Promise<void> {
  await putVersioned(db, { ...keys.staff(staff.teamId, staff.id), ...staff }, undefined, `staff member ${staff.id} already exists`, extra);
}

/** Replaces a staff member if the stored version is still `expectedVersion`; 409 otherwise. */
export async function replaceStaff(db: Db, staff: Staff, expectedVersion: number, extra: TransactItems = []): Promise<void> {
  await putVersioned(
    db,
    { ...keys.staff(staff.teamId, staff.id), ...staff },
    expectedVersion,
    'the staff member was changed by someone else; reload and try again',
    extra,
  );
}

/**
 * Removes a staff member created a moment ago (still version 1, so nothing refers to it yet): the undo of a create
 * whose sign-in turned out to belong to someone else.
 */
export async function deleteNewStaff(db: Db, teamId: string, staffId: string): Promise<void> {
  await db.doc.send(
    new DeleteCommand({
      TableName: db.tableName,
      Key: keys.staff(teamId, staffId),
      ConditionExpression: '#v = :one',
      ExpressionAttributeNames: { '#v': 'version' },
      ExpressionAttributeValues: { ':one': 1 },
    }),
  );
}

/** Absences of one staff member, or of the whole team (Query sk begins_with ABSENCE#[staff#]). */
export async function listAbsences(db: Db, teamId: string, staffId?: string): Promise<Absence[]> {
  const items = await queryPrefix(db, keys.team(teamId).pk, keys.absencePrefix(staffId));
  return items.map((item) => Absence.parse(withoutKeys(item)));
}

/** How many of an absence's days are guarded in its transaction (DynamoDB allows 100 items in one). */
export const guardedAbsenceDays = 98;

/**
 * Records an absence in one transaction with a check that the staff member exists and a version bump of each
 * day it covers (the first 98), so a booking that read one of those days before cannot commit unchecked.
 * `extra`: more writes in the same transaction (an Idempotency-Key's record), each guarding one day fewer.
 */
export async function putAbsence(db: Db, absence: Absence, dates: readonly string[], extra: TransactItems = []): Promise<void> {
  await writeAbsence(db, absence, dates, undefined, extra);
}

/**
 * Replaces an absence (ended early, extended) from the version read, in one transaction with a version bump of each day
 * of the old and the new span (the first 98), as recording does: a booking that read one of them re-checks.
 */
export async function replaceAbsence(db: Db, absence: Absence, dates: readonly string[], expectedVersion: number): Promise<void> {
  await writeAbsence(db, absence, dates, expectedVersion);
}

async function writeAbsence(
  db: Db,
  absence: Absence,
  dates: readonly string[],
  expectedVersion: number | undefined,
  extra: TransactItems = [],
): Promise<void> {
  const bumps = dates.slice(0, guardedAbsenceDays - extra.length).map((date) => ({
    Update: {
      TableName: db.tableName,
      Key: keys.staffDay(absence.teamId, absence.staffId, date),
      UpdateExpression:
        'SET #v = if_not_exists(#v, :zero) + :one, teamId = if_not_exists(teamId, :team), #owner = if_not_exists(#owner, :owner), #date = if_not_exists(#date, :date), engagements = if_not_exists(engagements, :none)',
      ExpressionAttributeNames: { '#v': 'version', '#owner': 'owner', '#date': 'date' },
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':team': absence.teamId, ':owner': absence.staffId, ':date': date, ':none': [] },
    },
  }));
  await conditional(
    () =>
      db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: db.tableName,
                Key: keys.staff(absence.teamId, absence.staffId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Put: {
                TableName: db.tableName,
                Item: { ...keys.absence(absence.teamId, absence.staffId, absence.id), ...absence },
                ...(expectedVersion === undefined
                  ? {}
                  : expectedVersion === 1
                    ? {
                        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(version) OR version = :v)',
                        ExpressionAttributeValues: { ':v': 1 },
                      }
                    : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
              },
            },
            ...bumps,
            ...extra,
          ],
        }),
      ),
    expectedVersion === undefined
      ? 'the staff member was removed meanwhile'
      : 'the absence was changed or removed meanwhile; reload it and try again',
  );
}

/** Removes an absence; false when there was none. */
export async function deleteAbsence(db: Db, teamId: string, staffId: string, absenceId: string): Promise<boolean> {
  const out = await db.doc.send(
    new DeleteCommand({ TableName: db.tableName, Key: keys.absence(teamId, staffId, absenceId), ReturnValues: 'ALL_OLD' }),
  );
  return out.Attributes !== undefined;
}

/**
 * Purge: a former staff member's contact details go (name replaced by `formerName`, e-mail and mobile removed,
 * notifications off); id and role stay. Counted as staffContacts.
 */
export async function redactStaffContacts(run: PurgeRun, staff: Staff, at: string, formerName: string): Promise<void> {
  const { email: _email, mobile: _mobile, ...rest } = staff;
  const scrubbed = Staff.parse({
    ...rest,
    name: formerName,
    notifications: { visitReminder: 'off', dailyAgenda: 'off', changeNotice: 'off' },
    contactsPurgedAt: at,
    version: staff.version + 1,
    updatedAt: at,
  });
  await run.write([replaceAtVersion(run.db, { ...keys.staff(staff.teamId, staff.id), ...scrubbed }, staff.version)], 'staffContacts');
}

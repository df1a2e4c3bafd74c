import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Meeting, MeetingSeries } from '../schemas/meeting.js';
import type { Db } from './client.js';
import { getByIds, queryItems, queryPrefix, withoutKeys } from './query.js';
import type { RecordWrite } from './schedule.js';
import { keys } from './table-design.js';
import { putVersioned } from './write-errors.js';
import { redactCodeIn, redactedCode } from '../domain/retention.js';
import { auditToPurge } from './audit.js';
import type { PurgeRun, Stored } from './purge.js';
import { deleteAtVersion, replaceAtVersion, replaceIfUnchanged, storedAs } from './purge.js';

/** A meeting (single or occurrence) as a table item, on the team calendar (GSI2). */
export function meetingWrite(meeting: Meeting, expectedVersion: number | undefined): RecordWrite {
  return {
    item: { ...keys.meeting(meeting.teamId, meeting.id), ...keys.calendarIndex(meeting.teamId, meeting.start, 'MEETING', meeting.id), ...meeting },
    expectedVersion,
  };
}

export function seriesWrite(series: MeetingSeries, expectedVersion: number | undefined): RecordWrite {
  return { item: { ...keys.series(series.teamId, series.id), ...series }, expectedVersion };
}

export async function getMeeting(db: Db, teamId: string, id: string): Promise<Meeting | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.meeting(teamId, id) }));
  return out.Item ? Meeting.parse(withoutKeys(out.Item)) : undefined;
}

/** Meetings by id (BatchGet), in the order asked; missing ids are skipped. */
export async function getMeetings(db: Db, teamId: string, ids: readonly string[]): Promise<Meeting[]> {
  return getByIds(
    db,
    ids,
    (id) => keys.meeting(teamId, id),
    (item) => Meeting.parse(item),
  );
}

/** The team's meetings starting in [fromInstant, toInstant) (Query GSI2 on the team calendar, meetings only). */
export async function meetingsBetween(db: Db, teamId: string, fromInstant: string, toInstant: string): Promise<Meeting[]> {
  const items = await queryItems(db, { index: 'gsi2', partition: keys.calendarPartition(teamId), between: [fromInstant, toInstant] });
  return items
    .filter((item) => String(item['gsi2sk']).includes('#MEETING#') && String(item['start']) < toInstant)
    .map((item) => Meeting.parse(withoutKeys(item)));
}

export async function getSeries(db: Db, teamId: string, id: string): Promise<MeetingSeries | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.series(teamId, id) }));
  return out.Item ? MeetingSeries.parse(withoutKeys(out.Item)) : undefined;
}

/** The team's series (Query sk begins_with SERIES#), for the daily horizon job. */
export async function listSeries(db: Db, teamId: string): Promise<MeetingSeries[]> {
  const items = await queryPrefix(db, keys.team(teamId).pk, keys.seriesPrefix);
  return items.map((item) => MeetingSeries.parse(withoutKeys(item)));
}

/** Moves a series' materialization horizon forward (no version bump: it is bookkeeping, not a change people see). */
export async function setMaterializedUntil(db: Db, series: MeetingSeries, until: string): Promise<void> {
  await putVersioned(
    db,
    { ...keys.series(series.teamId, series.id), ...series, materializedUntil: until },
    series.version,
    'the series was changed meanwhile',
  );
}

/** The team's meetings and series as the purge reads them (Query sk begins_with MEETING# / SERIES#). */
export async function meetingsAndSeriesToPurge(db: Db, teamId: string): Promise<{ meetings: Stored<Meeting>[]; series: Stored<MeetingSeries>[] }> {
  const pk = keys.team(teamId).pk;
  const [meetings, series] = await Promise.all([queryPrefix(db, pk, keys.meetingPrefix), queryPrefix(db, pk, keys.seriesPrefix)]);
  return {
    meetings: meetings.map(storedAs((item) => Meeting.parse(withoutKeys(item)))),
    series: series.map(storedAs((item) => MeetingSeries.parse(withoutKeys(item)))),
  };
}

type Fields = Readonly<Record<string, unknown>>;
const redactTexts = (fields: Fields, names: readonly string[], code: string): Record<string, unknown> => {
  const next: Record<string, unknown> = { ...fields };
  for (const name of names) {
    const value = next[name];
    if (typeof value === 'string') next[name] = redactCodeIn(value, code);
  }
  return next;
};

/**
 * A meeting's or series' fields (as stored, or a snapshot of them in an audit entry) with a case code redacted where
 * a meeting can hold one: its title and address, its external attendees' names and organisations, a handover's
 * family (which becomes '[raderat]'). Undefined when none of them names the code.
 */
function redactMeetingFields(fields: Fields, code: string): Record<string, unknown> | undefined {
  const next = redactTexts(fields, ['title', 'address'], code);
  if (next['family'] === code) next['family'] = redactedCode;
  const external: unknown = fields['external'];
  if (Array.isArray(external))
    next['external'] = external.map((a: unknown) =>
      typeof a === 'object' && a !== null ? redactTexts(a as Fields, ['name', 'organisation'], code) : a,
    );
  return JSON.stringify(next) === JSON.stringify(fields) ? undefined : next;
}

/** Whether a meeting or series names a case (see redactMeetingFields). */
export const namesCase = (record: Stored<Meeting | MeetingSeries>, code: string): boolean => redactMeetingFields(record.item, code) !== undefined;

/** Purge: a case's code redacted in a meeting's audit entries (their before/after snapshots and warnings); not counted. */
export async function redactCaseInMeetingAudit(db: Db, teamId: string, meetingId: string, code: string): Promise<void> {
  for (const entry of await auditToPurge(db, teamId, 'meeting', meetingId)) {
    const next: Record<string, unknown> = { ...entry.item };
    for (const side of ['before', 'after'] as const) {
      const snapshot = entry.item[side];
      if (typeof snapshot === 'object' && snapshot !== null) next[side] = redactMeetingFields(snapshot as Fields, code) ?? snapshot;
    }
    const warnings: unknown = entry.item['warnings'];
    if (Array.isArray(warnings)) next['warnings'] = warnings.map((w: unknown) => (typeof w === 'string' ? redactCodeIn(w, code) : w));
    if (JSON.stringify(next) !== JSON.stringify(entry.item)) await replaceIfUnchanged(db, next, undefined);
  }
}

/**
 * Purge: a case's code redacted in a meeting or series that stays (a handover's family is dropped), under the version
 * read; counted as meetingsScrubbed. Throws when it changed meanwhile (the next run redacts it). The record as written.
 */
export async function redactCaseInMeeting<T extends Meeting | MeetingSeries>(run: PurgeRun, record: Stored<T>, code: string): Promise<Stored<T>> {
  const redacted = redactMeetingFields(record.item, code);
  if (!redacted) return record;
  if (redacted['family'] === redactedCode) delete redacted['family'];
  const version = record.value.version;
  const item = { ...redacted, version: version + 1 };
  if (!(await run.write([replaceAtVersion(run.db, item, version)], 'meetingsScrubbed')))
    throw new Error('a meeting changed during the purge; the next run redacts it');
  return { value: { ...record.value, ...withoutKeys(item) } as T, key: record.key, item };
}

/** Purge: deletes a meeting at the version read (counted as meetings). */
export async function forgetMeeting(run: PurgeRun, meeting: Stored<Meeting>): Promise<void> {
  await run.write([deleteAtVersion(run.db, meeting.key, meeting.value.version)], 'meetings');
}

/** Purge: deletes a series at the version read (counted as series). */
export async function forgetSeries(run: PurgeRun, series: Stored<MeetingSeries>): Promise<void> {
  await run.write([deleteAtVersion(run.db, series.key, series.value.version)], 'series');
}

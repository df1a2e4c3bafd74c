import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Meeting, MeetingSeries } from '../schemas/meeting.js';
import type { Db } from './client.js';
import { getByIds, queryItems, queryPrefix, withoutKeys } from './query.js';
import type { RecordWrite } from './schedule.js';
import { keys } from './table-design.js';
import { putVersioned } from './write-errors.js';

/** A meeting (single or occurrence) as a table item, on the team calendar (GSI2). */
export function meetingWrite(meeting: Meeting, expectedVersion: number | undefined): RecordWrite {
  return { item: { ...keys.meeting(meeting.teamId, meeting.id), ...keys.calendarIndex(meeting.teamId, meeting.start, 'MEETING', meeting.id), ...meeting }, expectedVersion };
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
  return getByIds(db, ids, (id) => keys.meeting(teamId, id), (item) => Meeting.parse(item));
}

/** The team's meetings starting in [fromInstant, toInstant) (Query GSI2 on the team calendar, meetings only). */
export async function meetingsBetween(db: Db, teamId: string, fromInstant: string, toInstant: string): Promise<Meeting[]> {
  const items = await queryItems(db, { index: 'gsi2', partition: keys.calendarPartition(teamId), between: [fromInstant, toInstant] });
  return items.filter((item) => String(item['gsi2sk']).includes('#MEETING#') && String(item['start']) < toInstant).map((item) => Meeting.parse(withoutKeys(item)));
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
  await putVersioned(db, { ...keys.series(series.teamId, series.id), ...series, materializedUntil: until }, series.version, 'the series was changed meanwhile');
}

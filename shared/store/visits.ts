import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Visit } from '../schemas/visit.js';
import type { Db } from './client.js';
import { getByIds, queryItems, withoutKeys } from './query.js';
import type { RecordWrite } from './schedule.js';
import { keys } from './table-design.js';
import type { PurgeRun, Stored } from './purge.js';
import { storedAs } from './purge.js';

/** A visit as a table item, with its family (GSI1) and team-calendar (GSI2) index keys. */
export function visitWrite(visit: Visit, expectedVersion: number | undefined): RecordWrite {
  return {
    item: {
      ...keys.visit(visit.teamId, visit.id),
      ...keys.familyVisitsIndex(visit.teamId, visit.family, visit.start, visit.id),
      ...keys.calendarIndex(visit.teamId, visit.start, 'VISIT', visit.id),
      ...visit,
    },
    expectedVersion,
  };
}

export async function getVisit(db: Db, teamId: string, id: string): Promise<Visit | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.visit(teamId, id) }));
  return out.Item ? Visit.parse(withoutKeys(out.Item)) : undefined;
}

/** Visits by id (BatchGet), in the order asked; missing ids are skipped. */
export async function getVisits(db: Db, teamId: string, ids: readonly string[]): Promise<Visit[]> {
  return getByIds(
    db,
    ids,
    (id) => keys.visit(teamId, id),
    (item) => Visit.parse(item),
  );
}

/** A family's visits in time order (Query GSI1). */
export async function visitsOfFamily(db: Db, teamId: string, code: string): Promise<Visit[]> {
  const items = await queryItems(db, { index: 'gsi1', partition: keys.familyVisitsIndex(teamId, code, '', '').gsi1pk });
  return items.map((item) => Visit.parse(withoutKeys(item)));
}

/** The team's visits starting in [fromInstant, toInstant) (Query GSI2 on the team calendar, visits only). */
export async function visitsBetween(db: Db, teamId: string, fromInstant: string, toInstant: string): Promise<Visit[]> {
  const items = await queryItems(db, { index: 'gsi2', partition: keys.calendarPartition(teamId), between: [fromInstant, toInstant] });
  return items
    .filter((item) => String(item['gsi2sk']).includes('#VISIT#') && String(item['start']) < toInstant)
    .map((item) => Visit.parse(withoutKeys(item)));
}

/** A family's visits as the purge reads them (Query GSI1). */
export async function visitsOfFamilyToForget(db: Db, teamId: string, code: string): Promise<Stored<Visit>[]> {
  const items = await queryItems(db, { index: 'gsi1', partition: keys.familyVisitsIndex(teamId, code, '', '').gsi1pk });
  return items.map(storedAs((item) => Visit.parse(withoutKeys(item))));
}

/** Purge: deletes these visits (counted as visits). */
export async function forgetVisits(run: PurgeRun, visits: readonly Stored<Visit>[]): Promise<void> {
  await run.delete(
    visits.map((v) => v.key),
    'visits',
  );
}

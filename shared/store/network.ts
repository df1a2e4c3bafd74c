import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { AuditEntry } from '../schemas/family.js';
import { TeamRetention } from '../schemas/retention.js';
import { Team } from '../schemas/team.js';
import { auditItem } from './audit.js';
import type { Db } from './client.js';
import { batchGetUntilProcessed, withoutKeys } from './query.js';
import { keys, networkKeys } from './table-design.js';
import { conditional } from './write-errors.js';

/*
 * The registry of teams that take part in the network figures (`networkKeys` in table-design.ts) is written in the
 * same transaction as the team's `networkFigures` flag, so the two never disagree. GET /network/figures reads it with
 * one Query — never a Scan.
 */

const capacityOf = (c: ConsumedCapacity | ConsumedCapacity[] | undefined): number =>
  (Array.isArray(c) ? c : c ? [c] : []).reduce((sum, x) => sum + (x.CapacityUnits ?? 0), 0);

/**
 * Writes the team with its new `networkFigures` flag (if its stored version is still `expectedVersion`), adds or
 * removes its registry item, and writes the audit entry — one transaction; 409 if the team changed meanwhile.
 */
export async function putNetworkParticipation(db: Db, next: Team, expectedVersion: number, audit: AuditEntry, auditId: string): Promise<void> {
  const registry = next.networkFigures
    ? { Put: { TableName: db.tableName, Item: { ...networkKeys.member(next.id), teamId: next.id } } }
    : { Delete: { TableName: db.tableName, Key: networkKeys.member(next.id) } };
  await conditional(
    () =>
      db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: db.tableName,
                Item: { ...keys.team(next.id), ...keys.teamsIndex(next.id), ...next },
                ConditionExpression: 'attribute_exists(pk) AND version = :v',
                ExpressionAttributeValues: { ':v': expectedVersion },
              },
            },
            registry,
            { Put: { TableName: db.tableName, Item: auditItem(audit, auditId), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      ),
    'the team was changed by someone else; reload and try again',
  );
}

/**
 * The participating teams, ordered by id, each with its privacy settings (the retention item, where the team's
 * small-cell threshold is kept; absent = defaults): one Query of the registry, then one BatchGet of both items per team.
 */
export async function listNetworkTeams(db: Db): Promise<{ teams: { team: Team; settings: TeamRetention | undefined }[]; readCapacity: number }> {
  let readCapacity = 0;
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': networkKeys.partition },
        ExclusiveStartKey: start,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    readCapacity += capacityOf(page.ConsumedCapacity);
    for (const item of page.Items ?? []) ids.push(String(item['teamId']));
    start = page.LastEvaluatedKey;
  } while (start);

  const teams: Team[] = [];
  const settings = new Map<string, TeamRetention>();
  for (let i = 0; i < ids.length; i += 50) {
    await batchGetUntilProcessed(
      db,
      { [db.tableName]: { Keys: ids.slice(i, i + 50).flatMap((id) => [keys.team(id), keys.retention(id)]) } },
      (out) => {
        readCapacity += capacityOf(out.ConsumedCapacity);
        for (const item of out.Responses?.[db.tableName] ?? []) {
          if (item['sk'] === 'TEAM') teams.push(Team.parse(withoutKeys(item)));
          else {
            const parsed = TeamRetention.parse(withoutKeys(item));
            settings.set(parsed.teamId, parsed);
          }
        }
      },
      { ReturnConsumedCapacity: 'TOTAL' },
    );
  }
  return {
    teams: teams
      .filter((t) => t.networkFigures)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((team) => ({ team, settings: settings.get(team.id) })),
    readCapacity,
  };
}

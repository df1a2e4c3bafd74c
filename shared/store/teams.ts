import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Team } from '../schemas/team.js';
import type { Db } from './client.js';
import { keys } from './table-design.js';
import { queryIndex, withoutKeys } from './query.js';
import { putVersioned } from './write-errors.js';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** Team by id (GetItem on the team's partition). */
export async function getTeam(db: Db, teamId: string): Promise<Team | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.team(teamId) }));
  return out.Item ? Team.parse(withoutKeys(out.Item)) : undefined;
}

/** All teams (Query on GSI1 partition TEAMS) — the platform admin's list. */
export async function listTeams(db: Db): Promise<Team[]> {
  return (await queryIndex(db, 'TEAMS')).map((item) => Team.parse(withoutKeys(item)));
}

const teamItem = (team: Team) => ({ ...keys.team(team.id), ...keys.teamsIndex(team.id), ...team });

/** Creates a team; 409 when the id is taken. `extra`: more writes in the same transaction (an Idempotency-Key's record). */
export async function createTeam(db: Db, team: Team, extra: NonNullable<TransactWriteCommandInput['TransactItems']> = []): Promise<void> {
  await putVersioned(db, teamItem(team), undefined, `team ${team.id} already exists`, extra);
}

/** Replaces a team if its stored version is still `expectedVersion`; 409 otherwise. */
export async function replaceTeam(db: Db, team: Team, expectedVersion: number): Promise<void> {
  await putVersioned(db, teamItem(team), expectedVersion, 'the team was changed by someone else; reload and try again');
}

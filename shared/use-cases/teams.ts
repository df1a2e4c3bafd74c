import { Invalid, NotFound } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { CreateTeamBody, UpdateTeamBody } from '../schemas/team.js';
import { Team } from '../schemas/team.js';
import { answerItems } from '../store/idempotency.js';
import * as store from '../store/teams.js';
import { fieldErrors } from '../domain/field-errors.js';
import type { Deps } from './deps.js';
import { assertVersion } from './versions.js';

/** Creates a team (platform admin). */
export async function createTeam(deps: Deps, input: CreateTeamBody): Promise<Team> {
  const at = deps.now().toISOString();
  const team = Team.parse({ ...input, version: 1, createdAt: at, updatedAt: at });
  await store.createTeam(deps.db, team, answerItems(team));
  return team;
}

/** A team, for the admin or a member of it; anyone else gets 404 so existence does not leak. */
export async function readTeam(deps: Deps, principal: Principal, teamId: string): Promise<Team> {
  if (!principal.groups.has('admin') && principal.teamId !== teamId) throw new NotFound();
  const team = await store.getTeam(deps.db, teamId);
  if (!team) throw new NotFound();
  return team;
}

export async function listTeams(deps: Deps): Promise<Team[]> {
  return store.listTeams(deps.db);
}

/** Applies a partial update guarded by the version the caller read. The merged team is validated as a whole (e.g. new places need travel times). */
export async function updateTeam(deps: Deps, teamId: string, input: UpdateTeamBody): Promise<Team> {
  const current = await store.getTeam(deps.db, teamId);
  if (!current) throw new NotFound();
  const { version, ...changes } = input;
  assertVersion(current.version, version, 'team');
  const merged = Team.safeParse({ ...current, ...changes, version: version + 1, updatedAt: deps.now().toISOString() });
  if (!merged.success) throw new Invalid(fieldErrors(merged.error));
  await store.replaceTeam(deps.db, merged.data, version);
  return merged.data;
}

import type { Team } from '../schemas/team.js';

/**
 * The loop of every scheduled job (the reminder dispatcher, the daily purge, the series job): `work` for each team in
 * turn. One team's trouble must not stop the others': its error goes to `onError` and is counted, and the loop goes on.
 */
export async function forEachTeam<T>(
  teams: readonly Team[],
  work: (team: Team) => Promise<T>,
  onError: (team: Team, error: unknown) => void,
): Promise<{ results: T[]; failedTeams: number }> {
  const results: T[] = [];
  let failedTeams = 0;
  for (const team of teams) {
    try {
      results.push(await work(team));
    } catch (error) {
      failedTeams += 1;
      onError(team, error);
    }
  }
  return { results, failedTeams };
}

/** What a job may log of a team's error: only its class, never its message, which might name a case. */
export const errorName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);

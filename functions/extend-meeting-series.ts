import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../shared/logger.js';
import { listTeams } from '../shared/store/teams.js';
import { defaultDeps } from '../shared/use-cases/deps.js';
import type { Deps } from '../shared/use-cases/deps.js';
import { errorName, forEachTeam } from '../shared/use-cases/each-team.js';
import { extendSeriesHorizons } from '../shared/use-cases/meetings.js';

const deps = defaultDeps();

/** Daily: books every team's meeting-series occurrences up to 26 weeks ahead. */
export const core = async (d: Deps = deps): Promise<{ teams: number; series: number; booked: number; conflicts: number }> => {
  const totals = { teams: 0, series: 0, booked: 0, conflicts: 0 };
  const { results } = await forEachTeam(
    await listTeams(d.db),
    (team) => extendSeriesHorizons(d, team),
    (team, error) => logger.error('series extension failed for a team', { teamId: team.id, errorName: errorName(error) }),
  );
  for (const outcome of results) {
    totals.teams += 1;
    totals.series += outcome.series;
    totals.booked += outcome.booked;
    totals.conflicts += outcome.conflicts;
  }
  logger.info('meeting series extended', totals);
  return totals;
};

export const handler = middy(() => core()).use(injectLambdaContext(logger));

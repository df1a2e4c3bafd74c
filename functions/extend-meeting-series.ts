import middy from '@middy/core';
import { logger } from '../shared/logger.js';
import { listTeams } from '../shared/store/teams.js';
import { defaultDeps } from '../shared/use-cases/deps.js';
import type { Deps } from '../shared/use-cases/deps.js';
import { extendSeriesHorizons } from '../shared/use-cases/meetings.js';

const deps = defaultDeps();

/** Daily: books every team's meeting-series occurrences up to 26 weeks ahead. */
export const core = async (d: Deps = deps): Promise<{ teams: number; series: number; booked: number; conflicts: number }> => {
  const totals = { teams: 0, series: 0, booked: 0, conflicts: 0 };
  for (const team of await listTeams(d.db)) {
    // One team's trouble must not stop the others' series.
    try {
      const outcome = await extendSeriesHorizons(d, team);
      totals.teams += 1;
      totals.series += outcome.series;
      totals.booked += outcome.booked;
      totals.conflicts += outcome.conflicts;
    } catch (error) {
      logger.error('series extension failed for a team', { teamId: team.id, errorName: error instanceof Error ? error.name : typeof error });
    }
  }
  logger.info('meeting series extended', totals);
  return totals;
};

export const handler = middy(() => core());

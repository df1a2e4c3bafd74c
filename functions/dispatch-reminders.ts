import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../shared/logger.js';
import { publishCounts } from '../shared/http/metrics.js';
import { sendersFromEnv } from '../shared/notify/senders-from-env.js';
import { listTeams } from '../shared/store/teams.js';
import { defaultDeps } from '../shared/use-cases/deps.js';
import type { Deps } from '../shared/use-cases/deps.js';
import type { DispatchConfig, DispatchStats } from '../shared/use-cases/dispatch.js';
import { dispatchTeam, noDispatchStats } from '../shared/use-cases/dispatch.js';
import { errorName, forEachTeam } from '../shared/use-cases/each-team.js';

const deps = defaultDeps();
const notify = sendersFromEnv();

/** Every minute: sends each team's due reminders, queued notices and invitations, each at most once. */
export const core = async (d: Deps = deps, config: DispatchConfig = notify): Promise<DispatchStats> => {
  const totals: DispatchStats = noDispatchStats();
  const { results, failedTeams: teamErrors } = await forEachTeam(
    await listTeams(d.db),
    (team) => dispatchTeam(d, config, team),
    (team, error) => logger.error('dispatch failed for a team', { teamId: team.id, errorName: errorName(error) }),
  );
  for (const stats of results) for (const key of Object.keys(totals) as (keyof DispatchStats)[]) totals[key] += stats[key];
  publishCounts({
    RemindersSent: totals.sent,
    RemindersRetried: totals.retried,
    RemindersFailed: totals.failed + totals.unknown + teamErrors,
    RemindersOutcomeUnknown: totals.unknown,
    RemindersDropped: totals.dropped,
    DispatchTeamErrors: teamErrors,
  });
  if (totals.failed > 0) logger.warn('reminders failed after their last attempt', { failed: totals.failed });
  return totals;
};

export const handler = middy(() => core()).use(injectLambdaContext(logger));

import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../shared/logger.js';
import { publishCounts } from '../shared/http/metrics.js';
import { noPurgeCounts } from '../shared/schemas/retention.js';
import type { PurgeCounts } from '../shared/schemas/retention.js';
import { listTeams } from '../shared/store/teams.js';
import { defaultDeps } from '../shared/use-cases/deps.js';
import type { Deps } from '../shared/use-cases/deps.js';
import { errorName } from '../shared/use-cases/each-team.js';
import { purgeAllTeams } from '../shared/use-cases/purge.js';

const deps = defaultDeps();

/** Daily: removes every team's personal data whose retention has run out (§10), each team's figures folded first; writes a receipt per team. */
export const core = async (d: Deps = deps, asOf?: string): Promise<PurgeCounts & { teams: number; failedTeams: number }> => {
  const teams = await listTeams(d.db);
  const { receipts, failedTeams } = await purgeAllTeams(d, teams, {
    actor: 'job:purge',
    ...(asOf ? { asOf } : {}),
    // Only the team id and the error's class: never a message, which might name a case.
    onError: (teamId, error) => logger.error('purge failed for a team', { teamId, errorName: errorName(error) }),
  });
  const totals = noPurgeCounts();
  for (const r of receipts) for (const key of Object.keys(totals) as (keyof PurgeCounts)[]) totals[key] += r.counts[key];
  publishCounts({
    PurgedCases: totals.cases + totals.declinedReferrals,
    PurgedItems: totals.visits + totals.reminders + totals.auditEntries + totals.meetings + totals.dayItems,
    PurgeTeamErrors: failedTeams,
  });
  logger.info('purge done', { teams: teams.length, failedTeams, ...totals });
  return { ...totals, teams: teams.length, failedTeams };
};

export const handler = middy(() => core()).use(injectLambdaContext(logger));

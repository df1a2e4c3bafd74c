import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as handovers from '../shared/use-cases/handovers.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.handoverProposals> = async ({ principal, query }) => ({
  proposals: await handovers.handoverProposals(deps, principal, query.week),
});
export const handler = httpHandler(routes.handoverProposals, core);

import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as visits from '../shared/use-cases/visits.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.recordVisitOutcome> = async ({ principal, params, body }) =>
  visits.recordOutcome(deps, principal, params.id, body);
export const handler = httpHandler(routes.recordVisitOutcome, core);

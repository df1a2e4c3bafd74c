import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as calendar from '../shared/use-cases/calendar.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.revokeCalendarToken> = async ({ principal, params, query }) =>
  calendar.revokeCalendarToken(deps, principal, params.staffId, query.scope);
export const handler = httpHandler(routes.revokeCalendarToken, core);

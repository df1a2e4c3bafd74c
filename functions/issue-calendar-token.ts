import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as calendar from '../shared/use-cases/calendar.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

/** The API's own origin, as the client reached it (API Gateway sets x-forwarded-proto; the local server is plain http). */
const baseUrlOf = (headers: Record<string, string | undefined>): string =>
  `${headers['x-forwarded-proto'] ?? 'http'}://${headers['host'] ?? 'localhost'}`;

export const core: Core<typeof routes.issueCalendarToken> = async ({ principal, params, body, headers }) =>
  calendar.issueCalendarToken(deps, principal, params.staffId, body.scope, baseUrlOf(headers));
export const handler = httpHandler(routes.issueCalendarToken, core);

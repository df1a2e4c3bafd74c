import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as visits from '../shared/use-cases/visits.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.visitAudit> = async ({ principal, params }) => ({
  entries: await visits.visitAudit(deps, principal, params.id),
});
export const handler = httpHandler(routes.visitAudit, core);

import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as staff from '../shared/use-cases/staff.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.createAbsence> = async ({ principal, params, body }) =>
  staff.createAbsence(deps, principal, params.staffId, body);
export const handler = httpHandler(routes.createAbsence, core);

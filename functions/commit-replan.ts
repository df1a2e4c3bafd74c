import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import { defaultDeps } from '../shared/use-cases/deps.js';
import * as replan from '../shared/use-cases/replan.js';

const deps = defaultDeps();

export const core: Core<typeof routes.commitReplan> = async ({ principal, params, body }) => replan.commitReplan(deps, principal, params.week, body);
export const handler = httpHandler(routes.commitReplan, core);

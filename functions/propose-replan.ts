import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import { defaultDeps } from '../shared/use-cases/deps.js';
import * as replan from '../shared/use-cases/replan.js';

const deps = defaultDeps();

export const core: Core<typeof routes.proposeReplan> = async ({ principal, params }) => replan.proposeReplan(deps, principal, params.week);
export const handler = httpHandler(routes.proposeReplan, core);

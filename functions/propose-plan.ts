import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import { defaultDeps } from '../shared/use-cases/deps.js';
import * as plan from '../shared/use-cases/plan.js';

const deps = defaultDeps();

export const core: Core<typeof routes.proposePlan> = async ({ principal, params }) => plan.proposeWeek(deps, principal, params.week);
export const handler = httpHandler(routes.proposePlan, core);

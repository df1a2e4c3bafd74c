import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as plan from '../shared/use-cases/plan-commit.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.commitPlan> = async ({ principal, params, body }) => plan.commitProposal(deps, principal, params.week, body);
export const handler = httpHandler(routes.commitPlan, core);

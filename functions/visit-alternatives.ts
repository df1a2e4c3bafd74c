import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as alternatives from '../shared/use-cases/alternatives.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.visitAlternatives> = async ({ principal, params }) =>
  alternatives.visitAlternatives(deps, principal, params.id);
export const handler = httpHandler(routes.visitAlternatives, core);

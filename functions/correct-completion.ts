import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as families from '../shared/use-cases/families.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.correctCompletion> = async ({ principal, params, body }) =>
  families.correctCompletion(deps, principal, params.code, body);
export const handler = httpHandler(routes.correctCompletion, core);

import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as purge from '../shared/use-cases/purge.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.updateRetention> = async ({ principal, params, body }) =>
  purge.updateRetention(deps, principal, params.teamId, body);
export const handler = httpHandler(routes.updateRetention, core);

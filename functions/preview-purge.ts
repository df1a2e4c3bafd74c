import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as purge from '../shared/use-cases/purge.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.previewPurge> = async ({ principal, params, query }) =>
  purge.previewRetention(deps, principal, params.teamId, query.asOf);
export const handler = httpHandler(routes.previewPurge, core);

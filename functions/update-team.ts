import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as teams from '../shared/use-cases/teams.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.updateTeam> = async ({ params, body }) => teams.updateTeam(deps, params.teamId, body);
export const handler = httpHandler(routes.updateTeam, core);

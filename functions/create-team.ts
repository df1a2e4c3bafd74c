import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as teams from '../shared/use-cases/teams.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.createTeam> = async ({ body }) => teams.createTeam(deps, body);
export const handler = httpHandler(routes.createTeam, core);

import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as families from '../shared/use-cases/families.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.createFamily> = async ({ principal, body }) => families.createFamily(deps, principal, body);
export const handler = httpHandler(routes.createFamily, core);

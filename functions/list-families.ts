import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as families from '../shared/use-cases/families.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.listFamilies> = async ({ principal, query }) => ({
  families: await families.listFamilies(deps, principal, query),
});
export const handler = httpHandler(routes.listFamilies, core);

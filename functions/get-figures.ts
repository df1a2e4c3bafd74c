import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as figures from '../shared/use-cases/figures.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.getFigures> = async ({ principal, query }) => figures.figuresFor(deps, principal, query);
export const handler = httpHandler(routes.getFigures, core);

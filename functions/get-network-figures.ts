import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as network from '../shared/use-cases/network.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.getNetworkFigures> = async ({ principal, query }) =>
  network.networkFigures(deps, principal, { from: query.from, to: query.to });
export const handler = httpHandler(routes.getNetworkFigures, core);

import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as network from '../shared/use-cases/network.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.setNetworkParticipation> = async ({ principal, params, body }) =>
  network.setNetworkParticipation(deps, principal, params.teamId, body);
export const handler = httpHandler(routes.setNetworkParticipation, core);

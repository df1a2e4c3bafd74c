import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as meetings from '../shared/use-cases/meetings.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.updateMeeting> = async ({ principal, params, body }) =>
  meetings.updateMeeting(deps, principal, params.id, body);
export const handler = httpHandler(routes.updateMeeting, core);

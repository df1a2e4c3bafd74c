import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import { signInDirectoryFromEnv } from '../shared/identity/sign-ins-from-env.js';
import * as staff from '../shared/use-cases/staff.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = { ...defaultDeps(), signIns: signInDirectoryFromEnv() };

export const core: Core<typeof routes.deactivateStaff> = async ({ principal, params, body }) =>
  staff.deactivateStaff(deps, principal, params.staffId, body.version);
export const handler = httpHandler(routes.deactivateStaff, core);

import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import { signInDirectoryFromEnv } from '../shared/identity/sign-ins-from-env.js';
import * as staff from '../shared/use-cases/staff.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = { ...defaultDeps(), signIns: signInDirectoryFromEnv() };

export const core: Core<typeof routes.updateStaff> = async ({ principal, params, body }) => staff.updateStaff(deps, principal, params.staffId, body);
export const handler = httpHandler(routes.updateStaff, core);

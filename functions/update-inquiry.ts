import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as inquiries from '../shared/use-cases/inquiries.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.updateInquiry> = async ({ principal, body, params }) =>
  inquiries.updateInquiry(deps, principal, params.id, body);
export const handler = httpHandler(routes.updateInquiry, core);

import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as inquiries from '../shared/use-cases/inquiries.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.deleteInquiry> = async ({ principal, params, query }) =>
  inquiries.deleteInquiry(deps, principal, params.id, query.version);
export const handler = httpHandler(routes.deleteInquiry, core);

import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as inquiries from '../shared/use-cases/inquiries.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.createInquiry> = async ({ principal, body }) => inquiries.createInquiry(deps, principal, body);
export const handler = httpHandler(routes.createInquiry, core);

import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import { ServiceUnavailable } from '../shared/domain/errors.js';
import * as routes from '../shared/http/route-defs.js';
import { tableAnswers } from '../shared/store/readiness.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

/** Readiness: 200 only when the table answers, 503 otherwise (GET /health stays the liveness check). */
export const core: Core<typeof routes.ready> = async () => {
  if (!(await tableAnswers(deps.db))) throw new ServiceUnavailable('The data store is unavailable.');
  return { status: 'ready' as const };
};
export const handler = httpHandler(routes.ready, core);

import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import { defaultDeps } from '../shared/use-cases/deps.js';
import * as reminders from '../shared/use-cases/reminders.js';

const deps = defaultDeps();

export const core: Core<typeof routes.listReminders> = async ({ principal, query }) => ({
  reminders: await reminders.listReminders(deps, principal, query.status),
});
export const handler = httpHandler(routes.listReminders, core);

import type { Core } from '../shared/http/handler.js';
import { httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import { appVersion } from '../shared/version.js';

export const core: Core<typeof routes.health> = async () => ({ status: 'ok' as const, version: appVersion });
export const handler = httpHandler(routes.health, core);

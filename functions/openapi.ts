import type { Core } from '../shared/http/handler.js';
import { httpHandler, RawResponse } from '../shared/http/handler.js';
import { openApiDocument } from '../shared/http/openapi.js';
import { allRoutes, routes } from '../shared/http/routes.js';
import { appVersion } from '../shared/version.js';

const document = JSON.stringify(openApiDocument(allRoutes, appVersion));

export const core: Core<typeof routes.openapi> = async () =>
  new RawResponse(200, document, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' });
export const handler = httpHandler(routes.openapi, core);

import type { Core } from '../shared/http/handler.js';
import { RawResponse, httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import * as calendar from '../shared/use-cases/calendar.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

// Clients poll hourly (REFRESH-INTERVAL); a shared cache must never keep a personal schedule.
const cacheControl = 'private, max-age=300';

/** GET and HEAD /calendar/{file} (httpHandler drops the body for HEAD): the path value is the secret, so nothing here logs it, and every unknown token is a bare 404. */
export const core: Core<typeof routes.calendarFeed> = async ({ params, headers }) => {
  const feed = await calendar.calendarFeed(deps, params.file, headers['if-none-match'], headers['if-modified-since']);
  if (feed.kind === 'not-found') return new RawResponse(404, '', { 'Cache-Control': 'no-store' });
  const validators = { ETag: feed.etag, ...(feed.lastModified ? { 'Last-Modified': feed.lastModified } : {}), 'Cache-Control': cacheControl };
  if (feed.kind === 'not-modified') return new RawResponse(304, '', validators);
  return new RawResponse(200, feed.body, { 'Content-Type': 'text/calendar; charset=utf-8', ...validators });
};
export const handler = httpHandler(routes.calendarFeed, core);

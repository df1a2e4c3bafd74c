import type { Core } from '../shared/http/handler.js';
import { RawResponse, httpHandler } from '../shared/http/handler.js';
import { routes } from '../shared/http/routes.js';
import * as calendar from '../shared/use-cases/calendar.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

// Clients poll hourly (REFRESH-INTERVAL); a shared cache must never keep a personal schedule.
const cacheControl = 'private, max-age=300';

/** GET /calendar/{file}: the path value is the secret, so nothing here logs it, and every unknown token is a bare 404. */
export const core: Core<typeof routes.calendarFeed> = async ({ params, headers }) => {
  const feed = await calendar.calendarFeed(deps, params.file, headers['if-none-match']);
  if (feed.kind === 'not-found') return new RawResponse(404, '', { 'Cache-Control': 'no-store' });
  if (feed.kind === 'not-modified') return new RawResponse(304, '', { ETag: feed.etag, 'Cache-Control': cacheControl });
  return new RawResponse(200, feed.body, { 'Content-Type': 'text/calendar; charset=utf-8', ETag: feed.etag, 'Cache-Control': cacheControl });
};
export const handler = httpHandler(routes.calendarFeed, core);

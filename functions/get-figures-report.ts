import type { Core } from '../shared/http/handler.js';
import { RawResponse, httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import { renderReport } from '../shared/domain/figures/report.js';
import * as figures from '../shared/use-cases/figures.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

// No script may run in the report (it is printed and shared); the policy also keeps out anything fetched from elsewhere.
const contentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** GET /figures/report: the §9 figures as a printable Swedish HTML page with inline SVG charts. */
export const core: Core<typeof routes.getFiguresReport> = async ({ principal, query }) => {
  const html = renderReport(await figures.reportFor(deps, principal, query));
  return new RawResponse(200, html, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
};
export const handler = httpHandler(routes.getFiguresReport, core);

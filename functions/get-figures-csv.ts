import type { Core } from '../shared/http/handler.js';
import { RawResponse, httpHandler } from '../shared/http/handler.js';
import * as routes from '../shared/http/route-defs.js';
import { figuresCsv } from '../shared/domain/figures/csv.js';
import * as figures from '../shared/use-cases/figures.js';
import { defaultDeps } from '../shared/use-cases/deps.js';

const deps = defaultDeps();

export const core: Core<typeof routes.getFiguresCsv> = async ({ principal, query }) => {
  const csv = figuresCsv(await figures.figuresFor(deps, principal, query));
  return new RawResponse(200, csv, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="ikb-figures-${query.from}-${query.to}.csv"`,
    'Cache-Control': 'no-store',
  });
};
export const handler = httpHandler(routes.getFiguresCsv, core);

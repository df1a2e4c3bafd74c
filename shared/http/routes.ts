import * as defs from './route-defs.js';
import type { RouteDef } from './route.js';

export type { RouteDef } from './route.js';
export { handlerFileOf, methodsOf } from './route.js';

/**
 * The whole table, by route id: every export of route-defs.ts, nothing kept by hand. The type check below fails when an
 * export there is not a route or its `id` is not its export name (the id names the function and its handler file).
 */
export const routes = defs satisfies { [K in keyof typeof defs]: RouteDef & { id: K } };

export type RouteId = keyof typeof routes;

const methodOrder: readonly RouteDef['method'][] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Every route, ordered by path and then method (the OpenAPI document, the stacks and the local server list them so).
 * A literal segment sorts before a `{parameter}` (`{` follows the letters), as API Gateway prefers the literal.
 */
export const allRoutes: readonly RouteDef[] = Object.values(routes).sort((a, b) =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : methodOrder.indexOf(a.method) - methodOrder.indexOf(b.method),
);

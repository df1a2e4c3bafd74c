import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../shared/http/handler.js';
import { allRoutes, handlerFileOf } from '../../shared/http/routes.js';
import type { RouteId } from '../../shared/http/routes.js';

export type LambdaHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

const isHandlerModule = (module: unknown): module is { handler: LambdaHandler } =>
  typeof module === 'object' && module !== null && 'handler' in module && typeof module.handler === 'function';

/**
 * Every route's Lambda handler, for the local server and the tests: the module CDK bundles for the route,
 * functions/<id in kebab-case>.ts, found from the route table itself (nothing to list here when a route is added).
 */
export const handlers = Object.fromEntries(
  await Promise.all(
    allRoutes.map(async (route) => {
      const file = new URL(`../../functions/${handlerFileOf(route.id)}.ts`, import.meta.url);
      const module: unknown = await import(/* @vite-ignore */ file.href);
      if (!isHandlerModule(module)) throw new Error(`${file.pathname} exports no handler for route ${route.id}`);
      return [route.id, module.handler] as const;
    }),
  ),
) as Record<RouteId, LambdaHandler>;

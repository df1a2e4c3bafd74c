import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../shared/http/handler.js';
import type { RouteDef } from '../../shared/http/routes.js';
import { methodsOf } from '../../shared/http/routes.js';

/** A request matched to a route, with its path parameters. */
export interface RouteMatch {
  route: RouteDef;
  pathParameters: Record<string, string>;
  /** The method matched: the route's own, or HEAD on a GET route that answers it. */
  method: string;
}

/** A path segment URL-decoded; a malformed escape (`%E0%A4%A`) is kept as sent, for the route's own validation to refuse. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The request target as sent: API Gateway routes on the raw path, so dot segments (`/visits/%2e%2e`, or `/teams/..`
 * from `curl --path-as-is`) reach the route as a path parameter, instead of being resolved away as WHATWG URL parsing
 * does (which made them the bare "no route" 404 — issue 24 §3).
 */
export function splitTarget(target: string): { path: string; rawQueryString: string } {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  const relative = absolute ? target.slice(absolute[0].length) || '/' : target;
  const noFragment = relative.split('#')[0] ?? '';
  const q = noFragment.indexOf('?');
  return q < 0 ? { path: noFragment || '/', rawQueryString: '' } : { path: noFragment.slice(0, q) || '/', rawQueryString: noFragment.slice(q + 1) };
}

/** Finds the route for a method and path, as API Gateway's route matching would. */
export function matchRoute(routes: readonly RouteDef[], method: string, path: string): RouteMatch | 'method-not-allowed' | undefined {
  let pathMatched = false;
  for (const route of routes) {
    const names: string[] = [];
    const pattern = route.path.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(path);
    if (!match) continue;
    pathMatched = true;
    if (!(methodsOf(route) as readonly string[]).includes(method)) continue;
    const pathParameters: Record<string, string> = {};
    names.forEach((name, i) => (pathParameters[name] = decodeSegment(match[i + 1] ?? '')));
    return { route, pathParameters, method };
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}

/** The API Gateway HTTP API (payload 2.0) event the Lambda would receive, with the authorizer's verified claims. */
export function httpEvent(input: {
  route: RouteDef;
  /** The request's method when it is not the route's own (HEAD on a GET route). */
  method?: string;
  path: string;
  pathParameters: Record<string, string>;
  query?: Record<string, string>;
  /** The query string as sent (API Gateway's rawQueryString); by default rebuilt from `query`. */
  rawQueryString?: string;
  headers?: Record<string, string>;
  body?: string;
  claims?: Record<string, string>;
}): HttpEvent {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: `${input.method ?? input.route.method} ${input.route.path}`,
    rawPath: input.path,
    rawQueryString: input.rawQueryString ?? new URLSearchParams(input.query ?? {}).toString(),
    headers: input.headers ?? {},
    queryStringParameters: input.query && Object.keys(input.query).length ? input.query : undefined,
    pathParameters: Object.keys(input.pathParameters).length ? input.pathParameters : undefined,
    body: input.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: input.method ?? input.route.method,
        path: input.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: input.headers?.['user-agent'] ?? '',
      },
      requestId: `local-${now}-${Math.random().toString(36).slice(2)}`,
      routeKey: `${input.method ?? input.route.method} ${input.route.path}`,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: input.claims ?? {}, scopes: [] } },
    },
  } as HttpEvent;
}

/** A minimal Lambda context for local invocations. */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: `local-${Date.now()}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

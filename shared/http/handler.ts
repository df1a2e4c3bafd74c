import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { ExpectedError, Forbidden, Invalid } from '../domain/errors.js';
import { PayloadTooLarge, UriTooLong, problemOf } from './errors.js';
import { fieldErrors } from '../domain/field-errors.js';
import { idempotency, runAsKeyed } from './idempotency.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../logger.js';
import type { Principal } from '../domain/principal.js';
import { principalOf } from './principal.js';
import type { RouteDef } from './routes.js';
import type { Deps } from '../use-cases/deps.js';
import { defaultDeps } from '../use-cases/deps.js';

type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** What a core function receives: validated input and the verified caller. */
export interface ApiRequest<R extends RouteDef> {
  principal: R['auth'] extends 'public' ? Principal | undefined : Principal;
  params: Out<R['params']>;
  query: Out<R['query']>;
  body: Out<R['body']>;
  headers: Record<string, string | undefined>;
}

/** A response whose status, headers or non-JSON body the core chooses itself. */
export class RawResponse {
  constructor(
    readonly statusCode: number,
    readonly body: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

export type Core<R extends RouteDef> = (request: ApiRequest<R>) => Promise<unknown>;
export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** The largest request body any route accepts, in bytes (README "Errors"); the local server enforces the same. */
export const maxBodyBytes = 1024 * 1024;

/**
 * The longest URL (path and query as sent, in bytes) any route accepts (README "Safe retries and request limits"):
 * far above any real request, and far enough under API Gateway's 10,240 bytes for the request line and headers
 * together that a longer one reaches the function and gets the documented 414 rather than the gateway's own answer.
 */
export const maxUrlBytes = 4096;

const jsonHeaders = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
const internalError = JSON.stringify({ error: { code: 'internal', message: 'Something went wrong on our side. Nothing was changed.' } });

function parsePart(schema: z.ZodType | undefined, value: unknown, prefix: string): unknown {
  if (!schema) return {};
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new Invalid(fieldErrors(result.error, prefix));
  return result.data;
}

/** Turns every failure into an exposable HTTP error: expected errors get their status and body from problemOf, body-parser errors become 400, the rest a bare 500. */
const apiErrors = (route: RouteDef): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const error: unknown = request.error;
    let expected: ExpectedError | undefined;
    if (error instanceof ExpectedError) expected = error;
    else if (isMiddyBodyError(error))
      expected = new Invalid([
        { path: '(body)', message: error.statusCode === 415 ? 'Content-Type must be application/json' : 'body is not valid JSON' },
      ]);
    const problem = expected && problemOf(expected);
    if (expected && problem) {
      logger.info('request refused', { route: route.id, status: problem.statusCode, code: expected.code });
      request.error = Object.assign(new Error(JSON.stringify(problem.body)), {
        statusCode: problem.statusCode,
        expose: true,
        headers: { 'Cache-Control': 'no-store' },
      });
      return;
    }
    logger.error('request failed', { route: route.id, errorName: error instanceof Error ? error.name : typeof error });
    request.error = Object.assign(new Error(internalError), { statusCode: 500, expose: true });
  },
});

/**
 * Refuses a URL over maxUrlBytes (414) and a body over maxBodyBytes (413) before anything parses them, on every
 * route — one that takes no body too (issue 24 §3: it used to ignore 3 MiB and refuse 11 MiB) — so AWS (for what
 * API Gateway and Lambda pass on) and the local server answer alike.
 */
const requestLimits: middy.MiddlewareObj<HttpEvent, HttpResult> = {
  before: (request) => {
    const { rawPath, rawQueryString } = request.event;
    const urlBytes = Buffer.byteLength(rawPath ?? '', 'utf8') + (rawQueryString ? 1 + Buffer.byteLength(rawQueryString, 'utf8') : 0);
    if (urlBytes > maxUrlBytes) throw new UriTooLong(maxUrlBytes);
    const body = request.event.body;
    if (typeof body !== 'string') return;
    const bytes = Buffer.byteLength(body, request.event.isBase64Encoded ? 'base64' : 'utf8');
    if (bytes > maxBodyBytes) throw new PayloadTooLarge(maxBodyBytes);
  },
};

function isMiddyBodyError(error: unknown): error is { statusCode: number } {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  return status === 415 || status === 422;
}

/** The caller's verified identity, role check and zod-validated input: every failure here is a 401, 403 or 400. */
function admit<R extends RouteDef>(route: R, event: HttpEvent): ApiRequest<R> {
  let principal: Principal | undefined;
  if (route.auth !== 'public') {
    principal = principalOf(event);
    const allowed = route.auth.some((g) => principal?.groups.has(g));
    if (!allowed) throw new Forbidden('Your role may not do this.');
  }
  const params = parsePart(route.params, event.pathParameters, 'path');
  const query = parsePart(route.query, event.queryStringParameters, 'query');
  const body = parsePart(route.body, route.body ? event.body : undefined, '');
  return { principal, params, query, body, headers: event.headers ?? {} } as ApiRequest<R>;
}

/** Admits the request in a `before` step, so that it is refused before the idempotency step records anything. */
const admission = <R extends RouteDef>(route: R, admitted: WeakMap<HttpEvent, ApiRequest<R>>): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  before: (request) => {
    admitted.set(request.event, admit(route, request.event));
  },
});

/**
 * Wraps a core function in the middy stack every route uses: headers, URL and body limits, JSON body, auth, zod validation, Idempotency-Key, error mapping.
 * `deps` gives the Idempotency-Key records their table: by default the production wiring's, as the core's own.
 */
export function httpHandler<R extends RouteDef>(route: R, core: Core<R>, deps: () => Pick<Deps, 'db'> = defaultDeps) {
  const admitted = new WeakMap<HttpEvent, ApiRequest<R>>();
  const respond = (event: HttpEvent, result: unknown): HttpResult => {
    if (result instanceof RawResponse) {
      // HEAD (RFC 9110 §9.3.2): the GET response's status and headers, with the length the body would have had, and no body.
      if (event.requestContext.http.method === 'HEAD')
        return {
          statusCode: result.statusCode,
          body: '',
          headers: { ...result.headers, ...(result.body ? { 'Content-Length': String(Buffer.byteLength(result.body, 'utf8')) } : {}) },
        };
      return { statusCode: result.statusCode, body: result.body, headers: result.headers };
    }
    if (route.successStatus === 204) return { statusCode: 204, headers: { 'Cache-Control': 'no-store' } };
    return { statusCode: route.successStatus, body: JSON.stringify(result), headers: jsonHeaders };
  };
  // With an Idempotency-Key, the core runs as the keyed request, so its write can carry the key's record and answer.
  const base = async (event: HttpEvent): Promise<HttpResult> =>
    respond(
      event,
      await runAsKeyed(
        event,
        (result) => respond(event, result),
        () => core(admitted.get(event) ?? admit(route, event)),
      ),
    );
  // First: every log line of the request carries its Lambda context (request id, function, cold start).
  const handler = middy<HttpEvent, HttpResult, Error, Context>(base).use(injectLambdaContext(logger)).use(httpHeaderNormalizer()).use(requestLimits);
  if (route.body) handler.use(httpJsonBodyParser());
  handler
    .use(httpErrorHandler({ logger: false, fallbackMessage: internalError }))
    .use(apiErrors(route))
    .use(admission(route, admitted));
  // Registered last: its `before` runs after admission, and its `after`/`onError` first (middy runs those in reverse).
  if (route.idempotent) handler.use(idempotency(route, deps));
  return handler;
}

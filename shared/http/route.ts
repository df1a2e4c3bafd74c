import type * as z from 'zod';
import type { Group } from '../domain/principal.js';

/**
 * One route of the HTTP API. The definitions in route-defs.ts are the single source for the Lambda wiring, the local
 * server's handlers and the OpenAPI document (routes.ts assembles them into the table).
 */
export interface RouteDef {
  /** Also names the handler file: functions/<kebab-case id>.ts. */
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  summary: string;
  /** 'public' needs no sign-in; otherwise the groups allowed to call at all (finer checks live in the use case). */
  auth: 'public' | readonly Group[];
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  successStatus: 200 | 201 | 204;
  /** Error statuses the route can answer with, for the OpenAPI document (401, 403, 429 and 500 are added by kind: see statusesOf). */
  errors: readonly number[];
  /**
   * The route honours an `Idempotency-Key` header (issue 10 §3): the same key and body from the same caller within
   * 24 h gets the first answer again and changes nothing; another body with that key is a 422.
   */
  idempotent?: true;
  /** Statuses this route answers with an empty body (e.g. the calendar feed's 304 and 404). */
  emptyStatuses?: readonly number[];
  /** The success body's media type when it is not JSON (the body is then text, not `response`). */
  mediaType?: 'text/calendar' | 'text/csv' | 'text/html';
  /** What the route's function may do with the table, when the default (public: none; GET: read; else readWrite) is wrong. */
  tableAccess?: 'none' | 'read' | 'readWrite';
  /** A per-route throttle below the stage default (requests per second and burst), for public routes worth guarding. */
  throttle?: { rateLimit: number; burstLimit: number };
  /** Why a public route may go without sign-in (the cdk-nag APIG4 acknowledgment). */
  publicReason?: string;
  /** A GET route that also answers HEAD (same function, same headers, no body): its own API Gateway route `HEAD <path>`. */
  head?: true;
  /**
   * The route's function runs the planner's exact phase (HiGHS, WebAssembly): it gets a full vCPU and API Gateway's
   * 29 s, and its bundle gets `highs.wasm` beside it.
   */
  solver?: true;
}

/** The methods a route answers: its own, plus HEAD for a GET route that has `head`. */
export const methodsOf = (route: RouteDef): readonly (RouteDef['method'] | 'HEAD')[] =>
  route.head && route.method === 'GET' ? [route.method, 'HEAD'] : [route.method];

/** functions/<file>.ts for a route id: createFamily → create-family. */
export const handlerFileOf = (id: string): string => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

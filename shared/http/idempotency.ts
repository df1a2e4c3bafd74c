import { createHash, randomUUID } from 'node:crypto';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { KeyedRequest, StoredAnswer } from '../store/idempotency.js';
import { acquireRecord, completeRecord, idempotencyPartition, releaseRecord, runKeyed } from '../store/idempotency.js';
import { Conflict, Invalid } from '../domain/errors.js';
import { IdempotencyKeyReused } from './errors.js';
import { logger } from '../logger.js';
import { principalOf } from './principal.js';
import type { Deps } from '../use-cases/deps.js';
import type { RouteDef } from './routes.js';

type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
type HttpResult = APIGatewayProxyStructuredResultV2;

/** The request header, as httpHeaderNormalizer leaves it (lower case). */
export const idempotencyHeader = 'idempotency-key';
/** What a key may look like: 1–255 visible ASCII characters (a UUID is typical). */
const keyPattern = /^[\x21-\x7e]{1,255}$/;
/** The answer to a replay carries this header, so a client can tell. */
export const replayedHeader = 'Idempotent-Replayed';
/** How long a request holds its key when the Lambda context does not say how long it may run. */
const defaultLockMs = 30_000;

/** JSON with object keys sorted, so that the same body in another key order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
const hash = (value: unknown) => createHash('sha256').update(canonical(value)).digest('base64url');

/** The keyed request an event is running as (set by the middleware's `before`, read by `runAsKeyed`). */
const keyedEvents = new WeakMap<HttpEvent, KeyedRequest>();

const storedAnswer = (result: HttpResult): StoredAnswer => ({
  statusCode: result.statusCode ?? 200,
  headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
  body: result.body ?? '',
});

/**
 * Runs a route's core function as the keyed request its event carries, if it carries one, so that the use case's
 * writes can put the key's record into their own transaction (store/idempotency.ts: `answerItems`, `progressItems`).
 * `answerOf` turns the core's result into the HTTP answer exactly as the handler will.
 */
export function runAsKeyed<T>(event: HttpEvent, answerOf: (result: unknown) => HttpResult, run: () => Promise<T>): Promise<T> {
  const keyed = keyedEvents.get(event);
  if (!keyed) return run();
  keyed.answerOf = (result) => storedAnswer(answerOf(result));
  return runKeyed(keyed, run);
}

/**
 * Makes a route honour the Idempotency-Key header (issue 10 §3; issue 24 §1): the same key and request from the same
 * caller within 24 h gets the first answer (status, headers, body) and runs nothing; another request under that key
 * is a 422; the same key while the first request still runs is a 409. Without the header the route runs as before.
 * The records go to the table of `deps().db`, asked for on each keyed request (never at module load).
 *
 * The key's record is written in the SAME DynamoDB transaction as the write it guards, with the answer in it
 * (`answerItems` in the use case's write): there is no moment at which the write has committed and the record does
 * not say so. Before the use case runs, the request takes the record (one conditional UpdateItem, locked until the
 * Lambda's deadline); a retry after a crash finds either the completed record (and replays it) or a record whose
 * lock expired and whose write never happened (and runs the request), or — for a request that commits in several
 * steps — the steps already committed, noted in their own transactions, and carries on from them. A failed request
 * gives its record back, so its retry runs again. Powertools' idempotency utility does the same bookkeeping in three
 * separate writes around the handler, which is what let a crash create things twice (README "Safe retries").
 */
export function idempotency(route: RouteDef, deps: () => Pick<Deps, 'db'>): middy.MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  const running = (event: HttpEvent): KeyedRequest | undefined => {
    const keyed = keyedEvents.get(event);
    keyedEvents.delete(event);
    return keyed;
  };
  return {
    before: async (request) => {
      keyedEvents.delete(request.event);
      const key = request.event.headers?.[idempotencyHeader];
      if (key === undefined) return undefined;
      if (!keyPattern.test(key))
        throw new Invalid([{ path: `header.${idempotencyHeader}`, message: 'must be 1–255 visible ASCII characters (a UUID, for example)' }]);
      const principal = principalOf(request.event);
      const { db } = deps();
      // The key is hashed together with the caller's subject and team, so one user's key can never return another
      // user's or team's answer (the records also live in the caller's team partition); the key itself is not stored.
      const recordKey = { pk: idempotencyPartition(principal.teamId), sk: `${route.id}#${hash([principal.subject, principal.teamId ?? null, key])}` };
      // "The same request": path parameters, query and the parsed JSON body.
      const requestHash = hash([request.event.pathParameters ?? null, request.event.queryStringParameters ?? null, request.event.body ?? null]);
      const attempt = randomUUID();
      const now = Date.now();
      const remaining = typeof request.context?.getRemainingTimeInMillis === 'function' ? request.context.getRemainingTimeInMillis() : defaultLockMs;
      const acquired = await acquireRecord(db, recordKey, requestHash, attempt, now + remaining, now);
      if (acquired.outcome === 'reused') throw new IdempotencyKeyReused();
      if (acquired.outcome === 'busy') throw new Conflict('A request with this Idempotency-Key is still in progress; try again in a moment.');
      if (acquired.outcome === 'replay') {
        logger.info('idempotent replay', { route: route.id });
        return { ...acquired.answer, headers: { ...acquired.answer.headers, [replayedHeader]: 'true' } };
      }
      if (Object.keys(acquired.progress).length > 0)
        logger.info('idempotent resume', { route: route.id, steps: Object.keys(acquired.progress).length });
      const unwired = () => {
        throw new Error(`${route.id}: the core did not run through runAsKeyed`);
      };
      keyedEvents.set(request.event, { db, key: recordKey, attempt, progress: acquired.progress, answerOf: unwired });
      return undefined;
    },
    after: async (request) => {
      const keyed = running(request.event);
      const response = request.response;
      if (!keyed || !response) return;
      const answer = storedAnswer(response);
      // The usual case: the answer committed with the write, nothing more to do.
      if (keyed.answered && keyed.answered.body === answer.body && keyed.answered.statusCode === answer.statusCode) return;
      // A request that wrote nothing more (or finished the last of several steps) completes its record now.
      if (!(await completeRecord(keyed, answer))) logger.error('idempotency record not completed', { route: route.id });
    },
    onError: async (request) => {
      const keyed = running(request.event);
      if (!keyed) return;
      try {
        await releaseRecord(keyed);
      } catch {
        // Leave the request's own error in place; the lock expires at the Lambda's deadline.
        logger.error('idempotency record not released', { route: route.id });
      }
    },
  };
}

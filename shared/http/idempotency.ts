import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import type { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dbFromEnv } from '../store/client.js';
import { idempotencyPartition, idempotencyPersistence, idempotencyTtlSeconds } from '../store/idempotency.js';
import { Conflict, IdempotencyKeyReused, Invalid } from './errors.js';
import { logger } from './logger.js';
import { principalOf } from './principal.js';
import type { RouteDef } from './routes.js';

type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
type HttpResult = APIGatewayProxyStructuredResultV2;
type Inner = ReturnType<typeof makeHandlerIdempotent>;

/** The request header, as httpHeaderNormalizer leaves it (lower case). */
export const idempotencyHeader = 'idempotency-key';
/** What a key may look like: 1–255 visible ASCII characters (a UUID is typical). */
const keyPattern = /^[\x21-\x7e]{1,255}$/;
/** The answer to a replay carries this header, so a client can tell. */
export const replayedHeader = 'Idempotent-Replayed';

const claims = 'requestContext.authorizer.jwt.claims';
/**
 * The key is hashed together with the caller's subject and team, so one user's key can never return another
 * user's or team's answer (the records also live in the caller's team partition).
 */
const eventKeyJmesPath = `[${claims}.sub, ${claims}."custom:team_id", headers."${idempotencyHeader}"]`;
/** "The same request": path parameters, query and the parsed JSON body (key order does not matter: Powertools sorts). */
const payloadValidationJmesPath = '[pathParameters, queryStringParameters, body]';

interface RequestState {
  inner: Inner;
  /** True once this request holds the in-progress record it may delete on failure. */
  owner: boolean;
}

/**
 * Makes a route honour the Idempotency-Key header with Powertools' makeHandlerIdempotent middleware and its
 * DynamoDB persistence layer: the same key and body from the same caller within 24 h gets the first answer
 * (status, headers, body) and runs nothing; another body with that key is a 422; the same key while the first
 * request is still running is a 409. Without the header the route runs as before. Only successful answers are
 * kept: a failed request deletes its record, so a retry runs again.
 *
 * It wraps the Powertools middleware for two reasons. Records go to a persistence layer per caller's team
 * partition (Powertools' key is one static partition per layer). And Powertools 2.35's onError deletes the
 * record for the request's key even when its own `before` refused the request (powertools-lambda-typescript
 * #5675, fixed upstream after 2.35): a 422 or an in-flight 409 would delete the first request's record and
 * let the next retry create again. Here onError deletes only a record this request acquired.
 */
export function idempotency(route: RouteDef): middy.MiddlewareObj<HttpEvent, HttpResult> {
  const layers = new Map<string, DynamoDBPersistenceLayer>();
  const layerFor = (partition: string) => {
    let layer = layers.get(partition);
    if (!layer) layers.set(partition, (layer = idempotencyPersistence(dbFromEnv(), partition)));
    return layer;
  };
  const states = new WeakMap<middy.Request<HttpEvent, HttpResult>, RequestState>();
  const stateOf = (request: middy.Request<HttpEvent, HttpResult>) => states.get(request);

  return {
    before: async (request) => {
      states.delete(request);
      const key = request.event.headers?.[idempotencyHeader];
      if (key === undefined) return;
      if (!keyPattern.test(key)) throw new Invalid([{ path: `header.${idempotencyHeader}`, message: 'must be 1–255 visible ASCII characters (a UUID, for example)' }]);
      const principal = principalOf(request.event);
      const config = new IdempotencyConfig({
        eventKeyJmesPath,
        payloadValidationJmesPath,
        throwOnNoIdempotencyKey: true,
        expiresAfterSeconds: idempotencyTtlSeconds,
        responseHook: (response) => {
          const result = response as HttpResult;
          return { ...result, headers: { ...result.headers, [replayedHeader]: 'true' } };
        },
      });
      const inner = makeHandlerIdempotent({ persistenceStore: layerFor(idempotencyPartition(principal.teamId)), config, keyPrefix: route.id });
      const own: RequestState = { inner, owner: false };
      states.set(request, own);
      let replay: unknown;
      try {
        replay = await inner.before?.(request);
      } catch (error) {
        if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyReused();
        if (error instanceof IdempotencyAlreadyInProgressError) throw new Conflict('A request with this Idempotency-Key is still in progress; try again in a moment.');
        throw error;
      }
      if (replay !== undefined) {
        logger.info('idempotent replay', { route: route.id });
        return replay as HttpResult;
      }
      own.owner = true;
      return undefined;
    },
    after: async (request) => {
      const own = stateOf(request);
      if (!own?.owner) return;
      own.owner = false;
      try {
        await own.inner.after?.(request);
      } catch {
        // The write has committed: answer it. The record stays in progress until the Lambda's deadline, then a retry runs again.
        logger.error('idempotency record not completed', { route: route.id });
      }
    },
    onError: async (request) => {
      const own = stateOf(request);
      if (!own?.owner) return;
      own.owner = false;
      try {
        await own.inner.onError?.(request);
      } catch {
        // Leave the request's own error in place; the in-progress record expires at the Lambda's deadline.
        logger.error('idempotency record not released', { route: route.id });
      }
    },
  };
}

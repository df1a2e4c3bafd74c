import { randomUUID } from 'node:crypto';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';

/**
 * A benchmark's own DynamoDB Local and table, configured the way Lambda reads it (environment at load),
 * with a counter of every DynamoDB request the handlers send.
 */
export async function benchEnvironment(clock: string): Promise<{ dynamo: DynamoDbLocal; requests: () => number; reset: () => void }> {
  const dynamo = await startDynamoDbLocal();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.TABLE_NAME = `bench-${randomUUID()}`;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.LOG_LEVEL = 'SILENT';
  // The benchmarks' staff need no sign-ins (the system's own start chooses local ones; a bench has no directory).
  process.env.SIGN_IN_MODE ??= 'off';
  const { fixedClock, setDefaultClock } = await import('../../shared/use-cases/deps.js');
  setDefaultClock(fixedClock(clock));
  const { dbFromEnv } = await import('../../shared/store/client.js');
  const { ensureTable } = await import('../../shared/store/create-table.js');
  const db = dbFromEnv();
  await ensureTable(db);
  let count = 0;
  db.doc.middlewareStack.add(
    (next) => async (args) => {
      count += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  return { dynamo, requests: () => count, reset: () => (count = 0) };
}

/** Claims for the benchmark's coordinator and admin, in the string form API Gateway passes on. */
export const benchClaims = {
  coordinator: (teamId: string) => ({ sub: 'c', 'custom:team_id': teamId, 'custom:staff_id': 'coord', 'cognito:groups': '[coordinator]' }),
  admin: { sub: 'a', 'cognito:groups': '[admin]' },
};

/** Calls a route's real Lambda handler in-process, as the local server does; `claims` as the JWT authorizer would pass them. */
export async function handlerCaller(defaultClaims: Record<string, string>) {
  const { handlers } = await import('../../infra/local/handlers.js');
  const { httpEvent, lambdaContext, matchRoute } = await import('../../infra/local/http-event.js');
  const { allRoutes } = await import('../../shared/http/routes.js');
  return async (
    method: string,
    path: string,
    body: unknown,
    claims: Record<string, string> = defaultClaims,
  ): Promise<{ status: number; body: unknown }> => {
    const matched = matchRoute(allRoutes, method, path);
    if (!matched || matched === 'method-not-allowed') throw new Error(`no route ${method} ${path}`);
    const event = httpEvent({
      route: matched.route,
      path,
      pathParameters: matched.pathParameters,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      claims,
    });
    const res = await handlers[matched.route.id as keyof typeof handlers](event, lambdaContext(matched.route.id));
    return { status: res.statusCode ?? 0, body: typeof res.body === 'string' && res.body ? (JSON.parse(res.body) as unknown) : undefined };
  };
}

import { afterAll, beforeAll } from 'vitest';
import { handlers } from '../../infra/local/handlers.js';
import { httpEvent, lambdaContext, matchRoute, splitTarget } from '../../infra/local/http-event.js';
import { claimNames } from '../../shared/domain/principal.js';
import type { Group } from '../../shared/domain/principal.js';
import { allRoutes } from '../../shared/http/routes.js';
import type { RouteId } from '../../shared/http/routes.js';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dbFromEnv } from '../../shared/store/client.js';
import { dropTable, ensureTable } from '../../shared/store/create-table.js';
import { assertContract } from './contract.js';

/** A caller, as the JWT authorizer would describe them. */
export interface Caller {
  sub: string;
  team?: string;
  staff?: string;
  groups: Group[];
}

export const admin: Caller = { sub: 'admin', groups: ['admin'] };
export const coordinatorOf = (team: string, staff = 'coord'): Caller => ({ sub: `${team}-${staff}`, team, staff, groups: ['coordinator'] });
export const therapistOf = (team: string, staff: string): Caller => ({ sub: `${team}-${staff}`, team, staff, groups: ['therapist'] });

export interface ApiResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  text: string;
}

/** Claims in the string form API Gateway's JWT authorizer passes to the Lambda. */
function claimsOf(caller: Caller): Record<string, string> {
  return {
    sub: caller.sub,
    [claimNames.groups]: `[${caller.groups.join(' ')}]`,
    ...(caller.team ? { [claimNames.team]: caller.team } : {}),
    ...(caller.staff ? { [claimNames.staff]: caller.staff } : {}),
  };
}

/**
 * Calls the route's real Lambda handler (middy stack and all) with an API Gateway HTTP API event. Every response is
 * checked against the OpenAPI document (status documented for the route, body matching its schema): a response that
 * breaks the contract throws, failing the calling test with the route, the status and the validation errors.
 */
export interface CallOptions {
  as?: Caller;
  body?: unknown;
  rawBody?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/** The API Gateway HTTP API event a request becomes, and the route it matches (what `call` sends to the handler). */
export function requestEvent(
  method: string,
  path: string,
  options: CallOptions = {},
): { route: (typeof allRoutes)[number]; event: ReturnType<typeof httpEvent> } {
  // The path as sent, dot segments and all (API Gateway does not resolve them either).
  const target = splitTarget(path);
  const matched = matchRoute(allRoutes, method, target.path);
  if (!matched || matched === 'method-not-allowed') throw new Error(`no route ${method} ${path}`);
  const query: Record<string, string> = { ...options.query };
  new URLSearchParams(target.rawQueryString).forEach((v, k) => (query[k] = v));
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const event = httpEvent({
    route: matched.route,
    method: matched.method,
    path: target.path,
    pathParameters: matched.pathParameters,
    query,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(body !== undefined ? { body } : {}),
    ...(options.as ? { claims: claimsOf(options.as) } : {}),
  });
  return { route: matched.route, event };
}

export async function call(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const { route, event } = requestEvent(method, path, options);
  const result = await handlers[route.id as RouteId](event, lambdaContext(route.id));
  const text = typeof result.body === 'string' ? result.body : '';
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  assertContract(route, { status: result.statusCode ?? 200, headers, text });
  return { status: result.statusCode ?? 200, body: parsed, headers, text };
}

/** Creates this test file's own table in DynamoDB Local before its tests, and drops it after. */
export function useTable(): void {
  beforeAll(async () => ensureTable(dbFromEnv()));
  afterAll(async () => dropTable(dbFromEnv()));
}

/** The field paths of a 400 body. */
export function fieldPaths(body: unknown): string[] {
  const fields = (body as { error?: { fields?: { path: string }[] } } | undefined)?.error?.fields ?? [];
  return fields.map((f) => f.path);
}

/** Every item in this test file's table, sorted by key: compare before and after to prove that nothing was written. */
export async function tableItems(): Promise<string[]> {
  const db = dbFromEnv();
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({ TableName: db.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    for (const item of page.Items ?? []) items.push(JSON.stringify(item, Object.keys(item).sort()));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort();
}

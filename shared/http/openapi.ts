import * as z from 'zod';
import type { RouteDef } from './route.js';

const statusText: Record<number, string> = {
  304: 'Not modified since the ETag sent in If-None-Match (or the time in If-Modified-Since)',
  400: 'Invalid input; `error.fields` lists each failing field',
  401: 'Not signed in: a missing, expired or invalid token. API Gateway’s JWT authorizer answers this itself, before any function runs, with its fixed body {"message":"Unauthorized"}; the local server mimics it exactly',
  403: 'Signed in, but the role may not do this',
  404: 'Not found (also for records of another team, so existence does not leak)',
  409: 'Conflict: stale version, illegal transition, duplicate or double booking (or a request with the same Idempotency-Key still in progress)',
  413: 'The request body is larger than 1 MiB (1,048,576 bytes) — on every route, one that takes no body too; nothing was changed. Past what API Gateway passes to a function (Lambda’s 6 MB event, its own 10 MB) the gateway answers itself, with its own {"message":…} body',
  414: 'The URL (path and query) is longer than 4 KiB (4,096 bytes); nothing was changed',
  431: 'The request line and headers are larger than the server reads: the local server past 16 KiB, API Gateway itself past 10,240 bytes (its own {"message":…} body, which an HTTP API cannot customise); nothing was changed',
  422: 'The Idempotency-Key was already used with another request (other body, path or query); nothing was changed',
  429: 'Throttled by API Gateway (its fixed body {"message":"Too Many Requests"}); retry later',
  500: 'Something went wrong on our side (the body says only that). API Gateway answers {"message":"Internal Server Error"} itself if the function crashed',
  503: 'Unavailable; try again later: the data store did not answer, or (API Gateway’s own {"message":"Service Unavailable"}) the function did not answer in time',
};

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** The fixed bodies API Gateway answers with itself: the HTTP API cannot customise them (no gateway responses). */
const gatewayBody = (message: string) => z.object({ message: z.literal(message) });
const gatewayBodies: Record<number, z.ZodType> = {
  401: gatewayBody('Unauthorized'),
  429: gatewayBody('Too Many Requests'),
  // Past the gateway's own limits (10 MB payload, 6 MB Lambda event; 10,240 bytes of request line and headers) it
  // answers itself; its message is not ours to fix, so only its shape is promised.
  413: z.union([ErrorBody, z.object({ message: z.string() })]),
  431: z.union([ErrorBody, z.object({ message: z.string() })]),
  // The function's own error body, or API Gateway's when the function crashed or timed out.
  500: z.union([ErrorBody, gatewayBody('Internal Server Error')]),
  503: z.union([ErrorBody, gatewayBody('Service Unavailable')]),
};

/** What every route answers besides its own `errors`: request limits (413 body, 414 URL, 431 head), throttling, failures. */
export const everyRouteStatuses = [413, 414, 429, 431, 500, 503] as const;

/**
 * Every status a route can answer besides its success: its own `errors`, plus what every route of its kind gets
 * without asking — 401 (the authorizer) and 403 (the role check in the middy stack) on signed-in routes, and
 * everywhere 413/414/431 (a body, URL or request head over the limits, on every route: issue 24 §3), 429 (API
 * Gateway's throttle), 500 (the error mapper's last resort, or a crashed function) and 503 (a store outage, or a
 * function that timed out).
 */
export function statusesOf(route: RouteDef): number[] {
  const statuses = new Set<number>([route.successStatus, ...route.errors, ...(route.emptyStatuses ?? []), ...everyRouteStatuses]);
  if (route.auth !== 'public') for (const status of [401, 403]) statuses.add(status);
  return [...statuses].sort((a, b) => a - b);
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io });

const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the same key and request from the same caller within 24 h gets the first answer again (header Idempotent-Replayed: true) and changes nothing; the key with another request is a 422; while the first is still running, a 409.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
};

const replayedHeaderDoc = {
  'Idempotent-Replayed': {
    description: '"true" when this is the stored first answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', const: 'true' },
  },
};

function parameters(route: RouteDef): unknown[] {
  const list: unknown[] = [];
  const add = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return;
    const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      list.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
    }
  };
  add(route.params, 'path');
  add(route.query, 'query');
  if (route.idempotent) list.push(idempotencyKeyParameter);
  return list;
}

function successResponse(route: RouteDef): Record<string, unknown> {
  if (route.successStatus === 204) return { description: 'Done (no body)' };
  if (route.mediaType) return { description: 'Success', content: { [route.mediaType]: { schema: { type: 'string' } } } };
  return {
    description: 'Success',
    ...(route.response ? { content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } } : {}),
    ...(route.idempotent ? { headers: replayedHeaderDoc } : {}),
  };
}

function response(route: RouteDef, status: number): Record<string, unknown> {
  if (status === route.successStatus) return successResponse(route);
  const description = statusText[status] ?? 'Error';
  if (route.emptyStatuses?.includes(status)) return { description: `${description} (empty body)` };
  return { description, content: { 'application/json': { schema: jsonSchema(gatewayBodies[status] ?? ErrorBody, 'output') } } };
}

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export function openApiDocument(routes: readonly RouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses = Object.fromEntries(statusesOf(route).map((status) => [String(status), response(route, status)]));
    const operation: Record<string, unknown> = {
      operationId: route.id,
      summary: route.summary,
      parameters: parameters(route),
      responses,
      security: route.auth === 'public' ? [] : [{ cognito: [] }],
      ...(route.auth === 'public' ? {} : { 'x-groups': route.auth }),
    };
    if (route.body) operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
    if (route.head && route.method === 'GET') {
      const headResponses = Object.fromEntries(
        Object.entries(responses).map(([status, r]) => [status, { description: (r as { description: string }).description }]),
      );
      (paths[route.path] ??= {})['head'] = {
        ...operation,
        operationId: `${route.id}Head`,
        summary: `${route.summary} — HEAD: the same status and headers as GET, no body`,
        responses: headResponses,
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'IKB Planner API',
      version,
      description:
        'Scheduling and coordination for IKB teams. Families are pseudonymous codes only. Errors are {"error":{"code","message","fields"?}}; the fixed {"message":…} bodies are API Gateway’s own (401, 429, a crashed or slow function, a request past its size limits, and a path or method that matches no operation here: 404 {"message":"Not Found"}). Path parameters arrive as sent: a segment such as %2e%2e or .. is the route’s own 400 or 404, never resolved away.',
    },
    components: { securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}

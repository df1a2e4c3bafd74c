import { z } from 'zod';
import type { RouteDef } from './routes.js';

const statusText: Record<number, string> = {
  400: 'Invalid input; `error.fields` lists each failing field',
  401: 'Not signed in',
  403: 'Signed in, but the role may not do this',
  404: 'Not found (also for records of another team, so existence does not leak)',
  409: 'Conflict: stale version, illegal transition, duplicate or double booking (or a request with the same Idempotency-Key still in progress)',
  413: 'The request body is larger than 1 MiB',
  422: 'The Idempotency-Key was already used with another request (other body, path or query); nothing was changed',
  503: 'The data store is unavailable; try again later',
};

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io });

const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Makes a retry safe: the same key and request from the same caller within 24 h gets the first answer again (header Idempotent-Replayed: true) and changes nothing; the key with another request is a 422; while the first is still running, a 409.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
};

const replayedHeaderDoc = {
  'Idempotent-Replayed': { description: '"true" when this is the stored first answer to an earlier request with the same Idempotency-Key', schema: { type: 'string', const: 'true' } },
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

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export function openApiDocument(routes: readonly RouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    responses[String(route.successStatus)] =
      route.successStatus === 204
        ? { description: 'Done' }
        : { description: 'Success', ...(route.response ? { content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } } : {}), ...(route.idempotent ? { headers: replayedHeaderDoc } : {}) };
    for (const status of route.errors) {
      responses[String(status)] = { description: statusText[status] ?? 'Error', content: { 'application/json': { schema: jsonSchema(ErrorBody, 'output') } } };
    }
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
      const headResponses = Object.fromEntries(Object.entries(responses).map(([status, r]) => [status, { description: (r as { description: string }).description }]));
      (paths[route.path] ??= {})['head'] = { ...operation, operationId: `${route.id}Head`, summary: `${route.summary} — HEAD: the same status and headers as GET, no body`, responses: headResponses };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'IKB Planner API', version, description: 'Scheduling and coordination for IKB teams. Families are pseudonymous codes only.' },
    components: { securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}

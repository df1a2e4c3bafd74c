import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import { openApiDocument } from '../../shared/http/openapi.js';
import { allRoutes } from '../../shared/http/routes.js';
import type { RouteDef } from '../../shared/http/routes.js';
import { appVersion } from '../../shared/version.js';

/**
 * The contract check every integration response goes through: the status must be documented for the route and
 * method in the OpenAPI document generated from the route table (the very document GET /openapi.json serves), and
 * the body must match that response's schema, validated by Ajv (JSON Schema 2020-12, the OpenAPI 3.1 dialect).
 */

interface MediaType {
  schema?: Record<string, unknown>;
}
interface ResponseObject {
  description: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId: string;
  responses: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

export const document = openApiDocument(allRoutes, appVersion) as unknown as OpenApiDocument;

// ajv-formats is CommonJS with `exports.default`: under NodeNext the default import is the whole module object.
const addFormats = (formatsModule as unknown as { default: FormatsPlugin }).default;
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

function validatorFor(key: string, schema: Record<string, unknown>): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    const { $schema: _dialect, ...rest } = schema;
    validate = ajv.compile(rest);
    compiled.set(key, validate);
  }
  return validate;
}

/** The operation of a route in the document. */
export function operationOf(route: Pick<RouteDef, 'method' | 'path'>): Operation {
  const operation = document.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) throw new Error(`Contract: ${route.method} ${route.path} is not in the OpenAPI document`);
  return operation;
}

/** The statuses the document lists for a route. */
export function documentedStatuses(route: Pick<RouteDef, 'method' | 'path'>): number[] {
  return Object.keys(operationOf(route).responses).map(Number);
}

export interface ObservedResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const formatErrors = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? [])
    .slice(0, 8)
    .map((e) => `  ${e.instancePath || '(root)'} ${e.message ?? ''}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('\n');

/** What is wrong with a response according to the document, or undefined when it conforms. */
export function contractViolation(route: Pick<RouteDef, 'method' | 'path'>, response: ObservedResponse): string | undefined {
  const where = `${route.method} ${route.path} answered ${response.status}`;
  const operation = operationOf(route);
  const documented = operation.responses[String(response.status)];
  if (!documented) return `${where}, which the OpenAPI document does not list (documented: ${Object.keys(operation.responses).join(', ')})`;
  const contentType = Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  if (!documented.content) {
    if (response.text !== '') return `${where} with a body, but the document describes this response without one:\n  ${response.text.slice(0, 200)}`;
    return undefined;
  }
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  const media = mediaType ? documented.content[mediaType] : undefined;
  if (!mediaType || !media)
    return `${where} with Content-Type ${contentType ?? '(none)'}; the document lists ${Object.keys(documented.content).join(', ')}`;
  if (!media.schema) return undefined;
  let body: unknown = response.text;
  if (mediaType === 'application/json') {
    try {
      body = JSON.parse(response.text);
    } catch {
      return `${where} with a body that is not JSON:\n  ${response.text.slice(0, 200)}`;
    }
  }
  const validate = validatorFor(`${route.method} ${route.path} ${response.status} ${mediaType}`, media.schema);
  if (validate(body)) return undefined;
  return `${where}; the body does not match the documented schema:\n${formatErrors(validate.errors)}\n  body: ${response.text.slice(0, 300)}`;
}

/** Throws (failing the calling test) when a response breaks the contract. */
export function assertContract(route: Pick<RouteDef, 'method' | 'path'>, response: ObservedResponse): void {
  const violation = contractViolation(route, response);
  if (violation) throw new Error(`OpenAPI contract: ${violation}`);
}

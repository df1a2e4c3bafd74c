import { ExpectedError } from '../domain/errors.js';
import type { CoreError, FieldError } from '../domain/errors.js';

/**
 * Only reachable behind a misconfigured authorizer (on AWS the JWT authorizer answers 401 before any function
 * runs), so it answers exactly what the authorizer does: one 401 body everywhere, as the OpenAPI document says.
 */
export class Unauthorized extends ExpectedError {
  readonly code = 'unauthorized';
}

/** The request body is larger than the API accepts (README "Errors": 1 MiB). */
export class PayloadTooLarge extends ExpectedError {
  readonly code = 'payload_too_large';
  constructor(limitBytes: number) {
    super(`The request body is larger than ${limitBytes / (1024 * 1024)} MiB (${limitBytes} bytes); nothing was changed.`);
  }
}

/** The URL (path and query) is longer than the API accepts (README "Safe retries and request limits": 4 KiB). */
export class UriTooLong extends ExpectedError {
  readonly code = 'uri_too_long';
  constructor(limitBytes: number) {
    super(`The URL (path and query) is longer than ${limitBytes / 1024} KiB (${limitBytes} bytes); nothing was changed.`);
  }
}

/**
 * The request line and headers are more than the server reads (the local server: Node's 16 KiB): answered by the
 * local server itself, before any route, as API Gateway answers past its own 10,240 bytes.
 */
export class RequestHeaderTooLarge extends ExpectedError {
  readonly code = 'request_header_too_large';
  constructor(limitBytes: number) {
    super(`The request line and headers are larger than ${limitBytes / 1024} KiB; nothing was changed. Keep the URL under 4 KiB.`);
  }
}

/** An Idempotency-Key reused with another request (issue 10 §3). */
export class IdempotencyKeyReused extends ExpectedError {
  readonly code = 'idempotency_key_reused';
  constructor() {
    super('This Idempotency-Key was already used with another request; nothing was changed. Use a new key for a new request.');
  }
}

/** The failures only the HTTP edge raises: the caller's identity, the request limits, the Idempotency-Key. */
export type HttpError = Unauthorized | PayloadTooLarge | UriTooLong | RequestHeaderTooLarge | IdempotencyKeyReused;

/** The one place an expected failure gets its HTTP status (README "Errors"). */
const statusByCode: Record<(CoreError | HttpError)['code'], number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  idempotency_key_reused: 422,
  request_header_too_large: 431,
  unavailable: 503,
};

export type ProblemBody = { error: { code: string; message: string; fields?: FieldError[] } } | { message: string };
export interface Problem {
  statusCode: number;
  body: ProblemBody;
}

/**
 * The HTTP answer to an expected failure: its status and the documented body, never anything internal; undefined
 * for a code without a status here (the handler answers that as any unexpected error, a bare 500).
 */
export function problemOf(error: CoreError | HttpError): Problem;
export function problemOf(error: ExpectedError): Problem | undefined;
export function problemOf(error: ExpectedError): Problem | undefined {
  if (!Object.hasOwn(statusByCode, error.code)) return undefined;
  const statusCode = statusByCode[error.code as keyof typeof statusByCode];
  // The 401 body is the JWT authorizer's own.
  if (error instanceof Unauthorized) return { statusCode, body: { message: 'Unauthorized' } };
  return { statusCode, body: { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } } };
}

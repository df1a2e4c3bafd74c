import { ApiError } from '../domain/errors.js';

/**
 * Only reachable behind a misconfigured authorizer (on AWS the JWT authorizer answers 401 before any function
 * runs), so it answers exactly what the authorizer does: one 401 body everywhere, as the OpenAPI document says.
 */
export class Unauthorized extends ApiError {
  readonly statusCode = 401;
  readonly code = 'unauthorized';
  override body(): { message: string } {
    return { message: 'Unauthorized' };
  }
}

/** The request body is larger than the API accepts (README "Errors": 1 MiB). */
export class PayloadTooLarge extends ApiError {
  readonly statusCode = 413;
  readonly code = 'payload_too_large';
  constructor(limitBytes: number) {
    super(`The request body is larger than ${limitBytes / (1024 * 1024)} MiB (${limitBytes} bytes); nothing was changed.`);
  }
}

/** The URL (path and query) is longer than the API accepts (README "Safe retries and request limits": 4 KiB). */
export class UriTooLong extends ApiError {
  readonly statusCode = 414;
  readonly code = 'uri_too_long';
  constructor(limitBytes: number) {
    super(`The URL (path and query) is longer than ${limitBytes / 1024} KiB (${limitBytes} bytes); nothing was changed.`);
  }
}

/**
 * The request line and headers are more than the server reads (the local server: Node's 16 KiB): answered by the
 * local server itself, before any route, as API Gateway answers past its own 10,240 bytes.
 */
export class RequestHeaderTooLarge extends ApiError {
  readonly statusCode = 431;
  readonly code = 'request_header_too_large';
  constructor(limitBytes: number) {
    super(`The request line and headers are larger than ${limitBytes / 1024} KiB; nothing was changed. Keep the URL under 4 KiB.`);
  }
}

/** An Idempotency-Key reused with another request (issue 10 §3). */
export class IdempotencyKeyReused extends ApiError {
  readonly statusCode = 422;
  readonly code = 'idempotency_key_reused';
  constructor() {
    super('This Idempotency-Key was already used with another request; nothing was changed. Use a new key for a new request.');
  }
}

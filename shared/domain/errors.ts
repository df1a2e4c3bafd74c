/** Expected failures, each mapped to one HTTP status in one place (toHttpError). */
export interface FieldError {
  path: string;
  message: string;
}

export abstract class ApiError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  readonly fields: FieldError[] | undefined;
  constructor(message: string, fields?: FieldError[]) {
    super(message);
    this.name = new.target.name;
    this.fields = fields;
  }
  /** The JSON body sent to the caller: never anything internal. */
  body(): { error: { code: string; message: string; fields?: FieldError[] } } | { message: string } {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

export class Invalid extends ApiError {
  readonly statusCode = 400;
  readonly code = 'invalid';
  constructor(fields: FieldError[], message = 'The request is invalid.') {
    super(message, fields);
  }
}

export class Forbidden extends ApiError {
  readonly statusCode = 403;
  readonly code = 'forbidden';
}

export class NotFound extends ApiError {
  readonly statusCode = 404;
  readonly code = 'not_found';
  constructor(message = 'Not found.') {
    super(message);
  }
}

export class Conflict extends ApiError {
  readonly statusCode = 409;
  readonly code = 'conflict';
}

/** A dependency (the table) cannot be reached: the caller may try again later. */
export class ServiceUnavailable extends ApiError {
  readonly statusCode = 503;
  readonly code = 'unavailable';
}

/**
 * The expected failures of the core (use cases, domain, store): a stable code, a message safe to show the caller
 * and, for invalid input, the failing fields. Nothing here knows HTTP: shared/http/errors.ts gives each code its one
 * status and the documented body.
 */
export interface FieldError {
  path: string;
  message: string;
}

export abstract class ExpectedError extends Error {
  abstract readonly code: string;
  readonly fields: FieldError[] | undefined;
  constructor(message: string, fields?: FieldError[]) {
    super(message);
    this.name = new.target.name;
    this.fields = fields;
  }
}

export class Invalid extends ExpectedError {
  readonly code = 'invalid';
  constructor(fields: FieldError[], message = 'The request is invalid.') {
    super(message, fields);
  }
}

export class Forbidden extends ExpectedError {
  readonly code = 'forbidden';
}

export class NotFound extends ExpectedError {
  readonly code = 'not_found';
  constructor(message = 'Not found.') {
    super(message);
  }
}

export class Conflict extends ExpectedError {
  readonly code = 'conflict';
}

/** A dependency (the table, the sign-in directory) cannot be reached: the caller may try again later. */
export class ServiceUnavailable extends ExpectedError {
  readonly code = 'unavailable';
}

/** Every failure the core throws on purpose; the HTTP mapping must name a status for each code. */
export type CoreError = Invalid | Forbidden | NotFound | Conflict | ServiceUnavailable;

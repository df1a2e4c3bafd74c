import { describe, expect, it } from 'vitest';
import { Conflict, ExpectedError, Forbidden, Invalid, NotFound, ServiceUnavailable } from '../../shared/domain/errors.js';
import { IdempotencyKeyReused, PayloadTooLarge, RequestHeaderTooLarge, Unauthorized, UriTooLong, problemOf } from '../../shared/http/errors.js';

// The one table from an expected failure to its HTTP answer (shared/http/errors.ts): the core's errors carry no status.
describe('problemOf', () => {
  it.each([
    [new Invalid([{ path: 'week', message: 'Invalid input' }]), 400],
    [new Forbidden('Your role may not do this.'), 403],
    [new NotFound(), 404],
    [new Conflict('Changed meanwhile.'), 409],
    [new PayloadTooLarge(1024 * 1024), 413],
    [new UriTooLong(4096), 414],
    [new IdempotencyKeyReused(), 422],
    [new RequestHeaderTooLarge(16 * 1024), 431],
    [new ServiceUnavailable('The sign-in directory cannot be reached.'), 503],
  ])('answers %s with %i and the documented body', (error, status) => {
    expect(problemOf(error)).toEqual({
      statusCode: status,
      body: { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } },
    });
    expect(JSON.stringify(problemOf(error).body)).toMatch(/^\{"error":\{"code":"[a-z_]+","message":"[^"]+"(,"fields":\[.*\])?\}\}$/);
  });

  it("answers 401 with the JWT authorizer's own body", () => {
    expect(problemOf(new Unauthorized('Sign-in required.'))).toEqual({ statusCode: 401, body: { message: 'Unauthorized' } });
  });

  it('has no answer for a code it does not know (the handler makes that a bare 500)', () => {
    class Unknown extends ExpectedError {
      readonly code = 'constructor';
    }
    expect(problemOf(new Unknown('?'))).toBeUndefined();
  });
});

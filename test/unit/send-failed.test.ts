import { describe, expect, it } from 'vitest';
import { sendFailedFromAws } from '../../shared/notify/sender.js';

describe('classifying a provider error', () => {
  it('a refused connection never reached the provider: retry', () => {
    const f = sendFailedFromAws('SES', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), []);
    expect(f).toMatchObject({ permanent: false, outcomeUnknown: false });
  });

  it('a timeout or reset may hide an accepted message: do not retry, report the unknown outcome', () => {
    for (const error of [
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
    ]) {
      expect(sendFailedFromAws('SES', error, [])).toMatchObject({ permanent: true, outcomeUnknown: true });
    }
  });

  it('throttling and 5xx are retried; other 4xx are permanent', () => {
    expect(
      sendFailedFromAws('SES', { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }, ['TooManyRequestsException']).permanent,
    ).toBe(false);
    expect(sendFailedFromAws('SES', { name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } }, []).permanent).toBe(false);
    expect(sendFailedFromAws('SES', { name: 'MessageRejected', $fault: 'client', $metadata: { httpStatusCode: 400 } }, []).permanent).toBe(true);
  });
});

import pRetry from 'p-retry';

/**
 * The one retry policy of the code (p-retry): up to `attempts` tries, waiting 20 ms before the second, doubling each
 * time up to 1 s, each wait drawn between once and twice that (jitter, so racing writers do not retry in step). For
 * work that lost a race or was throttled and may succeed when tried again: a transaction whose guarded items changed,
 * keys DynamoDB left unprocessed, an outcome that must be recorded. `retryOn` picks the errors worth another try (all
 * by default); after the last attempt the last error is thrown.
 */
export function withRetries<T>(
  work: (attempt: number) => Promise<T>,
  options: { attempts: number; retryOn?: (error: Error) => boolean },
): Promise<T> {
  const { attempts, retryOn } = options;
  return pRetry(work, {
    retries: attempts - 1,
    minTimeout: 20,
    factor: 2,
    maxTimeout: 1000,
    randomize: true,
    ...(retryOn ? { shouldRetry: ({ error }) => retryOn(error) } : {}),
  });
}

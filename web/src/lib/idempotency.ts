import { useCallback, useRef } from 'react';
import { newIdempotencyKey } from '../api/client';

/**
 * One Idempotency-Key per user action: the same body sent again (a retry after a lost answer) reuses the key, so the
 * API answers it once; a changed body (the person corrected a field after a 400) is a new action with a new key.
 */
export function useIdempotencyKey(): (body: unknown) => string {
  const last = useRef<{ body: string; key: string } | undefined>(undefined);
  return useCallback((body: unknown) => {
    const json = JSON.stringify(body);
    if (last.current?.body !== json) last.current = { body: json, key: newIdempotencyKey() };
    return last.current.key;
  }, []);
}

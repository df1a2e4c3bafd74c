import createClient from 'openapi-fetch';
import type { Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** The one way the app talks to the API: openapi-fetch over the types generated from the OpenAPI document. */
export type Api = ReturnType<typeof createClient<paths>>;

export function createApi(baseUrl: string, idToken: () => Promise<string | undefined>): Api {
  const api = createClient<paths>({ baseUrl });
  const auth: Middleware = {
    async onRequest({ request }) {
      const token = await idToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
  api.use(auth);
  return api;
}

/** A fresh Idempotency-Key for one user action (kept across that action's retries). */
export const newIdempotencyKey = (): string => crypto.randomUUID();

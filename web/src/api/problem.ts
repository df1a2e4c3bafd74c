/** What went wrong with a request, in the API's documented error shape, for a form or a page to show. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Field path (e.g. `windows.0.start`) → the API's message for it. */
    readonly fields: Record<string, string> = {},
    readonly code?: string,
  ) {
    super(message);
  }
  /** A stale version or a double booking: someone changed this meanwhile. */
  get isConflict(): boolean {
    return this.status === 409;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: { path: string; message: string }[] };
  message?: string;
}

/** Turns openapi-fetch's `{ data, error, response }` into the data, or throws an ApiProblem. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.error === undefined) return result.data as T;
  const body = (result.error ?? {}) as ErrorBody;
  const fields: Record<string, string> = {};
  for (const f of body.error?.fields ?? []) {
    // The API writes array indices as `external[0].email`; the forms name fields `external.0.email`.
    const path = f.path.replace(/\[(\d+)\]/g, '.$1');
    fields[path] = fields[path] ? `${fields[path]}; ${f.message}` : f.message;
  }
  const status = result.response.status;
  const message =
    status === 401
      ? 'Du är inte inloggad längre. Logga in igen.'
      : status === 403
        ? 'Du har inte behörighet till detta.'
        : status === 409
          ? `Någon annan har ändrat detta under tiden. ${body.error?.message ?? ''}`.trim()
          : status === 400 && Object.keys(fields).length > 0
            ? 'Något stämmer inte: se det som är markerat.'
            : (body.error?.message ?? body.message ?? `Begäran misslyckades (${status}).`);
  throw new ApiProblem(status, message, fields, body.error?.code);
}

/** The message of any error, for an alert. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : 'Något gick fel.');

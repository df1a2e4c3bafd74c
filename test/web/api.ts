import { inject } from 'vitest';

/** The API's state as a coordinator (or another demo user) reads it: the browser tests check it, not only the page. */
export async function apiAs<T = unknown>(who: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const { apiUrl, tokens } = inject('web');
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[who] ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export interface ApiVisit {
  id: string;
  family: string;
  kind: string;
  staff: string[];
  startLocal: string;
  endLocal: string;
  status: string;
  version: number;
  week: string;
  place: string;
  cancelledBy?: string;
  cancelReason?: string;
}

export const visitsOfWeek = async (week: string): Promise<ApiVisit[]> =>
  (await apiAs<{ visits: ApiVisit[] }>('sara', 'GET', `/visits?week=${week}`)).body.visits;

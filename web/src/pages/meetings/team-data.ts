import { useQuery } from '@tanstack/react-query';
import type { paths } from '../../api/schema';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';

type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer J } } } }
  ? J
  : never;

/** The API's records as the generated types say (never hand-written). */
export type Family = Ok<'/families', 'get'>['families'][number];
export type Staff = Ok<'/staff', 'get'>['staff'][number];
export type Meeting = Ok<'/meetings', 'get'>['meetings'][number];
export type MeetingSeries = Ok<'/meeting-series/{id}', 'get'>;
export type HandoverProposal = Ok<'/handovers', 'get'>['proposals'][number];
export type Reminder = Ok<'/reminders', 'get'>['reminders'][number];
export type Window = Family['windows'][number];
export type ExternalAttendee = Meeting['external'][number];

/** The team's places (for selects) and its staff, shared by the families and meetings pages. */
export function useTeam() {
  const { api, person } = useApp();
  return useQuery({
    queryKey: ['team', person.teamId],
    enabled: person.teamId !== undefined,
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET('/teams/{teamId}', { params: { path: { teamId: person.teamId ?? '' } } })),
  });
}

export function useStaff() {
  const { api } = useApp();
  return useQuery({ queryKey: ['staff'], staleTime: 5 * 60_000, queryFn: async () => unwrap(await api.GET('/staff')).staff });
}

/** `anna` → `Anna (familjeterapeut)`; an unknown id as itself. */
export const staffName = (staff: Staff[] | undefined, id: string): string => staff?.find((s) => s.id === id)?.name ?? id;

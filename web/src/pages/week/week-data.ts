import { useQueries, useQuery } from '@tanstack/react-query';
import type { components, paths } from '../../api/schema';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { weekRange } from '../../lib/time';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer T } } } }
  ? T
  : never;

export type Visit = Json<'/visits', 'get'>['visits'][number];
export type Meeting = Json<'/meetings', 'get'>['meetings'][number];
export type StaffMember = Json<'/staff', 'get'>['staff'][number];
export type Absence = Json<'/staff/{staffId}/absences', 'get'>['absences'][number];
export type Team = Json<'/teams/{teamId}', 'get'>;
export type Family = Json<'/families', 'get'>['families'][number];
export type PlanProposal = Json<'/weeks/{week}/plan', 'post'>;
export type ProposedVisit = PlanProposal['result']['visits'][number];
// Keeps the generated components type referenced (openapi-typescript emits it even when empty).
export type Components = components;

/** The query keys of the week's data, so a write can refresh exactly what it changed. */
export const weekKeys = {
  visits: (week: string) => ['visits', 'week', week] as const,
  meetings: (week: string) => ['meetings', 'week', week] as const,
  absences: (staffId: string) => ['absences', staffId] as const,
  staff: ['staff'] as const,
  team: ['team'] as const,
  families: ['families', 'all'] as const,
};

/** Everything the week board shows, each read once and cached: staff, team, families, the week's visits, meetings, absences. */
export function useWeekData(week: string) {
  const { api, person } = useApp();
  const { from, to } = weekRange(week);
  const staff = useQuery({ queryKey: weekKeys.staff, queryFn: async () => unwrap(await api.GET('/staff')).staff });
  const team = useQuery({
    queryKey: weekKeys.team,
    queryFn: async () => unwrap(await api.GET('/teams/{teamId}', { params: { path: { teamId: person.teamId ?? '' } } })),
    staleTime: 10 * 60_000,
  });
  const families = useQuery({
    queryKey: weekKeys.families,
    queryFn: async () => unwrap(await api.GET('/families', { params: { query: {} } })).families,
  });
  const visits = useQuery({
    queryKey: weekKeys.visits(week),
    queryFn: async () => unwrap(await api.GET('/visits', { params: { query: { week } } })).visits,
  });
  const meetings = useQuery({
    queryKey: weekKeys.meetings(week),
    queryFn: async () => unwrap(await api.GET('/meetings', { params: { query: { from, to } } })).meetings,
  });
  const activeStaff = (staff.data ?? []).filter((s) => s.active);
  const absences = useQueries({
    queries: activeStaff.map((s) => ({
      queryKey: weekKeys.absences(s.id),
      queryFn: async () => unwrap(await api.GET('/staff/{staffId}/absences', { params: { path: { staffId: s.id } } })).absences,
    })),
  });
  const absencesByStaff = new Map<string, Absence[]>(activeStaff.map((s, i) => [s.id, absences[i]?.data ?? []]));
  const loading =
    staff.isPending || team.isPending || families.isPending || visits.isPending || meetings.isPending || absences.some((a) => a.isPending);
  const error = staff.error ?? team.error ?? families.error ?? visits.error ?? meetings.error ?? absences.find((a) => a.error)?.error ?? null;
  return {
    staff: activeStaff,
    team: team.data,
    families: families.data ?? [],
    visits: visits.data ?? [],
    meetings: meetings.data ?? [],
    absencesByStaff,
    loading,
    error,
    from,
    to,
  };
}

import { useQuery } from '@tanstack/react-query';
import type { DateTime } from 'luxon';
import type { Api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { isoDate, local, now } from '../../lib/time';
import type { ScheduleItem, ScheduleSnapshot, ScheduleVisit, SentAction } from './device-store';
import { loadSent, loadSnapshot, meetingOf, saveSnapshot, updateSent, visitOf } from './device-store';

/** The range the phone loads and keeps: last week (for outcomes not yet recorded), this week and next. */
export function scheduleRange(today: DateTime = now()): { from: string; to: string } {
  const monday = today.startOf('week');
  return { from: isoDate(monday.minus({ weeks: 1 })), to: isoDate(monday.plus({ days: 13 })) };
}

/** Loads the person's schedule from the API and keeps it on the device; what this phone sent overrides the list until the server shows it. */
export async function fetchSchedule(api: Api, staffId: string, teamId: string): Promise<ScheduleSnapshot> {
  const { from, to } = scheduleRange();
  // What the device holds is read while the requests are out, and written after the answer is shown.
  const kept = Promise.all([loadSnapshot(), loadSent()]).catch((): [undefined, SentAction[]] => [undefined, []]);
  const [visits, meetings, team, me] = await Promise.all([
    api.GET('/visits', { params: { query: { staff: staffId, from, to } } }).then(unwrap),
    api.GET('/meetings', { params: { query: { staff: staffId, from, to } } }).then(unwrap),
    api.GET('/teams/{teamId}', { params: { path: { teamId } } }).then(unwrap),
    api.GET('/staff/{staffId}', { params: { path: { staffId } } }).then(unwrap),
  ]);
  const [previous, sent] = await kept;
  const items: ScheduleItem[] = [...visits.visits.map(visitOf), ...meetings.meetings.filter((m) => m.status === 'planned').map(meetingOf)];
  // A no-show or a cancellation takes the visit off the person's schedule; the phone keeps showing what it recorded.
  const keep: SentAction[] = [];
  for (const s of sent) {
    const fresh = items.find((i) => i.id === s.visitId);
    const old = previous?.items.find((i): i is ScheduleVisit => i.type === 'visit' && i.id === s.visitId);
    if (!fresh && old && s.status !== 'done' && old.startLocal >= from) {
      items.push({ ...old, status: s.status, version: s.version });
      keep.push(s);
    }
  }
  // Sent entries the schedule now shows (or that left the range) are done with; entries sent meanwhile stay.
  const finished = new Set(sent.filter((s) => !keep.includes(s)).map((s) => s.key));
  const places = new Set([...items.flatMap((i) => (i.place ? [i.place] : [])), me.base]);
  const travel: Record<string, Record<string, number>> = {};
  for (const a of places) for (const b of places) (travel[a] ??= {})[b] = team.travelMinutes[a]?.[b] ?? 0;
  const snapshot: ScheduleSnapshot = {
    staffId,
    teamId,
    from,
    to,
    loadedAt: new Date().toISOString(),
    items: sortItems(items),
    base: me.base,
    travel,
  };
  void saveSnapshot(snapshot)
    .then(() => (finished.size > 0 ? updateSent((all) => all.filter((s) => !finished.has(s.key))) : undefined))
    .catch(() => undefined);
  return snapshot;
}

export const sortItems = (items: ScheduleItem[]): ScheduleItem[] =>
  [...items].sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));

export const scheduleKey = (staffId: string) => ['therapist', 'schedule', staffId] as const;

/**
 * The schedule to show: live from the API when it answers, else the copy on the device with when it was loaded.
 * Without a sign-in (a reload with no network) `api` is undefined and only the device copy is read.
 */
export function useSchedule(api: Api | undefined, staffId: string, teamId: string) {
  const stored = useQuery({
    queryKey: ['therapist', 'stored', staffId],
    queryFn: async () => (await loadSnapshot()) ?? null,
    staleTime: Infinity,
    networkMode: 'always',
  });
  const live = useQuery({
    queryKey: scheduleKey(staffId),
    queryFn: () => fetchSchedule(api as Api, staffId, teamId),
    enabled: api !== undefined,
    refetchInterval: 60_000,
    staleTime: 20_000,
    retry: 1,
  });
  const storedSnapshot = stored.data && stored.data.staffId === staffId ? stored.data : undefined;
  const snapshot = live.data ?? storedSnapshot;
  const isLive = live.data !== undefined && !live.isError && live.fetchStatus !== 'paused' && navigator.onLine;
  return { snapshot, isLive };
}

export const hasStarted = (item: ScheduleItem): boolean => local(item.startLocal) <= now();

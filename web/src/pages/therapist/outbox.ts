import { useEffect, useState } from 'react';
import type { Api } from '../../api/client';
import { newIdempotencyKey } from '../../api/client';
import { local } from '../../lib/time';
import { statusLabel } from '../../lib/labels';
import type { QueuedAction, ScheduleVisit, SentAction } from './device-store';
import { loadQueue, loadSent, updateQueue, updateSent } from './device-store';

/**
 * The outbox: outcomes and cancellations recorded on the phone, sent when there is a network and a sign-in.
 *
 * - Each action gets its own Idempotency-Key when recorded and keeps it through every retry, and it names the visit's
 *   version as read: a retry after a lost answer gets the first answer again, never a second recording; a visit that
 *   was moved or recorded meanwhile answers 409 and the action is kept as a conflict for the therapist to see.
 * - For UNDO_MS after recording nothing is sent: within that window Ångra means it never reached the server. After
 *   that the server has it and the app says so (there is no undo route; a mistake is the coordinator's to correct).
 * - The queue lives in IndexedDB: it survives closing the browser and is sent on the next start that is signed in.
 */
export const UNDO_MS = 5_000;

type Listener = () => void;
const listeners = new Set<Listener>();
const changed = () => listeners.forEach((l) => l());

export interface OutboxState {
  queue: QueuedAction[];
  sent: SentAction[];
}

/** The queue and what was sent, re-read whenever any part of the app changes them. */
export function useOutbox(): OutboxState {
  const [state, setState] = useState<OutboxState>({ queue: [], sent: [] });
  useEffect(() => {
    let live = true;
    const read = () => void Promise.all([loadQueue(), loadSent()]).then(([queue, sent]) => live && setState({ queue, sent }));
    listeners.add(read);
    read();
    return () => {
      live = false;
      listeners.delete(read);
    };
  }, []);
  return state;
}

/** One tab at a time sends (Web Locks where the browser has them); the Idempotency-Key covers the rest. */
async function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request('ikb-outbox', work) as Promise<T>) : work();
}

export async function record(visit: ScheduleVisit, staffId: string, action: QueuedAction['action']): Promise<QueuedAction> {
  const now = Date.now();
  const item: QueuedAction = {
    key: newIdempotencyKey(),
    staffId,
    visitId: visit.id,
    family: visit.family,
    startLocal: visit.startLocal,
    version: visit.version,
    action,
    recordedAt: new Date(now).toISOString(),
    sendAfter: new Date(now + UNDO_MS).toISOString(),
    state: 'waiting',
  };
  await updateQueue((q) => [...q.filter((i) => i.visitId !== visit.id || i.state === 'waiting'), item]);
  changed();
  return item;
}

/** Ångra: true when the action was taken back before it was sent; false when the server already has it. */
export async function undo(key: string): Promise<boolean> {
  return exclusively(async () => {
    let removed = false;
    await updateQueue((q) => q.filter((i) => (i.key === key ? ((removed = true), false) : true)));
    changed();
    return removed;
  });
}

/** The therapist has seen a refused action and lets it go. */
export async function discard(key: string): Promise<void> {
  await updateQueue((q) => q.filter((i) => i.key !== key));
  changed();
}

/** Records a conflicting action again against the visit as it is now (a new request: a new key, the new version). */
export async function recordAgain(item: QueuedAction, version: number): Promise<void> {
  await updateQueue(
    (q) =>
      q.map((i) =>
        i.key === item.key
          ? { ...i, key: newIdempotencyKey(), version, state: 'waiting', sendAfter: new Date().toISOString(), problem: undefined }
          : i,
      ) as QueuedAction[],
  );
  changed();
}

export type FlushResult = 'idle' | 'sent' | 'offline' | 'signed-out';

const describeNow = (v: { status: string; startLocal: string }) =>
  v.status === 'planned'
    ? `Besöket är nu flyttat till ${local(v.startLocal).toFormat('ccc d/M HH:mm')}.`
    : `Besöket är redan registrerat som ${statusLabel[v.status] ?? v.status}.`;

/** Sends every action whose undo window has passed, oldest first; stops at the first network failure. */
export async function flush(api: Api): Promise<FlushResult> {
  const result = await exclusively(async (): Promise<FlushResult> => {
    const due = (await loadQueue()).filter((i) => i.state === 'waiting' && Date.parse(i.sendAfter) <= Date.now());
    let outcome: FlushResult = 'idle';
    for (const item of due) {
      const options = { params: { path: { id: item.visitId }, header: { 'Idempotency-Key': item.key } } };
      let res;
      try {
        res =
          item.action.type === 'outcome'
            ? await api.POST('/visits/{id}/outcome', { ...options, body: { version: item.version, status: item.action.status } })
            : await api.POST('/visits/{id}/cancel', { ...options, body: { version: item.version, by: item.action.by, reason: item.action.reason } });
      } catch {
        return 'offline';
      }
      const { response, data } = res;
      if (response.ok && data) {
        await updateQueue((q) => q.filter((i) => i.key !== item.key));
        await updateSent((s) => [
          ...s.filter((x) => x.visitId !== item.visitId),
          {
            key: item.key,
            visitId: item.visitId,
            status: data.status as SentAction['status'],
            version: data.version,
            sentAt: new Date().toISOString(),
          },
        ]);
        outcome = 'sent';
        continue;
      }
      const message = (res.error as { error?: { message?: string } } | undefined)?.error?.message ?? '';
      if (response.status === 401) return 'signed-out';
      if (response.status >= 500 || response.status === 429 || (response.status === 409 && message.includes('Idempotency-Key'))) return 'offline';
      let problem = message || `Servern svarade ${response.status}.`;
      if (response.status === 409) {
        const fresh = await api.GET('/visits/{id}', { params: { path: { id: item.visitId } } }).catch(() => undefined);
        problem = fresh?.data
          ? `${describeNow(fresh.data)} Din registrering skickades inte.`
          : 'Besöket har ändrats under tiden. Din registrering skickades inte.';
        const current = fresh?.data ? { status: fresh.data.status, startLocal: fresh.data.startLocal, version: fresh.data.version } : undefined;
        await updateQueue((q) => q.map((i) => (i.key === item.key ? { ...i, state: 'conflict', problem, ...(current ? { current } : {}) } : i)));
      } else {
        await updateQueue((q) => q.map((i) => (i.key === item.key ? { ...i, state: 'refused', problem } : i)));
      }
    }
    return outcome;
  });
  changed();
  return result;
}

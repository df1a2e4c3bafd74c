import { clear, createStore, get, set, update } from 'idb-keyval';
import type { operations } from '../../api/schema';

/**
 * What the therapist's phone keeps (IndexedDB, one small store): their own recent schedule as the schedule shows it
 * (time, family code, kind, place, partner, status, version) and the outcomes not yet sent. Nothing else of a family,
 * no tokens. Signing out clears it (SPEC §11).
 */
const store = createStore('ikb-therapist', 'device');

/** The API's shapes, from the generated types (the document names no schemas: read them off the operations). */
export type Visit = operations['getVisit']['responses'][200]['content']['application/json'];
export type Meeting = operations['getMeeting']['responses'][200]['content']['application/json'];
export type CancelBody = operations['cancelVisit']['requestBody']['content']['application/json'];

/** One visit as the phone keeps it: exactly what the schedule shows, and the version a recorded outcome must name. */
export interface ScheduleVisit {
  type: 'visit';
  id: string;
  family: string;
  kind: Visit['kind'];
  staff: string[];
  startLocal: string;
  endLocal: string;
  start: string;
  place: string;
  status: Visit['status'];
  version: number;
}

/** One meeting as the phone keeps it: no external attendees (partners' names and e-mail stay on the server). */
export interface ScheduleMeeting {
  type: 'meeting';
  id: string;
  title: string;
  mode: Meeting['mode'];
  place: string | undefined;
  staff: string[];
  startLocal: string;
  endLocal: string;
  start: string;
  status: Meeting['status'];
}

export type ScheduleItem = ScheduleVisit | ScheduleMeeting;

/** The last-loaded schedule of one person, with when it was loaded. */
export interface ScheduleSnapshot {
  staffId: string;
  teamId: string;
  from: string;
  to: string;
  /** When the server last answered (ISO instant): "per 14:32" when not live. */
  loadedAt: string;
  items: ScheduleItem[];
  /** The person's base and the team's travel minutes between the places the schedule uses. */
  base: string | undefined;
  travel: Record<string, Record<string, number>>;
}

export const visitOf = (v: Visit): ScheduleVisit => ({
  type: 'visit',
  id: v.id,
  family: v.family,
  kind: v.kind,
  staff: v.staff,
  startLocal: v.startLocal,
  endLocal: v.endLocal,
  start: v.start,
  place: v.place,
  status: v.status,
  version: v.version,
});

export const meetingOf = (m: Meeting): ScheduleMeeting => ({
  type: 'meeting',
  id: m.id,
  title: m.title,
  mode: m.mode,
  place: m.place,
  staff: m.staff,
  startLocal: m.startLocal,
  endLocal: m.endLocal,
  start: m.start,
  status: m.status,
});

/** An outcome or cancellation recorded on the phone, until the server has it. */
export interface QueuedAction {
  /** Also the request's Idempotency-Key: every retry of this action sends the same one. */
  key: string;
  staffId: string;
  visitId: string;
  /** What the therapist saw when recording it (for the conflict message). */
  family: string;
  startLocal: string;
  /** The visit's version as read: a visit moved meanwhile answers 409, shown to the therapist. */
  version: number;
  action: { type: 'outcome'; status: 'done' | 'no_show' } | { type: 'cancel'; by: CancelBody['by']; reason: CancelBody['reason'] };
  recordedAt: string;
  /** Not sent before this instant: the short window in which Ångra still means "never sent". */
  sendAfter: string;
  state: 'waiting' | 'conflict' | 'refused';
  /** The server's answer when it refused it (a conflict: the visit changed meanwhile). */
  problem?: string;
  /** The visit as the server had it at the conflict: Registrera igen sends against this version. */
  current?: { status: string; startLocal: string; version: number };
}

/** What has been sent, kept until the schedule shows it (so the list never flickers back to "planned"). */
export interface SentAction {
  key: string;
  visitId: string;
  status: 'done' | 'no_show' | 'cancelled';
  sentAt: string;
  version: number;
}

export const loadSnapshot = (): Promise<ScheduleSnapshot | undefined> => get<ScheduleSnapshot>('schedule', store);
export const saveSnapshot = (snapshot: ScheduleSnapshot): Promise<void> => set('schedule', snapshot, store);

export const loadQueue = async (): Promise<QueuedAction[]> => (await get<QueuedAction[]>('queue', store)) ?? [];
/** Atomic read-modify-write of the queue (one IndexedDB transaction), so two tabs never lose an entry. */
export const updateQueue = (change: (queue: QueuedAction[]) => QueuedAction[]): Promise<void> =>
  update<QueuedAction[]>('queue', (q) => change(q ?? []), store);

export const loadSent = async (): Promise<SentAction[]> => (await get<SentAction[]>('sent', store)) ?? [];
export const updateSent = (change: (sent: SentAction[]) => SentAction[]): Promise<void> =>
  update<SentAction[]>('sent', (s) => change(s ?? []), store);

/** Everything the phone holds for the app: called at sign-out and when another person signs in. */
export const clearDevice = (): Promise<void> => clear(store);

import { Reminder } from '../schemas/reminder.js';

/**
 * The life of one reminder record, as a table: which event may happen in which state, what state follows and what is
 * recorded. The dispatcher (use-cases/dispatch.ts) decides *when* an event happens; the store (store/reminders.ts)
 * writes the step conditioned on the record being exactly as read (its version, or its absence), so two dispatchers
 * racing for the same message can never both move it.
 *
 *   absent ──claim──▶ claimed ──handOver──▶ handingOver ──accepted────────▶ sent
 *     │                 │  ▲                     ├──outcomeUnknown / leaseExpired──▶ unknown
 *     │ lapse           │  │ claim               └──rejected──▶ failed (permanent, or the last attempt)
 *     ▼                 │  │                                 └─▶ pending (retried later)
 *   dropped ◀──drop── pending ◀─┘
 *                       │  ▲  defer (quiet hours)
 *     giveBack / leaseExpired of a claim nothing was handed over for: a derived reminder's first claim is released
 *     (the record removed: absent, derived and claimed afresh); anything else is pending again.
 *
 * `claimed` and `handingOver` are both stored as status `sending`; `handingOverAt` tells them apart. A change notice or
 * an invitation is created `pending` by the change that queues it (use-cases/notices.ts), in that change's transaction.
 */
export type LifecycleState = 'absent' | 'pending' | 'claimed' | 'handingOver' | 'sent' | 'failed' | 'dropped' | 'unknown';
export const lifecycleStates: readonly LifecycleState[] = ['absent', 'pending', 'claimed', 'handingOver', 'sent', 'failed', 'dropped', 'unknown'];

/** How often a message is tried before it is marked failed and shown to the coordinator. */
export const maxAttempts = 3;

export type LifecycleEvent =
  /** A run makes the message its own until `leaseUntil` (a derived reminder's first claim creates the record). */
  | { type: 'claim'; at: string; leaseUntil: string }
  /** A derived reminder came due but lost its point before anyone sent it: recorded once, never sent. */
  | { type: 'lapse'; at: string }
  /** A queued message that is stale (what it describes changed or ended, or a newer notice supersedes it). */
  | { type: 'drop'; at: string }
  /** A queued SMS waits for quiet hours to end. */
  | { type: 'defer'; at: string; until: string }
  /** Recorded just before the provider call: from here the message may have reached the provider. */
  | { type: 'handOver'; at: string }
  /** The hand-over found what the message was rendered from changed: nothing reached the provider. */
  | { type: 'giveBack'; at: string }
  /** The claimer stopped: its lease ran out. */
  | { type: 'leaseExpired'; at: string }
  | { type: 'accepted'; at: string; providerId: string }
  /** The provider call ended in a way that may hide an accepted message (a timeout): never re-sent. */
  | { type: 'outcomeUnknown'; at: string; reason: string }
  /** The provider refused the message; `retryAt` is when the next attempt would be (backoff, quiet hours). */
  | { type: 'rejected'; at: string; reason: string; permanent: boolean; retryAt: string };
export type LifecycleEventType = LifecycleEvent['type'];
export const lifecycleEventTypes: readonly LifecycleEventType[] = [
  'claim',
  'lapse',
  'drop',
  'defer',
  'handOver',
  'giveBack',
  'leaseExpired',
  'accepted',
  'outcomeUnknown',
  'rejected',
];

/** The table: for each state, the events it allows and the states each may lead to. Every other pair is illegal. */
export const reminderLifecycle: { readonly [S in LifecycleState]: { readonly [E in LifecycleEventType]?: readonly LifecycleState[] } } = {
  absent: { claim: ['claimed'], lapse: ['dropped'] },
  pending: { claim: ['claimed'], drop: ['dropped'], defer: ['pending'] },
  claimed: { handOver: ['handingOver'], giveBack: ['absent', 'pending'], leaseExpired: ['absent', 'pending'] },
  handingOver: { accepted: ['sent'], outcomeUnknown: ['unknown'], rejected: ['failed', 'pending'], leaseExpired: ['unknown'] },
  sent: {},
  failed: {},
  dropped: {},
  unknown: {},
};

/** What a derived reminder (visit, agenda, external meeting) is before its record exists: read off the current schedule. */
export type ReminderDraft = Pick<Reminder, 'teamId' | 'id' | 'kind' | 'channel' | 'staffId' | 'email' | 'meetingId' | 'dueAt' | 'usefulUntil'>;

/** One step: the record as read (undefined: there is none yet) and the record to write (undefined: removed). */
export interface LifecycleStep {
  from: Reminder | undefined;
  to: Reminder | undefined;
  state: LifecycleState;
}

export class IllegalTransition extends Error {
  constructor(
    readonly state: LifecycleState,
    readonly event: LifecycleEventType,
  ) {
    super(`a reminder in state ${state} cannot ${event}`);
    this.name = 'IllegalTransition';
  }
}

const derivedKinds: ReadonlySet<Reminder['kind']> = new Set(['visit', 'agenda', 'meeting_external']);
/** A reminder derived from the schedule (visit, agenda, external meeting), as opposed to one queued by a change (notice, invitation). */
export const isDerivedKind = (kind: Reminder['kind']): boolean => derivedKinds.has(kind);

/** The lifecycle state of a record (undefined: none yet). */
export function stateOf(reminder: Reminder | undefined): LifecycleState {
  if (!reminder) return 'absent';
  if (reminder.status === 'sending') return reminder.handingOverAt ? 'handingOver' : 'claimed';
  return reminder.status;
}

/** Whether a claim's lease has run out at `at`: its claimer stopped, and a later run may take it over. */
export const leaseHasExpired = (reminder: Reminder, at: string): boolean => (reminder.leaseUntil ?? reminder.updatedAt) <= at;

const isRecord = (current: Reminder | ReminderDraft): current is Reminder => 'status' in current;
const moved = (record: Reminder, at: string) => ({ version: record.version + 1, updatedAt: at });

/**
 * A claim nothing was handed over for, given back: a derived reminder's first claim is removed, so it is derived and
 * claimed afresh from the current schedule and staff; anything else is pending again, re-rendered by the next run.
 */
function givenBack(claimed: Reminder, at: string): Reminder | undefined {
  if (isDerivedKind(claimed.kind) && claimed.attempts <= 1) return undefined;
  const { leaseUntil: _lease, ...rest } = claimed;
  return { ...rest, status: 'pending', attempts: Math.max(0, claimed.attempts - 1), nextAttemptAt: at, ...moved(claimed, at) };
}

function nextRecord(state: LifecycleState, current: Reminder | ReminderDraft, event: LifecycleEvent): Reminder | undefined {
  const at = event.at;
  if (!isRecord(current)) {
    const draft = current;
    if (event.type === 'claim') {
      return Reminder.parse({
        teamId: draft.teamId,
        id: draft.id,
        kind: draft.kind,
        channel: draft.channel,
        staffId: draft.staffId,
        ...(draft.kind === 'meeting_external' ? { email: draft.email, meetingId: draft.meetingId } : {}),
        status: 'sending',
        attempts: 1,
        dueAt: draft.dueAt,
        usefulUntil: draft.usefulUntil,
        leaseUntil: event.leaseUntil,
        version: 1,
        createdAt: at,
        updatedAt: at,
      });
    }
    if (event.type === 'lapse') {
      return Reminder.parse({
        teamId: draft.teamId,
        id: draft.id,
        kind: draft.kind,
        channel: draft.channel,
        staffId: draft.staffId,
        status: 'dropped',
        attempts: 0,
        dueAt: draft.dueAt,
        usefulUntil: draft.usefulUntil,
        version: 1,
        createdAt: at,
        updatedAt: at,
        droppedReason:
          draft.kind === 'agenda' ? 'not sent: its day had begun before it could be sent' : 'not sent: it had lost its point before it could be sent',
      });
    }
    throw new IllegalTransition(state, event.type);
  }
  // The table (checked by `transition`) has already refused every pair not handled here.
  const record = current;
  switch (event.type) {
    case 'claim':
      return Reminder.parse({ ...record, status: 'sending', attempts: record.attempts + 1, leaseUntil: event.leaseUntil, ...moved(record, at) });
    case 'drop':
      return { ...record, status: 'dropped', ...moved(record, at) };
    case 'defer':
      return { ...record, nextAttemptAt: event.until, ...moved(record, at) };
    case 'handOver':
      return { ...record, handingOverAt: at, ...moved(record, at) };
    case 'giveBack':
      return givenBack(record, at);
    case 'leaseExpired':
      if (state === 'claimed') return givenBack(record, at);
      return {
        ...record,
        status: 'unknown',
        failedAt: at,
        lastError: 'outcome unknown: the dispatcher stopped while handing it to the provider',
        ...moved(record, at),
      };
    case 'accepted':
      return { ...record, status: 'sent', sentAt: at, providerId: event.providerId, ...moved(record, at) };
    case 'outcomeUnknown':
      return { ...record, status: 'unknown', failedAt: at, lastError: event.reason, ...moved(record, at) };
    case 'rejected': {
      if (event.permanent || record.attempts >= maxAttempts)
        return { ...record, status: 'failed', failedAt: at, lastError: event.reason, ...moved(record, at) };
      const { handingOverAt: _handOver, leaseUntil: _lease, ...unclaimed } = record;
      return { ...unclaimed, status: 'pending', nextAttemptAt: event.retryAt, lastError: event.reason, ...moved(record, at) };
    }
    case 'lapse':
      throw new IllegalTransition(state, event.type);
  }
}

/**
 * The step `event` takes a reminder through: from the record as read (or, for a derived reminder not yet recorded, its
 * draft) to the record to write. Throws `IllegalTransition` for a pair the table does not allow.
 */
export function transition(current: Reminder | ReminderDraft, event: LifecycleEvent): LifecycleStep {
  const from = isRecord(current) ? current : undefined;
  const state = stateOf(from);
  const allowed = reminderLifecycle[state][event.type];
  if (!allowed) throw new IllegalTransition(state, event.type);
  const to = nextRecord(state, current, event);
  const next = stateOf(to);
  // The table is the contract: a rule above that led elsewhere would be a defect here, not a new state.
  if (!allowed.includes(next)) throw new Error(`reminder lifecycle: ${state} --${event.type}--> ${next} is not in the table`);
  return { from, to, state: next };
}

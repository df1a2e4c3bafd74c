import { describe, expect, it } from 'vitest';
import {
  IllegalTransition,
  leaseHasExpired,
  lifecycleEventTypes,
  lifecycleStates,
  maxAttempts,
  reminderLifecycle,
  stateOf,
  transition,
} from '../../shared/domain/reminder-lifecycle.js';
import type { LifecycleEvent, LifecycleEventType, LifecycleState, ReminderDraft } from '../../shared/domain/reminder-lifecycle.js';
import type { Reminder } from '../../shared/schemas/reminder.js';

const at = '2026-12-09T13:00:00.000Z';
const earlier = '2026-12-09T12:00:00.000Z';
const leaseUntil = '2026-12-09T13:05:00.000Z';
const retryAt = '2026-12-09T13:10:00.000Z';

const draft: ReminderDraft = {
  teamId: 'team-a',
  id: 'visit#v1#anna#2026-12-10T09:00',
  kind: 'visit',
  channel: 'sms',
  staffId: 'anna',
  email: '+46700000000',
  dueAt: earlier,
  usefulUntil: '2026-12-10T09:00:00.000Z',
};

const base: Reminder = {
  teamId: 'team-a',
  id: 'change#v1#anna#2',
  kind: 'change',
  channel: 'email',
  staffId: 'anna',
  visitId: 'v1',
  aboutVersion: 2,
  status: 'pending',
  attempts: 0,
  dueAt: earlier,
  nextAttemptAt: earlier,
  usefulUntil: '2026-12-10T09:00:00.000Z',
  version: 4,
  createdAt: earlier,
  updatedAt: earlier,
};

/** A record in each state (undefined for `absent`: its draft stands in). */
const records: Record<LifecycleState, Reminder | undefined> = {
  absent: undefined,
  pending: base,
  claimed: { ...base, status: 'sending', attempts: 1, leaseUntil },
  handingOver: { ...base, status: 'sending', attempts: 1, leaseUntil, handingOverAt: earlier },
  sent: { ...base, status: 'sent', attempts: 1, sentAt: earlier, providerId: 'p-1' },
  failed: { ...base, status: 'failed', attempts: 3, failedAt: earlier, lastError: 'refused' },
  dropped: { ...base, status: 'dropped' },
  unknown: { ...base, status: 'unknown', attempts: 1, failedAt: earlier, lastError: 'outcome unknown: timeout' },
};

const events: Record<LifecycleEventType, LifecycleEvent> = {
  claim: { type: 'claim', at, leaseUntil },
  lapse: { type: 'lapse', at },
  drop: { type: 'drop', at },
  defer: { type: 'defer', at, until: retryAt },
  handOver: { type: 'handOver', at },
  giveBack: { type: 'giveBack', at },
  leaseExpired: { type: 'leaseExpired', at },
  accepted: { type: 'accepted', at, providerId: 'p-2' },
  outcomeUnknown: { type: 'outcomeUnknown', at, reason: 'outcome unknown: timeout' },
  rejected: { type: 'rejected', at, reason: 'throttled', permanent: false, retryAt },
};

const subject = (state: LifecycleState): Reminder | ReminderDraft => records[state] ?? draft;

describe('the reminder lifecycle table', () => {
  it('names every state and every event', () => {
    expect(Object.keys(reminderLifecycle).sort()).toEqual([...lifecycleStates].sort());
    for (const state of lifecycleStates) expect(stateOf(records[state])).toBe(state);
  });

  it('has no way out of sent, failed, dropped and unknown', () => {
    for (const state of ['sent', 'failed', 'dropped', 'unknown'] as const) expect(reminderLifecycle[state]).toEqual({});
  });

  for (const state of lifecycleStates) {
    for (const type of lifecycleEventTypes) {
      const allowed = reminderLifecycle[state][type];
      if (allowed) {
        it(`${state} --${type}--> ${allowed.join(' or ')}`, () => {
          const step = transition(subject(state), events[type]);
          expect(allowed).toContain(step.state);
          expect(step.from).toBe(records[state]);
          expect(stateOf(step.to)).toBe(step.state);
          // Every write moves the version on (a fresh record starts at 1), so the store's condition tells racing runs apart.
          if (step.to) expect(step.to.version).toBe((records[state]?.version ?? 0) + 1);
          if (step.to) expect(step.to.updatedAt).toBe(at);
        });
      } else {
        it(`${state} refuses ${type}`, () => {
          expect(() => transition(subject(state), events[type])).toThrow(IllegalTransition);
        });
      }
    }
  }
});

describe('what each step records', () => {
  it('a first claim creates the record with one attempt and the lease; an address only for an external attendee', () => {
    expect(transition(draft, events.claim).to).toEqual({
      teamId: 'team-a',
      id: draft.id,
      kind: 'visit',
      channel: 'sms',
      staffId: 'anna',
      status: 'sending',
      attempts: 1,
      dueAt: earlier,
      usefulUntil: draft.usefulUntil,
      leaseUntil,
      version: 1,
      createdAt: at,
      updatedAt: at,
    });
    const external = transition(
      { ...draft, kind: 'meeting_external', channel: 'email', staffId: undefined, email: 'partner@example.org', meetingId: 'm1' },
      events.claim,
    ).to;
    expect(external).toMatchObject({ email: 'partner@example.org', meetingId: 'm1' });
  });

  it('a lapse records the reminder dropped with why, never attempted and without an address', () => {
    expect(transition({ ...draft, kind: 'agenda', channel: 'email' }, events.lapse).to).toMatchObject({
      status: 'dropped',
      attempts: 0,
      droppedReason: 'not sent: its day had begun before it could be sent',
    });
    const external = transition({ ...draft, kind: 'meeting_external', email: 'partner@example.org', meetingId: 'm1' }, events.lapse).to;
    expect(external).toMatchObject({ droppedReason: 'not sent: it had lost its point before it could be sent' });
    expect(external).not.toHaveProperty('email');
  });

  it('a queued claim counts one more attempt', () => {
    expect(transition(base, events.claim).to).toMatchObject({ status: 'sending', attempts: 1, leaseUntil, version: 5 });
  });

  it('a deferral only moves the next attempt', () => {
    expect(transition(base, events.defer).to).toEqual({ ...base, nextAttemptAt: retryAt, version: 5, updatedAt: at });
  });

  it('a hand-over is recorded with its time and keeps the lease', () => {
    expect(transition(records.claimed as Reminder, events.handOver).to).toEqual({ ...records.claimed, handingOverAt: at, version: 5, updatedAt: at });
  });

  it('a derived reminder’s first claim given back is released (removed); a later attempt is pending again with the attempt returned', () => {
    const firstClaim: Reminder = { ...(records.claimed as Reminder), kind: 'visit' };
    for (const type of ['giveBack', 'leaseExpired'] as const) {
      expect(transition(firstClaim, events[type])).toEqual({ from: firstClaim, to: undefined, state: 'absent' });
      const retry: Reminder = { ...firstClaim, attempts: 2 };
      const { leaseUntil: _lease, ...unleased } = retry;
      expect(transition(retry, events[type]).to).toEqual({
        ...unleased,
        status: 'pending',
        attempts: 1,
        nextAttemptAt: at,
        version: 5,
        updatedAt: at,
      });
      const queued = records.claimed as Reminder;
      expect(transition(queued, events[type]).to).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at });
      expect(transition(queued, events[type]).to).not.toHaveProperty('leaseUntil');
    }
  });

  it('a hand-over whose claimer stopped is unknown, never re-sent', () => {
    expect(transition(records.handingOver as Reminder, events.leaseExpired).to).toMatchObject({
      status: 'unknown',
      failedAt: at,
      lastError: 'outcome unknown: the dispatcher stopped while handing it to the provider',
    });
  });

  it('the provider’s answers: sent, unknown, failed when permanent or the last attempt, else pending for a retry without the claim', () => {
    const handingOver = records.handingOver as Reminder;
    expect(transition(handingOver, events.accepted).to).toMatchObject({ status: 'sent', sentAt: at, providerId: 'p-2', handingOverAt: earlier });
    expect(transition(handingOver, events.outcomeUnknown).to).toMatchObject({
      status: 'unknown',
      failedAt: at,
      lastError: 'outcome unknown: timeout',
    });
    expect(transition(handingOver, { ...events.rejected, permanent: true } as LifecycleEvent).to).toMatchObject({
      status: 'failed',
      failedAt: at,
      lastError: 'throttled',
    });
    expect(transition({ ...handingOver, attempts: maxAttempts }, events.rejected).to).toMatchObject({ status: 'failed' });
    const retried = transition(handingOver, events.rejected).to;
    expect(retried).toMatchObject({ status: 'pending', nextAttemptAt: retryAt, lastError: 'throttled', attempts: 1 });
    expect(retried).not.toHaveProperty('handingOverAt');
    expect(retried).not.toHaveProperty('leaseUntil');
  });

  it('a lease holds until its end, or until the last update when it has none', () => {
    const claimed = records.claimed as Reminder;
    expect(leaseHasExpired(claimed, at)).toBe(false);
    expect(leaseHasExpired(claimed, leaseUntil)).toBe(true);
    const { leaseUntil: _lease, ...unleased } = claimed;
    expect(leaseHasExpired(unleased, earlier)).toBe(true);
  });
});

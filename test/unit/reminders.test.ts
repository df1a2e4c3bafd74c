import { describe, expect, it } from 'vitest';
import { agendaReminders, outOfQuietHours, retryDelayMinutes, visitReminders } from '../../shared/domain/reminders.js';
import type { StaffContact } from '../../shared/domain/reminders.js';
import type { Visit } from '../../shared/schemas/visit.js';
import { defaultReminderPolicy } from '../../shared/schemas/team.js';
import { defaultNotifications } from '../../shared/schemas/staff.js';

const zone = 'Europe/Stockholm';
const policy = defaultReminderPolicy;
const anna: StaffContact = { id: 'anna', version: 1, email: 'anna@ikb.example', mobile: '+46701234567', notifications: defaultNotifications };
const staff = new Map([['anna', anna]]);

const visit = (start: string, end: string, overrides: Partial<Visit> = {}): Visit => ({
  teamId: 't1',
  id: 'v1',
  family: 'KAL-2026-07',
  kind: 'family',
  staff: ['anna'],
  start,
  end,
  startLocal: '',
  endLocal: '',
  week: '',
  place: 'Emmaboda',
  status: 'planned',
  version: 1,
  createdAt: '',
  updatedAt: '',
  ...overrides,
});

describe('quiet hours', () => {
  it('moves an SMS due at night to 07:00 and leaves the day alone', () => {
    expect(outOfQuietHours('2026-11-24T20:30:00.000Z', policy, zone)).toBe('2026-11-25T06:00:00.000Z'); // 21:30 → 07:00 next day
    expect(outOfQuietHours('2026-11-24T04:30:00.000Z', policy, zone)).toBe('2026-11-24T06:00:00.000Z'); // 05:30 → 07:00
    expect(outOfQuietHours('2026-11-24T19:59:00.000Z', policy, zone)).toBe('2026-11-24T19:59:00.000Z'); // 20:59 stays
    expect(outOfQuietHours('2026-11-24T06:00:00.000Z', policy, zone)).toBe('2026-11-24T06:00:00.000Z'); // 07:00 stays
  });

  it('handles the October DST night: 07:00 after the clocks go back is 06:00 UTC, not 05:00', () => {
    // Sun 25 Oct 2026, 01:30 UTC = 02:30 CET (after the change at 03:00 CEST → 02:00 CET).
    expect(outOfQuietHours('2026-10-25T01:30:00.000Z', policy, zone)).toBe('2026-10-25T06:00:00.000Z');
    // The evening before (Sat 24 Oct, 22:00 CEST = 20:00 UTC) → 07:00 CET on Sunday.
    expect(outOfQuietHours('2026-10-24T20:00:00.000Z', policy, zone)).toBe('2026-10-25T06:00:00.000Z');
  });

  it('handles the March DST night: 07:00 after the clocks go forward is 05:00 UTC', () => {
    expect(outOfQuietHours('2027-03-28T00:30:00.000Z', policy, zone)).toBe('2027-03-28T05:00:00.000Z');
  });
});

describe('visit reminders', () => {
  it('are due 60 minutes before by SMS, with a deterministic id that changes when the time changes', () => {
    const [r] = visitReminders([visit('2026-11-24T14:30:00.000Z', '2026-11-24T16:00:00.000Z')], staff, policy, zone);
    expect(r).toMatchObject({
      channel: 'sms',
      to: '+46701234567',
      dueAt: '2026-11-24T13:30:00.000Z',
      expiresAt: '2026-11-24T14:30:00.000Z',
      text: 'IKB: Besök KAL-2026-07 (familj) Emmaboda tis 24/11 kl 15:30–17:00.',
    });
    const [moved] = visitReminders([visit('2026-11-24T15:30:00.000Z', '2026-11-24T17:00:00.000Z')], staff, policy, zone);
    expect(moved?.id).not.toBe(r?.id);
  });

  it('an early-morning visit in the DST week is reminded at 07:00, a late-evening one is dropped', () => {
    // Mon 26 Oct 2026 07:30 CET = 06:30 UTC; due 06:30 local (quiet) → 07:00 local = 06:00 UTC.
    const [early] = visitReminders([visit('2026-10-26T06:30:00.000Z', '2026-10-26T07:30:00.000Z')], staff, policy, zone);
    expect(early?.dueAt).toBe('2026-10-26T06:00:00.000Z');
    // 22:30 local: due 21:30 (quiet) → 07:00 next day, after the visit → no SMS at all.
    expect(visitReminders([visit('2026-10-26T21:30:00.000Z', '2026-10-26T22:30:00.000Z')], staff, policy, zone)).toEqual([]);
    // 07:05 local: due 06:05 → 07:00, still before the visit.
    expect(visitReminders([visit('2026-10-26T06:05:00.000Z', '2026-10-26T07:05:00.000Z')], staff, policy, zone)[0]?.dueAt).toBe(
      '2026-10-26T06:00:00.000Z',
    );
  });

  it('follow each person’s choices within the policy: e-mail, own lead time (clamped), off', () => {
    const emailer = new Map([
      ['anna', { ...anna, notifications: { ...defaultNotifications, visitReminder: 'email' as const, visitLeadMinutes: 600 } }],
    ]);
    const [r] = visitReminders([visit('2026-11-24T14:30:00.000Z', '2026-11-24T16:00:00.000Z')], emailer, policy, zone);
    expect(r).toMatchObject({ channel: 'email', to: 'anna@ikb.example', dueAt: '2026-11-24T10:30:00.000Z' });
    expect(r?.subject).not.toMatch(/KAL|Emmaboda/);
    const off = new Map([['anna', { ...anna, notifications: { ...defaultNotifications, visitReminder: 'off' as const } }]]);
    expect(visitReminders([visit('2026-11-24T14:30:00.000Z', '2026-11-24T16:00:00.000Z')], off, policy, zone)).toEqual([]);
    const noMobile = new Map([['anna', { ...anna, mobile: undefined }]]);
    expect(visitReminders([visit('2026-11-24T14:30:00.000Z', '2026-11-24T16:00:00.000Z')], noMobile, policy, zone)[0]?.channel).toBe('email');
  });

  it('are not derived for cancelled visits', () => {
    expect(visitReminders([visit('2026-11-24T14:30:00.000Z', '2026-11-24T16:00:00.000Z', { status: 'cancelled' })], staff, policy, zone)).toEqual([]);
  });
});

describe('what a staff reminder is checked against at the hand-over', () => {
  it('names the visits it shows and the person it goes to, at the versions read (an opt-out or new address bumps the latter)', () => {
    const person = new Map([['anna', { ...anna, version: 7 }]]);
    const shown = visit('2026-11-24T14:30:00.000Z', '2026-11-24T16:00:00.000Z', { version: 3 });
    expect(visitReminders([shown], person, policy, zone)[0]?.about).toEqual([
      { kind: 'visit', id: 'v1', version: 3 },
      { kind: 'staff', id: 'anna', version: 7 },
    ]);
    expect(agendaReminders('2026-11-24', [shown], [], person, policy, zone)[0]?.about).toEqual([
      { kind: 'visit', id: 'v1', version: 3 },
      { kind: 'staff', id: 'anna', version: 7 },
    ]);
  });
});

describe('the daily agenda', () => {
  it('is due at 18:00 local the evening before, also on the DST evening', () => {
    const [a] = agendaReminders('2026-10-26', [visit('2026-10-26T14:00:00.000Z', '2026-10-26T15:00:00.000Z')], [], staff, policy, zone);
    // Sun 25 Oct 18:00 CET = 17:00 UTC.
    expect(a?.dueAt).toBe('2026-10-25T17:00:00.000Z');
    expect(a?.subject).toBe('Ditt schema måndag 26 oktober');
  });
});

describe('retry backoff', () => {
  it('grows 1, 4, 16 minutes', () => {
    expect([1, 2, 3].map(retryDelayMinutes)).toEqual([1, 4, 16]);
  });
});

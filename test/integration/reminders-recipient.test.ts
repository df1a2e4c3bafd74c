import { describe, expect, it } from 'vitest';
import type { EmailMessage, Senders, SmsMessage } from '../../shared/notify/sender.js';
import { getTeam } from '../../shared/store/teams.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';
import type { DispatchConfig, DispatchObserver } from '../../shared/use-cases/dispatch.js';
import { dispatchTeam } from '../../shared/use-cases/dispatch.js';
import type { Caller } from '../helpers/api.js';
import { call, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

useTable();

/**
 * A reminder goes with the person's preferences and address as they are when it is handed to the provider, as it goes
 * with the visit's current time (issue 24 §2). The races are made deterministic: the provider holds every message at a
 * gate the test opens, or the test changes the person inside the dispatcher's `afterClaim` seam; nothing is timed.
 * A message counts as "after the change" when its provider call began after the change's 200.
 */
interface Delivered {
  to: string;
  subject?: string | undefined;
  text: string;
  calendar: boolean;
  afterChange: boolean;
}

class GatedSenders implements Senders {
  delivered: Delivered[] = [];
  /** Set by the test once the change's 200 is in. */
  changeAcknowledged = false;
  private open = true;
  private release: () => void = () => undefined;
  private gate: Promise<void> = Promise.resolve();
  private entered = 0;
  private waiting: { count: number; resolve: () => void }[] = [];

  /** From now on every provider call waits at the gate until `openGate`. */
  closeGate(): void {
    this.open = false;
    this.gate = new Promise((resolve) => (this.release = resolve));
  }
  openGate(): void {
    this.open = true;
    this.release();
  }
  /** Resolves once `count` provider calls have begun (they are then all held at the gate). */
  async callsBegun(count: number): Promise<void> {
    if (this.entered >= count) return;
    await new Promise<void>((resolve) => this.waiting.push({ count, resolve }));
  }
  private async accept(m: { to: string; subject?: string; text: string; calendar?: unknown }) {
    const afterChange = this.changeAcknowledged;
    this.entered += 1;
    for (const w of this.waiting.filter((x) => this.entered >= x.count)) w.resolve();
    if (!this.open) await this.gate;
    this.delivered.push({ to: m.to, subject: m.subject, text: m.text, calendar: m.calendar !== undefined, afterChange });
    return { providerId: `p${this.delivered.length}` };
  }
  email = { send: (m: EmailMessage) => this.accept(m) };
  sms = { send: (m: SmsMessage) => this.accept(m) };
}

const mobiles = { anna: '+46700000001', bo: '+46700000002' } as const;
let teams = 0;

/** A team where anna and bo each have three visits on 2026-11-25 (15:00, 16:30, 18:00), every reminder due at 14:30 (240 minutes' lead). */
async function teamWithVisits(channel: 'sms' | 'email'): Promise<{ teamId: string; coordinator: Caller; staffVersion: Record<string, number> }> {
  teams += 1;
  const teamId = `recipient-${teams}`;
  const { coordinator } = await seedTeam(teamId);
  const staffVersion: Record<string, number> = {};
  for (const id of ['anna', 'bo'] as const) {
    const res = await call('PATCH', `/staff/${id}`, {
      as: coordinator,
      body: {
        version: 1,
        mobile: mobiles[id],
        notifications: { visitReminder: channel, visitLeadMinutes: 240, dailyAgenda: 'off', changeNotice: 'off' },
      },
    });
    if (res.status !== 200) throw new Error(res.text);
    staffVersion[id] = (res.body as { version: number }).version;
  }
  // One visit a family a day: anna's family visits with three families, bo's individual ones with three others.
  for (let i = 1; i <= 6; i++) await activeFamily(coordinator, `RCP-2026-0${i}`, 'anna', 'bo', { place: 'Kalmar' });
  const bookings = [
    ['RCP-2026-01', 'family', '15:00', '16:00'],
    ['RCP-2026-04', 'individual', '15:00', '16:00'],
    ['RCP-2026-02', 'family', '16:30', '17:30'],
    ['RCP-2026-05', 'individual', '16:30', '17:30'],
    ['RCP-2026-03', 'family', '18:00', '19:00'],
    ['RCP-2026-06', 'individual', '18:00', '19:00'],
  ] as const;
  for (const [family, kind, start, end] of bookings) {
    const res = await call('POST', '/visits', { as: coordinator, body: { family, kind, start: `2026-11-25T${start}`, end: `2026-11-25T${end}` } });
    if (res.status !== 201) throw new Error(res.text);
  }
  return { teamId, coordinator, staffVersion };
}

async function run(teamId: string, senders: Senders, now: string, options: { concurrency?: number; observer?: DispatchObserver } = {}) {
  const team = await getTeam(defaultDeps().db, teamId);
  if (!team) throw new Error('no team');
  const config: DispatchConfig = { senders, from: 'planner@ikb.example', organizerName: 'IKB', ...options };
  return dispatchTeam({ ...defaultDeps(), now: () => new Date(now) }, config, team);
}

const dueAt = '2026-11-25T13:30:00Z'; // 14:30 in Stockholm
const visitTime = (text: string) => /kl (\d\d:\d\d)/.exec(text)?.[1] ?? '';

describe('a reminder follows the person while a dispatch run is sending', () => {
  it('an opt-out acknowledged mid-run: nothing more is sent to that person, and the others get theirs once', async () => {
    const { teamId, coordinator, staffVersion } = await teamWithVisits('sms');
    const senders = new GatedSenders();
    senders.closeGate();
    // Two messages in flight, both held by the provider: the run has read anna's preferences before the change.
    const running = run(teamId, senders, dueAt, { concurrency: 2 });
    await senders.callsBegun(2);
    const optOut = await call('PATCH', '/staff/anna', {
      as: coordinator,
      body: { version: staffVersion['anna'], notifications: { visitReminder: 'off', dailyAgenda: 'off', changeNotice: 'off' } },
    });
    expect(optOut.status).toBe(200);
    senders.changeAcknowledged = true;
    senders.openGate();
    const stats = await running;
    const quiet = await run(teamId, senders, '2026-11-25T13:31:00Z');

    const toAnna = senders.delivered.filter((m) => m.to === mobiles.anna);
    const toBo = senders.delivered.filter((m) => m.to === mobiles.bo);
    expect(toAnna.filter((m) => m.afterChange)).toEqual([]);
    // anna's two later reminders were stopped at the hand-over by the changed staff record; the quiet run has nothing left to send.
    expect(stats.skippedChanged).toBe(2);
    expect(quiet.sent).toBe(0);
    // The one handed over before the change went; bo's three went exactly once each.
    expect(toAnna.map((m) => visitTime(m.text))).toEqual(['15:00']);
    expect(toBo.map((m) => visitTime(m.text)).sort()).toEqual(['15:00', '16:30', '18:00']);
  });

  it('an address change acknowledged mid-run: nothing more goes to the old address, the rest reaches the new one once', async () => {
    const { teamId, coordinator, staffVersion } = await teamWithVisits('email');
    const senders = new GatedSenders();
    senders.closeGate();
    const running = run(teamId, senders, dueAt, { concurrency: 2 });
    await senders.callsBegun(2);
    const moved = await call('PATCH', '/staff/anna', { as: coordinator, body: { version: staffVersion['anna'], email: 'anna.ny@ikb.example' } });
    expect(moved.status).toBe(200);
    senders.changeAcknowledged = true;
    senders.openGate();
    await running;
    await run(teamId, senders, '2026-11-25T13:31:00Z');

    const old = senders.delivered.filter((m) => m.to === 'anna@ikb.example');
    const renewed = senders.delivered.filter((m) => m.to === 'anna.ny@ikb.example');
    expect(old.filter((m) => m.afterChange)).toEqual([]);
    // Each of anna's visits reminded exactly once: before the change to the old address, after it to the new one.
    expect([...old, ...renewed].map((m) => visitTime(m.text)).sort()).toEqual(['15:00', '16:30', '18:00']);
    expect(renewed.length).toBeGreaterThan(0);
    expect(
      senders.delivered
        .filter((m) => m.to === 'bo@ikb.example')
        .map((m) => visitTime(m.text))
        .sort(),
    ).toEqual(['15:00', '16:30', '18:00']);
  });

  it('a change between the claim and the hand-over: the claimed message is not sent from the old data', async () => {
    const { teamId, coordinator, staffVersion } = await teamWithVisits('email');
    const senders = new GatedSenders();
    let changed = false;
    // The change lands right after anna's first reminder was claimed, before it is handed to the provider.
    const observer: DispatchObserver = {
      afterClaim: async (reminder) => {
        if (changed || reminder.staffId !== 'anna') return;
        changed = true;
        const res = await call('PATCH', '/staff/anna', { as: coordinator, body: { version: staffVersion['anna'], email: 'anna.ny@ikb.example' } });
        expect(res.status).toBe(200);
        senders.changeAcknowledged = true;
      },
    };
    const stats = await run(teamId, senders, dueAt, { concurrency: 1, observer });
    const quiet = await run(teamId, senders, '2026-11-25T13:31:00Z');
    expect(changed).toBe(true);

    const old = senders.delivered.filter((m) => m.to === 'anna@ikb.example');
    const renewed = senders.delivered.filter((m) => m.to === 'anna.ny@ikb.example');
    expect(old).toEqual([]);
    // All three were stopped at their hand-overs (the first one's claim came before the change); the next run sent them afresh.
    expect(stats.skippedChanged).toBe(3);
    expect(quiet.sent).toBe(3);
    expect(renewed.map((m) => visitTime(m.text)).sort()).toEqual(['15:00', '16:30', '18:00']);
    expect(senders.delivered.filter((m) => m.to === 'bo@ikb.example')).toHaveLength(3);
  });

  it('an external attendee taken off the meeting between the claim and the hand-over gets no reminder', async () => {
    teams += 1;
    const teamId = `recipient-${teams}`;
    const { coordinator } = await seedTeam(teamId);
    const external = ['x1', 'x2', 'x3'].map((x) => ({ name: `Partner ${x}`, email: `${x}@partner.example`, organisation: 'Kommunen' }));
    const created = await call('POST', '/meetings', {
      as: coordinator,
      body: {
        title: 'Samverkan',
        kind: 'consultation',
        mode: 'online',
        videoLink: 'https://video.example/s',
        staff: ['coord'],
        external,
        start: '2026-11-26T10:00',
        end: '2026-11-26T11:00',
      },
    });
    expect(created.status).toBe(201);
    const meeting = created.body as { id: string; version: number };
    // The invitations go out first.
    await run(teamId, new GatedSenders(), '2026-11-23T08:00:00Z');

    const senders = new GatedSenders();
    let removed = false;
    const observer: DispatchObserver = {
      afterClaim: async (reminder) => {
        if (removed || reminder.email !== 'x2@partner.example') return;
        removed = true;
        const res = await call('PATCH', `/meetings/${meeting.id}`, {
          as: coordinator,
          body: { version: meeting.version, external: [external[0], external[2]] },
        });
        expect(res.status).toBe(200);
        senders.changeAcknowledged = true;
      },
    };
    // 24 hours before: the three reminders are due (10:30 in Stockholm).
    await run(teamId, senders, '2026-11-25T09:30:00Z', { concurrency: 1, observer });
    await run(teamId, senders, '2026-11-25T09:31:00Z');
    expect(removed).toBe(true);

    const reminders = senders.delivered.filter((m) => !m.calendar);
    expect(reminders.filter((m) => m.to === 'x2@partner.example')).toEqual([]);
    expect(reminders.map((m) => m.to).sort()).toEqual(['x1@partner.example', 'x3@partner.example']);
    // The attendee taken off gets the cancellation instead.
    expect(senders.delivered.filter((m) => m.to === 'x2@partner.example' && m.calendar)).toHaveLength(1);
  });
});

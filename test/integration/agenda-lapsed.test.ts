import { beforeAll, describe, expect, it } from 'vitest';
import type { EmailMessage, Senders, SmsMessage } from '../../shared/notify/sender.js';
import { getTeam } from '../../shared/store/teams.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';
import { dispatchTeam } from '../../shared/use-cases/dispatch.js';
import { call, coordinatorOf, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

// Issue 24 §6: after a start at 05:5x, the previous evening's 18:00 agendas went out at 05:56. A daily agenda whose
// day has begun has lost its point: it is dropped, and recorded as dropped (once), not sent.
useTable();

class Outbox implements Senders {
  emails: EmailMessage[] = [];
  texts: SmsMessage[] = [];
  email = { send: async (m: EmailMessage) => (this.emails.push(m), { providerId: `e${this.emails.length}` }) };
  sms = { send: async (m: SmsMessage) => (this.texts.push(m), { providerId: `s${this.texts.length}` }) };
}

async function dispatch(team: string, senders: Senders, when: string) {
  const record = await getTeam(defaultDeps().db, team);
  if (!record) throw new Error('no team');
  return dispatchTeam({ ...defaultDeps(), now: () => new Date(when) }, { senders, from: 'planner@ikb.example', organizerName: 'IKB' }, record);
}
const agendas = (outbox: Outbox) => outbox.emails.filter((e) => e.subject.startsWith('Ditt schema'));
type Listed = { reminders: { id: string; kind: string; staffId?: string; status: string; droppedReason?: string }[] };

beforeAll(async () => {
  for (const team of ['lapse-a', 'lapse-b']) {
    const { coordinator } = await seedTeam(team);
    await activeFamily(coordinator, team === 'lapse-a' ? 'LPA-2026-01' : 'LPB-2026-01', 'anna', 'bo', { place: 'Kalmar' });
    const visit = await call('POST', '/visits', {
      as: coordinator,
      body: { family: team === 'lapse-a' ? 'LPA-2026-01' : 'LPB-2026-01', kind: 'family', start: '2026-12-08T15:00', end: '2026-12-08T16:30' },
    });
    expect(visit.status, visit.text).toBe(201);
  }
});

describe('a daily agenda whose day has begun', () => {
  it('is not sent at 05:56 after a start that missed 18:00, but recorded as dropped, once', async () => {
    const outbox = new Outbox();
    const first = await dispatch('lapse-a', outbox, '2026-12-08T04:56:00Z');
    expect(agendas(outbox)).toEqual([]);
    expect(first.dropped).toBe(1);
    const listed = (await call('GET', '/reminders', { as: coordinatorOf('lapse-a'), query: { status: 'dropped' } })).body as Listed;
    expect(listed.reminders).toEqual([
      expect.objectContaining({
        id: 'agenda#anna#2026-12-08',
        kind: 'agenda',
        staffId: 'anna',
        status: 'dropped',
        droppedReason: expect.stringContaining('day had begun'),
      }),
    ]);
    const again = await dispatch('lapse-a', outbox, '2026-12-08T04:57:00Z');
    expect(again.dropped).toBe(0);
    expect(agendas(outbox)).toEqual([]);
  });

  it('late but before its day (23:30 the evening before) it still goes out', async () => {
    const outbox = new Outbox();
    await dispatch('lapse-b', outbox, '2026-12-07T22:30:00Z');
    expect(agendas(outbox).map((e) => e.to)).toEqual(['anna@ikb.example']);
  });
});

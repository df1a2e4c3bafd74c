import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Caller } from './api.js';
import { call } from './api.js';
import { familyBody, seedTeam } from './fixtures.js';
import { dbFromEnv } from '../../shared/store/client.js';
import { putReminder } from '../../shared/store/reminders.js';
import type { Reminder } from '../../shared/schemas/reminder.js';

/**
 * A team with history, built through the real handlers (the test clock is Monday 2026-11-23): a case completed
 * long ago (Sept 2026) with done, cancelled and no-show visits and a handover meeting naming it; a case completed
 * recently (20 Nov 2026); an active and a referred case; a declined referral; an old and a recent meeting with
 * external attendees; a deactivated staff member with a feed token; sent and pending reminder records.
 * `p` is a 2–5 letter code prefix, so several teams in one table keep apart.
 */
export interface History {
  teamId: string;
  coordinator: Caller;
  oldCase: string;
  recentCase: string;
  activeCase: string;
  referredCase: string;
  declinedCase: string;
  oldAttendee: string;
  recentAttendee: string;
  handoverAttendee: string;
  formerStaff: { id: string; email: string; mobile: string; name: string };
}

async function ok(res: Promise<{ status: number; text: string; body: unknown }>, status = [200, 201]): Promise<Record<string, unknown>> {
  const r = await res;
  if (!status.includes(r.status)) throw new Error(`${r.status}: ${r.text}`);
  return r.body as Record<string, unknown>;
}

export async function buildHistory(teamId: string, p: string): Promise<History> {
  const { coordinator } = await seedTeam(teamId);
  const as = coordinator;
  const h: History = {
    teamId,
    coordinator,
    oldCase: `${p}-2026-01`,
    recentCase: `${p}-2026-02`,
    activeCase: `${p}-2026-03`,
    referredCase: `${p}-2026-04`,
    declinedCase: `${p}-2026-05`,
    oldAttendee: `old.${teamId}@kommun.example`,
    recentAttendee: `recent.${teamId}@kommun.example`,
    handoverAttendee: `bup.${teamId}@region.example`,
    formerStaff: { id: 'lina', email: 'lina@ikb.example', mobile: '+46709990001', name: 'Staff lina' },
  };
  const open = async (code: string, referral: string, start: string, familyTherapist = 'anna', individualTherapist = 'bo') => {
    await ok(
      call('POST', '/families', {
        as,
        body: { ...familyBody(code, familyTherapist, individualTherapist), referral: { source: 'bup', date: referral } },
      }),
    );
    await ok(call('POST', `/families/${code}/status`, { as, body: { to: 'accepted', version: 1 } }));
    await ok(call('POST', `/families/${code}/status`, { as, body: { to: 'active', version: 2, startDate: start } }));
  };
  const visit = async (family: string, kind: string, day: string, outcome: 'done' | 'no_show' | 'cancel' | 'planned') => {
    const v = await ok(call('POST', '/visits', { as, body: { family, kind, start: `${day}T16:00`, end: `${day}T17:00` } }));
    if (outcome === 'cancel')
      await ok(call('POST', `/visits/${String(v['id'])}/cancel`, { as, body: { version: v['version'], by: 'family', reason: 'illness' } }));
    else if (outcome !== 'planned')
      await ok(call('POST', `/visits/${String(v['id'])}/outcome`, { as, body: { version: v['version'], status: outcome } }));
    return v;
  };
  const complete = async (code: string, endDate: string) => {
    const f = await ok(call('GET', `/families/${code}`, { as }));
    await ok(
      call('POST', `/families/${code}/status`, {
        as,
        body: {
          to: 'completed',
          version: f['version'],
          endDate,
          completionType: 'as_planned',
          outcomes: { schoolAttendance: 'increased', livingAtHome: 'yes' },
        },
      }),
    );
  };

  // Completed long ago: treatment 1 June – 15 Sept 2026.
  await open(h.oldCase, '2026-05-11', '2026-06-01');
  const oldVisit = await visit(h.oldCase, 'family', '2026-06-02', 'done');
  await visit(h.oldCase, 'individual', '2026-06-03', 'done');
  await visit(h.oldCase, 'joint', '2026-06-09', 'no_show');
  await visit(h.oldCase, 'family', '2026-06-10', 'cancel');
  await visit(h.oldCase, 'family', '2026-09-01', 'done');
  await ok(
    call('POST', '/meetings', {
      as,
      body: {
        title: `Överlämning ${h.oldCase}`,
        kind: 'handover',
        family: h.oldCase,
        mode: 'online',
        videoLink: 'https://meet.example/handover',
        staff: ['anna', 'bo'],
        external: [{ name: 'Britt BUP', email: h.handoverAttendee, organisation: 'BUP Kalmar' }],
        start: '2026-09-08T10:00',
        end: '2026-09-08T11:00',
      },
    }),
  );
  await complete(h.oldCase, '2026-09-15');
  // Completed recently: 5 Oct – 20 Nov 2026.
  await open(h.recentCase, '2026-09-14', '2026-10-05', 'erik', 'lina');
  await visit(h.recentCase, 'family', '2026-10-06', 'done');
  await visit(h.recentCase, 'joint', '2026-11-17', 'done');
  await complete(h.recentCase, '2026-11-20');
  // Active and referred.
  await open(h.activeCase, '2026-10-01', '2026-11-02');
  await visit(h.activeCase, 'family', '2026-11-03', 'done');
  await visit(h.activeCase, 'family', '2026-11-25', 'planned');
  await ok(call('POST', '/families', { as, body: familyBody(h.referredCase) }));
  // Declined today (2026-11-23).
  await ok(call('POST', '/families', { as, body: { ...familyBody(h.declinedCase), referral: { source: 'socialtjanst', date: '2026-11-02' } } }));
  await ok(call('POST', `/families/${h.declinedCase}/status`, { as, body: { to: 'declined', version: 1, reason: 'outside_target_group' } }));
  // Meetings with external attendees: one in Aug 2025 (gone after 24 months), one this month.
  await ok(
    call('POST', '/meetings', {
      as,
      body: {
        title: 'Kommunmöte 2025',
        kind: 'municipality',
        mode: 'onsite',
        place: 'Emmaboda',
        address: 'Storgatan 1, Emmaboda',
        staff: ['coord'],
        external: [{ name: 'Olle Gammal', email: h.oldAttendee, organisation: 'Emmaboda kommun' }],
        start: '2025-08-05T10:00',
        end: '2025-08-05T11:00',
      },
    }),
  );
  await ok(
    call('POST', '/meetings', {
      as,
      body: {
        title: 'Kommunmöte nu',
        kind: 'municipality',
        mode: 'onsite',
        place: 'Emmaboda',
        address: 'Storgatan 1, Emmaboda',
        staff: ['coord'],
        external: [{ name: 'Nina Ny', email: h.recentAttendee, organisation: 'Emmaboda kommun' }],
        start: '2026-11-10T10:00',
        end: '2026-11-10T11:00',
      },
    }),
  );
  // A staff member who left today (after the recent case ended), with a feed token and a number of their own.
  const lina = await ok(call('PATCH', '/staff/lina', { as, body: { version: 1, mobile: h.formerStaff.mobile } }));
  const linaToken = await ok(call('POST', '/staff/lina/calendar-token', { as, body: {} }));
  if (typeof linaToken['token'] !== 'string') throw new Error('no token');
  await ok(call('POST', '/staff/lina/deactivate', { as, body: { version: lina['version'] } }));
  // Reminder records as the dispatcher leaves them: sent about the old case, sent long ago, sent recently (as of the purge date), pending.
  const base = { teamId, channel: 'sms' as const, staffId: 'anna', attempts: 1, version: 1 };
  const reminder = (r: Partial<Reminder> & Pick<Reminder, 'id' | 'kind' | 'status' | 'dueAt'>): Reminder => ({
    ...base,
    usefulUntil: r.dueAt,
    createdAt: r.dueAt,
    updatedAt: r.sentAt ?? r.dueAt,
    ...r,
  });
  const db = dbFromEnv();
  const oldStart = String(oldVisit['start']);
  await putReminder(
    db,
    reminder({
      id: `visit#${String(oldVisit['id'])}#anna#${oldStart}`,
      kind: 'visit',
      visitId: String(oldVisit['id']),
      status: 'sent',
      dueAt: '2026-06-02T13:00:00.000Z',
      sentAt: '2026-06-02T13:00:05.000Z',
    }),
    undefined,
  );
  await putReminder(
    db,
    reminder({
      id: 'agenda#anna#2026-11-20',
      kind: 'agenda',
      channel: 'email',
      status: 'sent',
      dueAt: '2026-11-19T17:00:00.000Z',
      sentAt: '2026-11-19T17:00:03.000Z',
    }),
    undefined,
  );
  await putReminder(
    db,
    reminder({
      id: 'agenda#anna#2027-09-21',
      kind: 'agenda',
      channel: 'email',
      status: 'sent',
      dueAt: '2027-09-20T16:00:00.000Z',
      sentAt: '2027-09-20T16:00:02.000Z',
    }),
    undefined,
  );
  return h;
}

/** Every item of the table (test only: a request path never scans). */
export async function scanAll(): Promise<Record<string, unknown>[]> {
  const db = dbFromEnv();
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * The test oracle of the purge's redaction: whether an item's stored form names a case code anywhere (keys and every
 * attribute, nested or not), as the code's word: KAL-2026-01 is not found inside KAL-2026-010. The purge itself
 * redacts only the fields the store knows can hold a code; this checks that no other field did.
 */
export function namesCodeAnywhere(item: Record<string, unknown>, code: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9-])${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9])`).test(JSON.stringify(item));
}

/** The items whose stored form contains a string anywhere (keys included). */
export const itemsContaining = (items: readonly Record<string, unknown>[], needle: string) => items.filter((i) => JSON.stringify(i).includes(needle));

/** GET /figures for several periods, as JSON text. */
export const periods = [
  ['2025-01', '2027-12'],
  ['2026-05', '2026-05'],
  ['2026-06', '2026-06'],
  ['2026-09', '2026-11'],
  ['2026-11', '2026-11'],
  ['2026-01', '2026-12'],
] as const;
export async function figuresFor(coordinator: Caller): Promise<string[]> {
  const out: string[] = [];
  for (const [from, to] of periods) {
    const res = await call('GET', `/figures?from=${from}&to=${to}`, { as: coordinator });
    if (res.status !== 200) throw new Error(res.text);
    out.push(res.text);
  }
  return out;
}

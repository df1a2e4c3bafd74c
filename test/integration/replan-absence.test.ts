import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EmailMessage, Senders, SmsMessage } from '../../shared/notify/sender.js';
import { listAudit } from '../../shared/store/audit.js';
import { getTeam } from '../../shared/store/teams.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';
import { dispatchTeam } from '../../shared/use-cases/dispatch.js';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, tableItems, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

/*
 * Issue 23 on a team shaped like the demo: one visit a family a day (maxSessionsPerDay 1), five sessions a week, so every
 * weekday of each family is taken. The clock is Monday 23 November 2026 09:00 (test/setup-env.ts); anna is sick
 * Tuesday–Wednesday of this week.
 */

useTable();
const team = 'sick-team';
let coordinator: Caller;

interface StoredVisit {
  id: string;
  family: string;
  kind: string;
  staff: string[];
  start: string;
  startLocal: string;
  endLocal: string;
  version: number;
  status: string;
  cancelReason?: string;
  cover?: { by: string; plannedKind: string; plannedStaff: string[] };
  absentStaff?: string[];
}
interface Option {
  option: 'move' | 'partner' | 'colleague' | 'cancel';
  possible: boolean;
  reason?: string;
  start?: string;
  end?: string;
  staff?: string[];
  kind?: string;
  chain?: { visit: string; version: number; start: string; end: string }[];
  continuityBreak?: boolean;
}
interface Decision {
  visit: string;
  version: number;
  family: string;
  kind: string;
  staff: string[];
  absentStaff: string[];
  startLocal: string;
  proposed: Option['option'];
  options: Option[];
}
interface Proposal {
  decisions: Decision[];
  stats: { affected: number; moved: number; coveredByPartner: number; coveredByColleague: number; cancelled: number };
  moves: unknown[];
  unplaced: { visit: string; reason: string }[];
}

const weekVisits = async (week: string) =>
  ((await call('GET', '/visits', { as: coordinator, query: { week } })).body as { visits: StoredVisit[] }).visits;

class RecordingSenders implements Senders {
  emails: EmailMessage[] = [];
  texts: SmsMessage[] = [];
  email = { send: async (m: EmailMessage) => (this.emails.push(m), { providerId: `e${this.emails.length}` }) };
  sms = { send: async (m: SmsMessage) => (this.texts.push(m), { providerId: `s${this.texts.length}` }) };
}
async function dispatch(senders: Senders, when: string) {
  const deps = { ...defaultDeps(), now: () => new Date(when) };
  const stored = await getTeam(deps.db, team);
  if (!stored) throw new Error('no team');
  return dispatchTeam(deps, { senders, from: 'planner@ikb.example', organizerName: 'IKB' }, stored);
}
/** The decisions of a proposal as the commit takes them (the proposed option of each, chains included). */
function commitBody(proposal: Proposal) {
  return {
    decisions: proposal.decisions.flatMap((d): Record<string, unknown>[] => {
      const chosen = d.options.find((o) => o.option === d.proposed);
      const base = { visit: d.visit, version: d.version };
      if (d.proposed === 'move')
        return [
          ...(chosen?.chain ?? []).map((c) => ({ visit: c.visit, version: c.version, action: 'move' as const, start: c.start, end: c.end })),
          { ...base, action: 'move' as const, start: chosen?.start, end: chosen?.end },
        ];
      if (d.proposed === 'colleague')
        return [{ ...base, action: 'colleague' as const, staff: chosen?.staff?.find((s) => !d.staff.includes(s)), confirmContinuityBreak: true }];
      return [{ ...base, action: d.proposed }];
    }),
  };
}

beforeAll(async () => {
  ({ coordinator } = await seedTeam(team));
  for (const [code, ft, it, place] of [
    ['SCK-2026-01', 'anna', 'bo', 'Kalmar'],
    ['SCK-2026-02', 'anna', 'bo', 'Emmaboda'],
    ['SCK-2026-03', 'anna', 'bo', 'Torsås'],
    ['SCK-2026-04', 'erik', 'lina', 'Kalmar'],
    ['SCK-2026-05', 'erik', 'lina', 'Borgholm'],
  ] as const)
    await activeFamily(coordinator, code, ft, it, { place, maxSessionsPerDay: 1, startDate: '2026-10-26' });
  // As the demo seed does: this week and next week planned in full.
  for (const week of ['2026-W48', '2026-W49']) {
    const proposal = (await call('POST', `/weeks/${week}/plan`, { as: coordinator })).body as { result: { visits: unknown[] } };
    const committed = await call('POST', `/weeks/${week}/plan/commit`, { as: coordinator, body: { visits: proposal.result.visits } });
    expect(committed.status).toBe(200);
  }
});

describe('a therapist reports sick on a full week (issue 23)', () => {
  let before: StoredVisit[] = [];
  let hit: StoredVisit[] = [];
  let proposal: Proposal;

  it('the absence flags the visits inside it in GET /visits until the coordinator decides', async () => {
    before = await weekVisits('2026-W48');
    hit = before.filter(
      (v) => v.status === 'planned' && v.staff.includes('anna') && ['2026-11-24', '2026-11-25'].includes(v.startLocal.slice(0, 10)),
    );
    expect(hit.length).toBeGreaterThan(1);
    const absence = await call('POST', '/staff/anna/absences', { as: coordinator, body: { from: '2026-11-24', to: '2026-11-25', kind: 'sick' } });
    expect(absence.status).toBe(201);
    const listed = await weekVisits('2026-W48');
    for (const v of listed) expect(v.absentStaff ?? []).toEqual(hit.some((h) => h.id === v.id) ? ['anna'] : []);
  });

  it('proposes, for every affected visit, one of the four options and says why the better ones were not possible', async () => {
    const res = await call('POST', '/weeks/2026-W48/replan', { as: coordinator });
    expect(res.status).toBe(200);
    proposal = res.body as Proposal;
    expect(proposal.decisions.map((d) => d.visit).sort()).toEqual(hit.map((v) => v.id).sort());
    for (const d of proposal.decisions) {
      expect(d.options.map((o) => o.option)).toEqual(['move', 'partner', 'colleague', 'cancel']);
      expect(d.absentStaff).toEqual(['anna']);
      const chosen = d.options.findIndex((o) => o.option === d.proposed);
      expect(d.options[chosen]?.possible).toBe(true);
      // Every better option is impossible, with a reason.
      for (const o of d.options.slice(0, chosen)) {
        expect(o.possible).toBe(false);
        expect(o.reason).toMatch(/\w/);
      }
    }
    // The family has its one visit on every other day this week and next: the binding rule is the daily limit, not
    // "no common free time".
    const move = proposal.decisions[0]?.options[0];
    expect(move?.reason).toContain('maxSessionsPerDay (1)');
    expect(move?.reason).not.toContain('no common free time');
    // Nothing is left to the coordinator's separate requests: with bo working, the partner covers.
    expect(proposal.stats.moved + proposal.stats.coveredByPartner + proposal.stats.coveredByColleague + proposal.stats.cancelled).toBe(hit.length);
    expect(proposal.stats.coveredByPartner).toBeGreaterThan(0);
    expect(await weekVisits('2026-W48')).toEqual(await weekVisits('2026-W48'));
  });

  it('sends anna no reminder and no agenda line for them while they wait for a decision; bo still gets his', async () => {
    const senders = new RecordingSenders();
    // The evenings before (the agendas for Tuesday and Wednesday: an agenda is of use only until its day begins, issue
    // 24 §6), then an hour before each affected visit.
    const times = [
      '2026-11-23T17:00:00.000Z',
      '2026-11-24T17:00:00.000Z',
      ...hit.map((v) => new Date(Date.parse(v.start) - 3_600_000).toISOString()),
    ].sort();
    for (const when of times) await dispatch(senders, when);
    const sent = (
      (await call('GET', '/reminders', { as: coordinator, query: { status: 'sent' } })).body as {
        reminders: { id: string; kind: string; staffId?: string }[];
      }
    ).reminders;
    expect(
      sent.filter((r) => r.staffId === 'anna' && (r.kind === 'agenda' ? /2026-11-2[45]/.test(r.id) : hit.some((v) => r.id.includes(v.id)))),
    ).toEqual([]);
    expect(senders.emails.filter((e) => e.to === 'anna@ikb.example')).toEqual([]);
    expect(sent.some((r) => r.staffId === 'bo' && r.kind === 'agenda')).toBe(true);
  });

  it('leaves those visits out of anna’s calendar feed (not tentative), while bo’s feed and the team feed keep the joint ones', async () => {
    const feedOf = async (staffId: string, body: Record<string, string> = {}) => {
      const issued = (await call('POST', `/staff/${staffId}/calendar-token`, { as: coordinator, body })).body as { path: string };
      return (await call('GET', issued.path)).text.replace(/\r\n /g, '');
    };
    const [anna, bo, teamFeed] = [await feedOf('anna'), await feedOf('bo'), await feedOf('coord', { scope: 'team' })];
    for (const v of hit) {
      expect(anna).not.toContain(v.id);
      expect(teamFeed).toContain(v.id);
      if (v.staff.includes('bo')) expect(bo).toContain(v.id);
    }
    expect(anna).toContain('BEGIN:VEVENT');
  });

  it('refuses bad input with field-level 400s and a changed visit with a 409, writing nothing', async () => {
    const snapshot = await tableItems();
    const [a, b] = hit;
    if (!a || !b) throw new Error('two visits expected');
    const bad = await call('POST', '/weeks/2026-W48/replan/commit', {
      as: coordinator,
      body: {
        decisions: [
          { visit: a.id, version: a.version, action: 'colleague', staff: 'erik' },
          { visit: b.id, version: b.version, action: 'fly' },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(expect.arrayContaining(['decisions[0].confirmContinuityBreak', 'decisions[1].action']));
    const wrongRole = await call('POST', '/weeks/2026-W48/replan/commit', {
      as: coordinator,
      body: {
        decisions: [
          { visit: a.id, version: a.version, action: 'colleague', staff: 'lina', confirmContinuityBreak: true },
          { visit: 'nope', version: 1, action: 'cancel' },
        ],
      },
    });
    expect(wrongRole.status).toBe(400);
    expect(fieldPaths(wrongRole.body)).toEqual(['decisions[0].staff', 'decisions[1].visit']);
    const body = commitBody(proposal);
    const stale = await call('POST', '/weeks/2026-W48/replan/commit', {
      as: coordinator,
      body: { decisions: body.decisions.map((d, i) => (i === body.decisions.length - 1 ? { ...d, version: Number(d['version']) + 1 } : d)) },
    });
    expect(stale.status).toBe(409);
    expect(await tableItems()).toEqual(snapshot);
  });

  it('commits every decision in one request: nothing of anna’s is left planned inside the absence', async () => {
    const res = await call('POST', '/weeks/2026-W48/replan/commit', { as: coordinator, body: commitBody(proposal) });
    expect(res.status).toBe(200);
    const out = res.body as { moved: StoredVisit[]; covered: StoredVisit[]; cancelled: StoredVisit[] };
    expect(out.covered).toHaveLength(proposal.stats.coveredByPartner + proposal.stats.coveredByColleague);
    expect(out.cancelled).toHaveLength(proposal.stats.cancelled);
    for (const v of out.covered) {
      expect(v.staff).not.toContain('anna');
      expect(v.cover).toMatchObject({ by: 'partner', plannedStaff: expect.arrayContaining(['anna']) });
      // Given by bo alone: an individual session, as it was given.
      expect(v.kind).toBe('individual');
    }
    for (const v of out.cancelled) expect(v).toMatchObject({ status: 'cancelled', cancelledBy: 'team', cancelReason: 'staff_absence' });
    const after = await weekVisits('2026-W48');
    expect(after.filter((v) => v.status === 'planned' && v.staff.includes('anna') && /^2026-11-2[45]/.test(v.startLocal))).toEqual([]);
    expect(after.filter((v) => v.absentStaff !== undefined)).toEqual([]);
    const again = (await call('POST', '/weeks/2026-W48/replan', { as: coordinator })).body as Proposal;
    expect(again.decisions).toEqual([]);
    // Each change has its audit entry (who, what, before and after), written in the same transaction.
    for (const v of [...out.moved, ...out.covered, ...out.cancelled]) {
      const entries = await listAudit(defaultDeps().db, team, 'visit', v.id);
      expect(entries.at(-1)).toMatchObject({
        action: expect.stringMatching(/^(move:replan|cover:partner|cover:colleague|cancel:staff-absence)$/),
        actor: 'coord',
        after: { version: v.version },
      });
    }
  });

  it('tells bo and the coordinator once, and anna never', async () => {
    const senders = new RecordingSenders();
    const first = await dispatch(senders, '2026-11-23T08:01:00.000Z');
    const second = await dispatch(senders, '2026-11-23T08:02:00.000Z');
    expect(second.sent).toBe(0);
    const sent = (
      (await call('GET', '/reminders', { as: coordinator, query: { status: 'sent' } })).body as {
        reminders: { kind: string; staffId?: string; visitId?: string }[];
      }
    ).reminders;
    const notices = sent.filter((r) => r.kind === 'change');
    expect(first.sent).toBeGreaterThanOrEqual(notices.length);
    // Within the 48 hours of §6: Tuesday's changed visits.
    const tuesday = hit.filter((v) => v.startLocal.startsWith('2026-11-24'));
    expect(tuesday.length).toBeGreaterThan(0);
    for (const v of tuesday) {
      const to = notices
        .filter((n) => n.visitId === v.id)
        .map((n) => n.staffId)
        .sort();
      expect(to).toEqual([...new Set(to)]);
      expect(to).not.toContain('anna');
      expect(to).toEqual(expect.arrayContaining(['bo', 'coord']));
    }
    expect(notices.filter((n) => n.staffId === 'anna')).toEqual([]);
    // A covered visit's notice says who gives it now (no names: staff ids, the family code, kind, place and time).
    expect(senders.texts.some((t) => / ges av bo \(frånvaro\)\.$/.test(t.text))).toBe(true);
  });

  it('counts the cancellations as by the team for staff absence in the §9 figures', async () => {
    const figures = (await call('GET', '/figures', { as: coordinator, query: { from: '2026-11', to: '2026-11' } })).body as {
      cancellations: { byTeam: number; byReason: Record<string, number> };
    };
    expect(figures.cancellations.byReason['staff_absence']).toBe(proposal.stats.cancelled);
    expect(figures.cancellations.byTeam).toBe(proposal.stats.cancelled);
  });

  it('ends the absence early: the cancelled visits of the freed day can go back where they were', async () => {
    const absences = ((await call('GET', '/staff/anna/absences', { as: coordinator })).body as { absences: { id: string; version: number }[] })
      .absences;
    const absence = absences[0];
    if (!absence) throw new Error('no absence');
    const snapshot = await tableItems();
    const bad = await call('PATCH', `/staff/anna/absences/${absence.id}`, {
      as: coordinator,
      body: { version: absence.version, from: '2026-11-24', to: '2026-11-23', kind: 'sick' },
    });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(['to']);
    const stale = await call('PATCH', `/staff/anna/absences/${absence.id}`, {
      as: coordinator,
      body: { version: absence.version + 1, from: '2026-11-24', to: '2026-11-24', kind: 'sick' },
    });
    expect(stale.status).toBe(409);
    expect(await tableItems()).toEqual(snapshot);

    const res = await call('PATCH', `/staff/anna/absences/${absence.id}`, {
      as: coordinator,
      body: { version: absence.version, from: '2026-11-24', to: '2026-11-24', kind: 'sick' },
    });
    expect(res.status).toBe(200);
    const changed = res.body as { version: number; to: string; restorable: { visit: string; version: number; startLocal: string }[] };
    expect(changed).toMatchObject({ version: absence.version + 1, to: '2026-11-24' });
    const cancelledWednesday = (await weekVisits('2026-W48')).filter(
      (v) => v.cancelReason === 'staff_absence' && v.startLocal.startsWith('2026-11-25'),
    );
    expect(changed.restorable.map((r) => r.visit).sort()).toEqual(cancelledWednesday.map((v) => v.id).sort());
    if (changed.restorable.length > 0) {
      const restored = await call('POST', '/weeks/2026-W48/replan/commit', {
        as: coordinator,
        body: { decisions: changed.restorable.map((r) => ({ visit: r.visit, version: r.version, action: 'restore' })) },
      });
      expect(restored.status).toBe(200);
      for (const v of (restored.body as { restored: StoredVisit[] }).restored)
        expect(v).toMatchObject({ status: 'planned', staff: expect.arrayContaining(['anna']) });
      expect(restored.text).not.toContain('cancelReason');
    }
    // Extended again to Wednesday: the restored visits are inside it again, flagged and listed.
    const extended = await call('PATCH', `/staff/anna/absences/${absence.id}`, {
      as: coordinator,
      body: { version: changed.version, from: '2026-11-24', to: '2026-11-25', kind: 'sick' },
    });
    expect(extended.status).toBe(200);
    expect((extended.body as { affected: unknown[] }).affected.length).toBe(changed.restorable.length);
  });
});

describe('the same across the spring DST change (2027-W12: summer time from Sunday 28 March)', () => {
  const dstTeam = 'sick-dst';
  let dstCoordinator: Caller;
  beforeAll(async () => {
    ({ coordinator: dstCoordinator } = await seedTeam(dstTeam));
    await activeFamily(dstCoordinator, 'DST-2027-01', 'erik', 'lina', { place: 'Kalmar', maxSessionsPerDay: 1, startDate: '2027-03-01' });
    await activeFamily(dstCoordinator, 'DST-2027-02', 'erik', 'lina', { place: 'Emmaboda', maxSessionsPerDay: 1, startDate: '2027-03-01' });
    const proposal = (await call('POST', '/weeks/2027-W12/plan', { as: dstCoordinator })).body as { result: { visits: unknown[] } };
    expect((await call('POST', '/weeks/2027-W12/plan/commit', { as: dstCoordinator, body: { visits: proposal.result.visits } })).status).toBe(200);
  });

  it('catches visits up in next week’s summer time and keeps covered ones at their winter-time instants', async () => {
    const before = ((await call('GET', '/visits', { as: dstCoordinator, query: { week: '2027-W12' } })).body as { visits: StoredVisit[] }).visits;
    expect(
      (await call('POST', '/staff/lina/absences', { as: dstCoordinator, body: { from: '2027-03-22', to: '2027-03-23', kind: 'sick' } })).status,
    ).toBe(201);
    const res = await call('POST', '/weeks/2027-W12/replan', { as: dstCoordinator });
    expect(res.status).toBe(200);
    const proposal = res.body as Proposal;
    expect(proposal.decisions.length).toBeGreaterThan(0);
    const commit = await call('POST', '/weeks/2027-W12/replan/commit', { as: dstCoordinator, body: commitBody(proposal) });
    expect(commit.status).toBe(200);
    const out = commit.body as { moved: StoredVisit[]; covered: StoredVisit[] };
    expect(out.moved.length + out.covered.length).toBeGreaterThan(0);
    for (const v of out.moved) {
      expect(v.start).toBe(DateTime.fromISO(v.startLocal, { zone: 'Europe/Stockholm' }).toUTC().toISO());
      expect(DateTime.fromISO(v.start).setZone('Europe/Stockholm').offset).toBe(v.startLocal >= '2027-03-28' ? 120 : 60);
    }
    for (const v of out.covered) expect(v.start).toBe(before.find((b) => b.id === v.id)?.start);
    expect(out.moved.some((v) => v.startLocal >= '2027-03-29')).toBe(true);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { call, fieldPaths, useTable } from '../helpers/api.js';
import type { History } from '../helpers/history.js';
import { buildHistory, figuresFor, itemsContaining, namesCodeAnywhere, scanAll } from '../helpers/history.js';
import { core as purgeJob } from '../../functions/purge-personal-data.js';
import { dbFromEnv } from '../../shared/store/client.js';
import { getTeam } from '../../shared/store/teams.js';
import { listReceipts } from '../../shared/store/retention.js';
import type { ItemKindName } from '../../shared/store/item-kinds.js';
import { itemKindNames, itemKinds, kindsOfKey } from '../../shared/store/item-kinds.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';
import type { PurgeCounts } from '../../shared/schemas/retention.js';
import type { PurgeStep } from '../../shared/use-cases/purge.js';
import { eraseFamily, purgeSteps, purgeTeam } from '../../shared/use-cases/purge.js';

useTable();
const deps = defaultDeps();
const asOf = '2027-10-01';
const codeLike = /[A-Z]{2,5}-\d{4}-\d{2,4}/;
/** Everything a purge of one history removes or scrubs, as of 2027-10-01: what the receipts of any runs add up to. */
const historyCounts: PurgeCounts = {
  cases: 1,
  declinedReferrals: 1,
  erasedCases: 0,
  figuresFolded: 2,
  figuresDiscarded: 0,
  visits: 5,
  dayItems: 11,
  reminders: 3,
  auditEntries: 17,
  meetings: 1,
  series: 0,
  meetingsScrubbed: 1,
  staffContacts: 1,
  feedTokens: 1,
};
/** The receipts of a team, added up count by count. */
async function receiptTotals(teamId: string): Promise<PurgeCounts> {
  const totals = { ...historyCounts };
  for (const key of Object.keys(totals) as (keyof PurgeCounts)[]) totals[key] = 0;
  for (const r of await listReceipts(dbFromEnv(), teamId))
    for (const key of Object.keys(totals) as (keyof PurgeCounts)[]) totals[key] += r.counts[key];
  return totals;
}

/** After a purge as of 2027-10-01 with the default settings, none of these may be anywhere in the table. */
const purgedStrings = (h: History) => [h.oldCase, h.declinedCase, h.oldAttendee, h.formerStaff.email, h.formerStaff.mobile, h.formerStaff.name];

async function assertPurged(h: History, before: string[]): Promise<void> {
  expect(await figuresFor(h.coordinator)).toEqual(before);
  const items = await scanAll();
  for (const s of purgedStrings(h))
    expect(
      itemsContaining(items, s).map((i) => `${String(i['pk'])} ${String(i['sk'])}`),
      s,
    ).toEqual([]);
}

describe('the purge as of a later date (real handlers, DynamoDB Local)', () => {
  let h: History;
  let before: string[];
  let beforeItems: Record<string, unknown>[];
  beforeAll(async () => {
    h = await buildHistory('purge-main', 'OLD');
    before = await figuresFor(h.coordinator);
    beforeItems = await scanAll();
    const result = await purgeJob(deps, asOf);
    expect(result.failedTeams).toBe(0);
  }, 300_000);

  it('keeps GET /figures identical for every period', async () => {
    expect(await figuresFor(h.coordinator)).toEqual(before);
  });

  it('leaves no item anywhere holding a purged case code, a purged attendee address or a former staff member’s contact details', async () => {
    await assertPurged(h, before);
    // And the history really held them before.
    for (const s of purgedStrings(h)) expect(itemsContaining(beforeItems, s).length, s).toBeGreaterThan(0);
  });

  it('leaves what is still within retention untouched', async () => {
    const items = await scanAll();
    for (const code of [h.recentCase, h.activeCase, h.referredCase]) {
      expect((await call('GET', `/families/${code}`, { as: h.coordinator })).status).toBe(200);
      const was = itemsContaining(beforeItems, code)
        .map((i) => JSON.stringify(i))
        .sort();
      expect(
        itemsContaining(items, code)
          .map((i) => JSON.stringify(i))
          .sort(),
        code,
      ).toEqual(was);
    }
    expect(((await call('GET', `/visits?family=${h.recentCase}`, { as: h.coordinator })).body as { visits: unknown[] }).visits).toHaveLength(2);
    expect(itemsContaining(items, h.recentAttendee)).toEqual(itemsContaining(beforeItems, h.recentAttendee));
    // The handover meeting about the purged case stays (24 months), its code redacted, its attendee kept.
    const meetings = (await call('GET', '/meetings?from=2026-09-01&to=2026-09-30', { as: h.coordinator })).body as {
      meetings: { title: string; family?: string; external: { email: string }[] }[];
    };
    expect(meetings.meetings).toHaveLength(1);
    expect(meetings.meetings[0]).toMatchObject({ title: 'Överlämning [raderat]', external: [{ email: h.handoverAttendee }] });
    expect(meetings.meetings[0]?.family).toBeUndefined();
    expect((await call('GET', '/meetings?from=2025-08-01&to=2025-08-31', { as: h.coordinator })).body).toEqual({ meetings: [] });
    // The former staff member: id and role stay, so history reads "a former staff member".
    const lina = (await call('GET', '/staff/lina', { as: h.coordinator })).body as Record<string, unknown>;
    expect(lina).toMatchObject({ id: 'lina', role: 'individual_therapist', active: false, name: 'Tidigare medarbetare' });
    expect(lina['email']).toBeUndefined();
    expect(lina['mobile']).toBeUndefined();
    expect(itemsContaining(items, 'CALTOKEN').filter((i) => i['staffId'] === 'lina' && i['teamId'] === h.teamId)).toEqual([]);
    // Active staff keep their details; a reminder sent 11 days before the purge date stays.
    expect(((await call('GET', '/staff/anna', { as: h.coordinator })).body as { email: string }).email).toBe('anna@ikb.example');
    expect(items.filter((i) => i['pk'] === `TEAM#${h.teamId}#REMINDERS` && i['status'] === 'sent').map((i) => i['sk'])).toEqual([
      'agenda#anna#2027-09-21',
    ]);
  });

  it('writes a receipt with counts per kind and no personal data', async () => {
    const receipts = await listReceipts(dbFromEnv(), h.teamId);
    expect(receipts).toHaveLength(1);
    const receipt = receipts[0];
    expect(receipt).toMatchObject({ kind: 'purge', actor: 'job:purge', asOf, counts: historyCounts, finishedAt: receipt?.at });
    expect(JSON.stringify(receipt)).not.toMatch(codeLike);
    expect(JSON.stringify(receipt)).not.toContain('@');
    expect(
      ((await call('GET', `/teams/${h.teamId}/retention/receipts`, { as: h.coordinator })).body as { receipts: unknown[] }).receipts,
    ).toHaveLength(1);
  });

  it('is idempotent: a second run removes nothing more and the figures stay the same', async () => {
    const again = await purgeJob(deps, asOf);
    expect(again.cases + again.declinedReferrals + again.visits + again.meetings + again.staffContacts + again.figuresFolded).toBe(0);
    await assertPurged(h, before);
  });
});

describe('a crash after any step is finished by the next run', () => {
  // One team per step (codes CA…, CB…), each purge crashed once right after that step.
  const letters = 'ABCDEFGHIJ';
  it.each(purgeSteps.map((step, i) => [step, `C${letters[i] ?? 'Z'}`] as const))(
    'crash after %s',
    async (step: PurgeStep, prefix: string) => {
      const h = await buildHistory(`crash-${step}`, prefix);
      const before = await figuresFor(h.coordinator);
      const team = await getTeam(dbFromEnv(), h.teamId);
      if (!team) throw new Error('no team');
      let crashed = false;
      await expect(
        purgeTeam(deps, team, {
          asOf,
          actor: 'job:purge',
          hooks: {
            afterStep: (s) => {
              if (s === step && !crashed) {
                crashed = true;
                throw new Error('injected crash');
              }
            },
          },
        }),
      ).rejects.toThrow('injected crash');
      expect(crashed).toBe(true);
      const resumed = await purgeTeam(deps, team, { asOf, actor: 'job:purge' });
      expect(resumed.counts.figuresFolded).toBeLessThanOrEqual(2);
      await assertPurged(h, before);
      // The killed run's work is on its own receipt: together they account for everything removed, each item once.
      // (Both runs started at the same fixed instant, so the receipts' order is their ids'.)
      expect((await listReceipts(dbFromEnv(), h.teamId)).map((r) => r.finishedAt !== undefined).sort()).toEqual([false, true]);
      expect(await receiptTotals(h.teamId)).toEqual(historyCounts);
      expect((await call('GET', `/families/${h.recentCase}`, { as: h.coordinator })).status).toBe(200);
    },
    300_000,
  );
});

describe('a purge killed after any of its writes', () => {
  it('is finished by the runs after it, and their receipts add up to what was removed, each item once', async () => {
    const h = await buildHistory('killed-every-write', 'KW');
    const before = await figuresFor(h.coordinator);
    const team = await getTeam(dbFromEnv(), h.teamId);
    if (!team) throw new Error('no team');
    // Each run is killed right after its first counted transaction, until a run gets to the end.
    let runs = 0;
    for (let finished = false; !finished; runs++) {
      if (runs > 100) throw new Error('the purge makes no progress');
      let writes = 0;
      const kill = () => {
        writes += 1;
        if (writes === 1) throw new Error('killed');
      };
      finished = await purgeTeam(deps, team, { asOf, actor: 'job:purge', hooks: { afterWrite: kill } }).then(
        () => true,
        (error: unknown) => {
          if (!(error instanceof Error) || error.message !== 'killed') throw error;
          return false;
        },
      );
    }
    await assertPurged(h, before);
    const receipts = await listReceipts(dbFromEnv(), h.teamId);
    expect(receipts).toHaveLength(runs);
    expect(receipts.filter((r) => r.finishedAt !== undefined)).toHaveLength(1);
    // Every killed run did exactly one counted transaction; together with the last one they account for everything.
    expect(await receiptTotals(h.teamId)).toEqual(historyCounts);
    expect(runs).toBeGreaterThan(15);

    // An erasure killed after its first counted transaction and asked for again: two receipts, adding up to the case.
    const family = (await call('GET', `/families/${h.activeCase}`, { as: h.coordinator })).body as { version: number };
    const coordinator = { subject: 'killed-every-write-coord', teamId: h.teamId, staffId: 'coord', groups: new Set(['coordinator'] as const) };
    await expect(
      eraseFamily(
        deps,
        coordinator,
        h.activeCase,
        { version: family.version, figures: 'fold' },
        {
          afterWrite: () => {
            throw new Error('killed');
          },
        },
      ),
    ).rejects.toThrow('killed');
    const retried = await call('POST', `/families/${h.activeCase}/erase`, { as: h.coordinator, body: { version: family.version, figures: 'fold' } });
    expect(retried.status).toBe(200);
    const erasures = (await listReceipts(dbFromEnv(), h.teamId)).filter((r) => r.kind === 'erasure');
    expect(erasures.map((r) => r.finishedAt !== undefined).sort()).toEqual([false, true]);
    const erased = erasures.reduce(
      (sum, r) => ({
        figuresFolded: sum.figuresFolded + r.counts.figuresFolded,
        erasedCases: sum.erasedCases + r.counts.erasedCases,
        visits: sum.visits + r.counts.visits,
      }),
      { figuresFolded: 0, erasedCases: 0, visits: 0 },
    );
    expect(erased).toEqual({ figuresFolded: 1, erasedCases: 1, visits: 2 });
  });
});

describe('two purges at once', () => {
  it('fold each case exactly once and agree on the end state', async () => {
    const h = await buildHistory('twice', 'TW');
    const before = await figuresFor(h.coordinator);
    const team = await getTeam(dbFromEnv(), h.teamId);
    if (!team) throw new Error('no team');
    const results = await Promise.allSettled([
      purgeTeam(deps, team, { asOf, actor: 'job:purge' }),
      purgeTeam(deps, team, { asOf, actor: 'job:purge' }),
    ]);
    const folded = results.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value.counts.figuresFolded : 0), 0);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    // A run that lost a race on a record may stop (after folding, so its count is not seen); a third run finishes what it left.
    const third = await purgeTeam(deps, team, { asOf, actor: 'job:purge' });
    expect(folded + third.counts.figuresFolded).toBeLessThanOrEqual(2);
    // Folding twice would double the rollups: identical figures are the proof that each case was folded once.
    await assertPurged(h, before);
    expect(third.counts.cases + third.counts.declinedReferrals).toBeLessThanOrEqual(2);
    // Each item removed is on exactly one receipt, whichever run removed it (a run that stopped included).
    expect(await receiptTotals(h.teamId)).toEqual(historyCounts);
  }, 300_000);
});

describe('retention settings', () => {
  let h: History;
  beforeAll(async () => {
    h = await buildHistory('settings', 'SET');
  }, 300_000);

  it('start at the defaults (version 0); a change is validated field by field, version-checked and audited', async () => {
    const path = `/teams/${h.teamId}/retention`;
    expect((await call('GET', path, { as: h.coordinator })).body).toMatchObject({
      version: 0,
      caseMonths: 12,
      declinedMonths: 6,
      meetingMonths: 24,
      staffMonths: 3,
      reminderDays: 90,
    });
    const bad = await call('PUT', path, { as: h.coordinator, body: { version: 0, caseMonths: 0, reminderDays: 120, extra: 1 } });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body).sort()).toEqual(['(root)', 'caseMonths', 'reminderDays']);
    expect((await call('PUT', path, { as: h.coordinator, body: { version: 3, caseMonths: 24 } })).status).toBe(409);
    const saved = await call('PUT', path, { as: h.coordinator, body: { version: 0, caseMonths: 24 } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, caseMonths: 24, declinedMonths: 6, updatedBy: 'coord' });
    expect((await call('PUT', path, { as: h.coordinator, body: { version: 0, caseMonths: 6 } })).status).toBe(409);
    expect((await call('GET', path, { as: h.coordinator })).body).toMatchObject({ version: 1, caseMonths: 24 });
    const audit = (await scanAll()).filter((i) => i['pk'] === `TEAM#${h.teamId}#AUDIT` && String(i['sk']).startsWith('RETENTION#'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'update', actor: 'coord', before: { caseMonths: 12 }, after: { caseMonths: 24 } });
    // The platform admin may too; another team's coordinator and a therapist may not.
    expect((await call('PUT', path, { as: { sub: 'admin', groups: ['admin'] }, body: { version: 1, caseMonths: 12 } })).status).toBe(200);
    expect((await call('GET', path, { as: { sub: 'x', team: 'purge-main', staff: 'coord', groups: ['coordinator'] } })).status).toBe(404);
    expect((await call('GET', path, { as: { sub: 'y', team: h.teamId, staff: 'anna', groups: ['therapist'] } })).status).toBe(403);
  });

  it('the preview lists what goes and when; codes only for the team’s coordinator', async () => {
    const coordinatorView = (await call('GET', `/teams/${h.teamId}/retention/preview?asOf=${asOf}`, { as: h.coordinator })).body as {
      entries: { kind: string; code?: string; purgeOn: string; due: boolean }[];
    };
    expect(coordinatorView.entries.find((e) => e.code === h.oldCase)).toMatchObject({ kind: 'case', purgeOn: '2027-09-15', due: true });
    expect(coordinatorView.entries.find((e) => e.code === h.recentCase)).toMatchObject({ kind: 'case', purgeOn: '2027-11-20', due: false });
    expect(coordinatorView.entries.find((e) => e.code === h.declinedCase)).toMatchObject({
      kind: 'declinedReferral',
      purgeOn: '2027-05-23',
      due: true,
    });
    const adminView = await call('GET', `/teams/${h.teamId}/retention/preview?asOf=${asOf}`, { as: { sub: 'admin', groups: ['admin'] } });
    expect(adminView.status).toBe(200);
    expect(adminView.text).not.toMatch(codeLike);
    expect(fieldPaths((await call('GET', `/teams/${h.teamId}/retention/preview?asOf=2027-13-01`, { as: h.coordinator })).body)).toEqual([
      'query.asOf',
    ]);
  });
});

describe('erasure on request', () => {
  let h: History;
  beforeAll(async () => {
    h = await buildHistory('erase', 'ER');
  }, 300_000);

  it('is confirmed with the version (400/409 change nothing), coordinator only', async () => {
    const items = (await scanAll()).length;
    expect(
      fieldPaths(
        (await call('POST', `/families/${h.activeCase}/erase`, { as: h.coordinator, body: { version: 'x', figures: 'maybe' } })).body,
      ).sort(),
    ).toEqual(['figures', 'version']);
    expect((await call('POST', `/families/${h.activeCase}/erase`, { as: h.coordinator, body: { version: 99, figures: 'fold' } })).status).toBe(409);
    expect(
      (
        await call('POST', `/families/${h.activeCase}/erase`, {
          as: { sub: 't', team: h.teamId, staff: 'anna', groups: ['therapist'] },
          body: { version: 3, figures: 'fold' },
        })
      ).status,
    ).toBe(403);
    expect((await call('POST', '/families/ER-2026-99/erase', { as: h.coordinator, body: { version: 1, figures: 'fold' } })).status).toBe(404);
    expect((await scanAll()).length).toBe(items);
  });

  it('fold: the case is gone, the figures identical, a receipt written', async () => {
    const before = await figuresFor(h.coordinator);
    const family = (await call('GET', `/families/${h.activeCase}`, { as: h.coordinator })).body as { version: number };
    const res = await call('POST', `/families/${h.activeCase}/erase`, { as: h.coordinator, body: { version: family.version, figures: 'fold' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'erasure', actor: 'coord', figures: 'fold', counts: { erasedCases: 1, figuresFolded: 1, visits: 2 } });
    expect(res.text).not.toMatch(codeLike);
    expect(await figuresFor(h.coordinator)).toEqual(before);
    expect(itemsContaining(await scanAll(), h.activeCase)).toEqual([]);
    expect((await call('GET', `/families/${h.activeCase}`, { as: h.coordinator })).status).toBe(404);
  });

  it('discard: its contribution leaves the figures too', async () => {
    const before = JSON.parse((await figuresFor(h.coordinator))[0] ?? '{}') as { referrals: { received: number } };
    const res = await call('POST', `/families/${h.referredCase}/erase`, { as: h.coordinator, body: { version: 1, figures: 'discard' } });
    expect(res.body).toMatchObject({ kind: 'erasure', figures: 'discard', counts: { erasedCases: 1, figuresDiscarded: 1 } });
    const after = JSON.parse((await figuresFor(h.coordinator))[0] ?? '{}') as { referrals: { received: number } };
    expect(after.referrals.received).toBe(before.referrals.received - 1);
    expect(itemsContaining(await scanAll(), h.referredCase)).toEqual([]);
  });
});

describe('every kind of item the registry lists', () => {
  // The history, and what it lacks of the registry's kinds: an absence, an inquiry, a tally, a series naming the old
  // case, the team in the network figures, its retention settings stored (at the defaults), an Idempotency-Key record.
  let h: History;
  let before: string[];
  let seeded: Record<string, unknown>[];
  const kindsIn = (items: readonly Record<string, unknown>[]) => new Set(items.flatMap((i) => kindsOfKey({ pk: i['pk'], sk: i['sk'] })));
  const ofTeam = (items: readonly Record<string, unknown>[], teamId: string) =>
    items.filter((i) => String(i['pk']).startsWith(`TEAM#${teamId}`) || i['teamId'] === teamId);
  beforeAll(async () => {
    h = await buildHistory('purge-kinds', 'KND');
    const as = h.coordinator;
    const ok = async (res: Promise<{ status: number; text: string }>) => {
      const r = await res;
      if (r.status >= 300) throw new Error(`${r.status}: ${r.text}`);
    };
    await ok(call('POST', '/staff/anna/absences', { as, body: { from: '2026-12-21', to: '2026-12-23', kind: 'vacation' } }));
    await ok(
      call('POST', '/inquiries', {
        as,
        headers: { 'idempotency-key': 'purge-kinds-inquiry' },
        body: { date: '2026-11-05', kind: 'consultation', channel: 'in_passing', source: 'school', municipality: 'Torsås', outcome: 'advice_given' },
      }),
    );
    const active = (await call('GET', `/families/${h.activeCase}`, { as })).body as { version: number };
    await ok(call('POST', `/families/${h.activeCase}/tally`, { as, body: { version: active.version, concerns: ['drugs'], diagnoses: ['adhd'] } }));
    await ok(
      call('POST', '/meeting-series', {
        as,
        body: {
          title: `Uppföljning ${h.oldCase}`,
          kind: 'other',
          mode: 'online',
          videoLink: 'https://meet.example/f',
          staff: ['anna'],
          spec: {
            recurrence: { freq: 'weekly', interval: 4, weekday: 2, time: '13:00' },
            durationMinutes: 60,
            startDate: '2026-12-08',
            holidayPolicy: 'skip',
          },
        },
      }),
    );
    const team = (await call('GET', `/teams/${h.teamId}`, { as })).body as { version: number };
    await ok(call('PUT', `/teams/${h.teamId}/network`, { as, body: { version: team.version, participating: true } }));
    const retention = (await call('GET', `/teams/${h.teamId}/retention`, { as })).body as Record<string, unknown>;
    const { teamId: _t, updatedAt: _u, updatedBy: _b, ...settings } = retention;
    await ok(call('PUT', `/teams/${h.teamId}/retention`, { as, body: settings }));
    before = await figuresFor(h.coordinator);
    seeded = await scanAll();
  }, 300_000);

  it('the history seeds every kind the registry lists, and each item is of exactly one kind', () => {
    for (const item of seeded) expect(kindsOfKey({ pk: item['pk'], sk: item['sk'] }), `${String(item['pk'])} ${String(item['sk'])}`).toHaveLength(1);
    // A purge adds its receipt and the monthly rollups of what it folds; readiness is a key that is only read.
    const afterPurge: ItemKindName[] = ['purgeReceipt', 'figRollup'];
    const expected = itemKindNames.filter((k) => !('neverStored' in itemKinds[k]) && !afterPurge.includes(k));
    expect([...kindsIn(ofTeam(seeded, h.teamId))].sort()).toEqual(expected.sort());
  });

  it('after a purge, no item anywhere names a purged case, and every kind still stored is a kind of the registry', async () => {
    const team = await getTeam(dbFromEnv(), h.teamId);
    if (!team) throw new Error('no team');
    await purgeTeam(deps, team, { asOf, actor: 'job:purge' });
    const items = await scanAll();
    for (const item of items) expect(kindsOfKey({ pk: item['pk'], sk: item['sk'] }), `${String(item['pk'])} ${String(item['sk'])}`).toHaveLength(1);
    for (const code of [h.oldCase, h.declinedCase]) {
      expect(ofTeam(seeded, h.teamId).filter((i) => namesCodeAnywhere(i, code)).length, code).toBeGreaterThan(0);
      expect(
        items.filter((i) => namesCodeAnywhere(i, code)).map((i) => `${String(i['pk'])} ${String(i['sk'])}`),
        code,
      ).toEqual([]);
    }
    for (const s of [h.oldAttendee, h.formerStaff.email, h.formerStaff.mobile]) expect(itemsContaining(ofTeam(items, h.teamId), s), s).toEqual([]);
    expect([...kindsIn(ofTeam(items, h.teamId))]).toEqual(expect.arrayContaining(['purgeReceipt', 'figRollup', 'series', 'meeting']));
    // The series that named the old case stays, redacted.
    const series = items.filter((i) => kindsOfKey({ pk: i['pk'], sk: i['sk'] })[0] === 'series' && i['teamId'] === h.teamId);
    expect(series.map((i) => i['title'])).toEqual(['Uppföljning [raderat]']);
    expect(await figuresFor(h.coordinator)).toEqual(before);
  });
});

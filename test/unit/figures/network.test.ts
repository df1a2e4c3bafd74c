import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ByMonth, CaseFigures } from '../../../shared/domain/figures/contribution.js';
import { contributionByMonth, mergeInto } from '../../../shared/domain/figures/contribution.js';
import { finalizeFigures } from '../../../shared/domain/figures/finalize.js';
import { suppressNetwork, withoutCaseValues } from '../../../shared/domain/figures/network.js';
import { networkThreshold, thresholdOf } from '../../../shared/use-cases/network.js';

type Cell = number | string;
const row = (teamId: string, figures: unknown) => ({ teamId, name: teamId, figures });

/** Every count cell of a figures object, by dotted path (statistics are not cells). */
function cells(node: unknown, prefix = ''): Map<string, Cell> {
  const out = new Map<string, Cell>();
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return out;
  for (const [k, v] of Object.entries(node)) {
    if (['period', 'waitingDays', 'perFamilyWeek', 'lengthOfStayDays', 'ageRangeByGender'].includes(k)) continue;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) for (const [p, c] of cells(v, `${prefix}${k}.`)) out.set(p, c);
    else if (typeof v === 'number' || typeof v === 'string') out.set(`${prefix}${k}`, v);
  }
  return out;
}

describe('network figures: suppression across teams', () => {
  it('hides a small team cell, and a second team cell so the total cannot give it away', () => {
    const rows = [row('a', { cases: { started: 5 } }), row('b', { cases: { started: 1 } }), row('c', { cases: { started: 4 } })];
    const out = suppressNetwork(rows, { cases: { started: 10 } }, 3);
    expect(out.rows.map((r) => (r.figures as { cases: { started: Cell } }).cases.started)).toEqual([5, '≤3', 'x']);
    expect(out.total).toEqual({ cases: { started: 10 } });
  });

  it('hides the total when no other team has anything to hide with it', () => {
    const out = suppressNetwork([row('a', { cases: { started: 0 } }), row('b', { cases: { started: 2 } })], { cases: { started: 2 } }, 3);
    expect(out.total).toEqual({ cases: { started: '≤3' } });
    const alone = suppressNetwork(
      [row('a', { cases: { completed: 0, started: 0 } }), row('b', { cases: { completed: 9, started: 2 } })],
      { cases: { completed: 9, started: 2 } },
      3,
    );
    expect(alone.total).toEqual({ cases: { completed: 'x', started: '≤3' } });
  });

  it('a cell hidden across teams makes its siblings in that team hide one more', () => {
    const rows = [
      row('a', { bySource: { socialtjanst: 2, bup: 0 } }),
      row('b', { bySource: { socialtjanst: 7, bup: 20 } }),
      row('c', { bySource: { socialtjanst: 9, bup: 30 } }),
    ];
    const out = suppressNetwork(rows, { bySource: { socialtjanst: 18, bup: 50 } }, 3);
    // a's 2 is small; b's 7 hides with it across teams; then b's 20 beside it; then c's 30 (under bup's total) and c's 9.
    expect(out.rows.map((r) => r.figures)).toEqual([
      { bySource: { socialtjanst: '≤3', bup: 0 } },
      { bySource: { socialtjanst: 'x', bup: 'x' } },
      { bySource: { socialtjanst: 'x', bup: 'x' } },
    ]);
    expect(out.total).toEqual({ bySource: { socialtjanst: 18, bup: 50 } });
  });

  it('drops every per-case value: age ranges, longest wait, shortest and longest stay; medians over few cases', () => {
    const c: CaseFigures = {
      referralDate: '2026-01-05',
      source: 'bup',
      place: 'Kalmar',
      status: 'completed',
      start: '2026-01-14',
      end: '2026-05-22',
      completion: 'as_planned',
      gender: 'girl',
      age: 15,
      minSessions: 4,
      counters: {},
    };
    const all: ByMonth = new Map();
    mergeInto(all, contributionByMonth(c, '2026-11-23'));
    const exact = finalizeFigures(all, { from: '2026-01', to: '2026-12' }, ['Kalmar']);
    expect(exact.lengthOfStayDays.max).not.toBeNull();
    const view = withoutCaseValues(exact, 3) as unknown as Record<string, Record<string, unknown>>;
    expect(view['youngPeople']).not.toHaveProperty('ageRangeByGender');
    expect(view['referrals']?.['waitingDays']).toEqual({ median: null });
    expect(view['lengthOfStayDays']).toEqual({ median: null });
    expect(view['delivery']?.['perFamilyWeek']).toEqual({ mean: null, median: null });
    expect(JSON.stringify(suppressNetwork([row('a', exact)], exact, 3))).not.toMatch(/ageRange|"min"|"max"/);
  });

  it('the threshold is the strictest of the teams’ own, 3 by default', () => {
    const settings = {
      teamId: 'a',
      version: 0,
      caseMonths: 12,
      declinedMonths: 6,
      meetingMonths: 24,
      staffMonths: 3,
      reminderDays: 90,
      smallCellThreshold: 3,
    };
    expect(networkThreshold([thresholdOf(undefined), thresholdOf(settings)])).toBe(3);
    expect(networkThreshold([thresholdOf({ ...settings, smallCellThreshold: 5 }), thresholdOf(undefined)])).toBe(5);
    expect(networkThreshold([2, 2])).toBe(3);
  });

  it('property: no hidden cell is ever alone — not among the teams under a visible total, not among its siblings', () => {
    const group = fc.record({ x: fc.nat(12), y: fc.nat(12), z: fc.nat(12) });
    const team = fc.record({ cases: fc.record({ started: fc.nat(12), completed: fc.nat(12) }), bySource: group, byPlace: group });
    fc.assert(
      fc.property(fc.array(team, { minLength: 1, maxLength: 6 }), fc.integer({ min: 2, max: 5 }), (teams, threshold) => {
        const sum = (get: (t: (typeof teams)[number]) => number) => teams.reduce((s, t) => s + get(t), 0);
        const total = {
          cases: { started: sum((t) => t.cases.started), completed: sum((t) => t.cases.completed) },
          bySource: { x: sum((t) => t.bySource.x), y: sum((t) => t.bySource.y), z: sum((t) => t.bySource.z) },
          byPlace: { x: sum((t) => t.byPlace.x), y: sum((t) => t.byPlace.y), z: sum((t) => t.byPlace.z) },
        };
        const out = suppressNetwork(
          teams.map((t, i) => row(`t${i}`, t)),
          total,
          threshold,
        );
        const rowCells = out.rows.map((r) => cells(r.figures));
        const totalCells = cells(out.total);
        for (const [path, t] of totalCells) {
          const exact = cells(total).get(path) as number;
          if (exact >= 1 && exact <= threshold) expect(t).toBe(`≤${threshold}`);
          if (typeof t !== 'number') continue;
          expect(rowCells.filter((c) => typeof c.get(path) === 'string').length).not.toBe(1);
        }
        for (const f of [...rowCells, totalCells]) {
          for (const prefix of ['cases.', 'bySource.', 'byPlace.']) {
            const siblings = [...f].filter(([p]) => p.startsWith(prefix)).map(([, v]) => v);
            const hiddenCount = siblings.filter((v) => typeof v === 'string').length;
            if (hiddenCount === 1) expect(siblings.filter((v) => typeof v === 'number' && v > 0)).toEqual([]);
          }
          for (const v of f.values()) if (typeof v === 'number') expect(v === 0 || v > threshold).toBe(true);
        }
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

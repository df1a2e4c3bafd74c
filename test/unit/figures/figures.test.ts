import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ByMonth, CaseFigures } from '../../../shared/domain/figures/contribution.js';
import { contributionByMonth, mergeInto, monthOfIsoWeek } from '../../../shared/domain/figures/contribution.js';
import { finalizeFigures, medianOf } from '../../../shared/domain/figures/finalize.js';
import { suppressSmallCells } from '../../../shared/domain/figures/suppress.js';

const places = ['Kalmar', 'Emmaboda'];
const base: CaseFigures = {
  referralDate: '2026-01-05',
  source: 'bup',
  place: 'Kalmar',
  status: 'completed',
  start: '2026-01-14',
  end: '2026-02-22',
  completion: 'as_planned',
  gender: 'girl',
  age: 15,
  minSessions: 4,
  counters: {},
};

function figuresOf(cases: CaseFigures[], from: string, to: string, today = '2026-11-23') {
  const all: ByMonth = new Map();
  for (const c of cases) mergeInto(all, contributionByMonth(c, today));
  return finalizeFigures(all, { from, to }, places);
}

describe('§9 figures', () => {
  it('an ISO week belongs to the month holding its Thursday (a week across a month boundary)', () => {
    expect(monthOfIsoWeek('2026-W05')).toBe('2026-01'); // Mon 26 Jan – Sun 1 Feb, Thursday 29 Jan
    expect(monthOfIsoWeek('2026-W09')).toBe('2026-02'); // Mon 23 Feb – Sun 1 Mar, Thursday 26 Feb
    expect(monthOfIsoWeek('2026-W53')).toBe('2026-12'); // Thu 31 Dec 2026
    expect(monthOfIsoWeek('2027-W01')).toBe('2027-01');
  });

  it('medians: odd count, even count (mean of the two middle values), empty', () => {
    expect(
      medianOf(
        new Map([
          [3, 1],
          [5, 1],
          [9, 1],
        ]),
      ),
    ).toBe(5);
    expect(
      medianOf(
        new Map([
          [3, 1],
          [4, 1],
          [8, 2],
        ]),
      ),
    ).toBe(6);
    expect(medianOf(new Map([[2, 2]]))).toBe(2);
    expect(medianOf(new Map())).toBeNull();
  });

  it('a case starting mid-week: its first family-week is the next whole ISO week; a week across a month boundary counts in its Thursday’s month', () => {
    // Start Wed 14 Jan 2026 → first family-week W04 (19–25 Jan). End Sun 22 Feb → last W08. W05 (26 Jan–1 Feb) is January's.
    const c: CaseFigures = {
      ...base,
      counters: {
        'done:2026-W03:family': 3,
        'done:2026-W04:family': 2,
        'done:2026-W04:individual': 2,
        'done:2026-W05:joint': 5,
        'done:2026-W06:family': 1,
      },
    };
    const jan = figuresOf([c], '2026-01', '2026-01');
    expect(jan.delivery.familyWeeks).toBe(2); // W04, W05
    expect(jan.delivery.visitsDone).toBe(9); // W03 is not a family-week: the mid-week start
    expect(jan.delivery.byKind).toEqual({ family: 2, individual: 2, joint: 5 });
    expect(jan.delivery.perFamilyWeek).toEqual({ mean: 4.5, median: 4.5 });
    expect(jan.delivery.weeksAtTarget).toBe(2);
    const feb = figuresOf([c], '2026-02', '2026-02');
    expect(feb.delivery.familyWeeks).toBe(3); // W06, W07, W08
    expect(feb.delivery.weeksBelowTarget).toBe(3);
    expect(feb.delivery.perFamilyWeek).toEqual({ mean: 0.33, median: 0 });
  });

  it('an active case’s current week is not a family-week until it has ended (Sunday ≤ yesterday)', () => {
    const c: CaseFigures = { ...base, status: 'active', end: undefined, start: '2026-11-02', counters: { 'done:2026-W47:family': 4 } };
    // today Mon 23 Nov: W45 (2–8), W46 (9–15), W47 (16–22) are whole and past; W48 is the current week.
    expect(figuresOf([c], '2026-11', '2026-11', '2026-11-23').delivery.familyWeeks).toBe(3);
    // today Sun 22 Nov: W47 has not ended yet (its Sunday is today, not ≤ yesterday).
    expect(figuresOf([c], '2026-11', '2026-11', '2026-11-22').delivery.familyWeeks).toBe(2);
  });

  it('cases started / activeDuring / completed by type, length of stay, waiting days', () => {
    const a = base; // started Jan, completed Feb (39 days), referred → start 9 days
    const b: CaseFigures = {
      ...base,
      referralDate: '2025-12-01',
      start: '2025-12-15',
      end: '2026-03-10',
      completion: 'moved',
      gender: 'boy',
      age: 17,
    };
    const cActive: CaseFigures = { ...base, status: 'active', start: '2026-03-02', end: undefined, referralDate: '2026-02-20' };
    const declined: CaseFigures = {
      ...base,
      status: 'declined',
      start: undefined,
      end: undefined,
      declineReason: 'no_capacity',
      referralDate: '2026-02-03',
      source: 'socialtjanst',
      place: 'Emmaboda',
    };
    const pending: CaseFigures = { ...base, status: 'referred', start: undefined, end: undefined, referralDate: '2026-03-03' };
    const f = figuresOf([a, b, cActive, declined, pending], '2026-02', '2026-03');
    expect(f.cases).toEqual({
      started: 1,
      activeDuring: 3,
      completed: 2,
      byCompletion: { as_planned: 1, ended_early_family: 0, ended_early_team: 0, moved: 1, other: 0 },
    });
    expect(f.lengthOfStayDays).toEqual({ median: (39 + 85) / 2, min: 39, max: 85 });
    expect(f.referrals.received).toBe(3);
    expect(f.referrals).toMatchObject({
      accepted: 1,
      declined: 1,
      pending: 1,
      bySource: { bup: 2, socialtjanst: 1 },
      byPlace: { Kalmar: 2, Emmaboda: 1 },
    });
    expect(f.referrals.declinedByReason).toMatchObject({ no_capacity: 1, other: 0 });
    expect(f.referrals.waitingDays).toEqual({ median: 10, max: 10 }); // only the case started in the period: 20 Feb → 2 Mar
    // activeDuring: a case ended before the period is not counted; one starting after is not either.
    expect(figuresOf([a, b], '2026-03', '2026-12').cases.activeDuring).toBe(1);
    expect(figuresOf([a, b], '2025-01', '2025-11').cases.activeDuring).toBe(0);
  });

  it('young people by gender, age band and age range; categories with nothing are present with 0', () => {
    const cases: CaseFigures[] = [
      { ...base, gender: 'girl', age: 14 },
      { ...base, gender: 'girl', age: 17 },
      { ...base, gender: undefined, age: 12 },
      { ...base, gender: 'boy', age: 16 },
    ];
    const f = figuresOf(cases, '2026-01', '2026-01');
    expect(f.youngPeople.byGender).toEqual({ girl: 2, boy: 1, other: 0, unknown: 1 });
    expect(f.youngPeople.byAgeBand).toEqual({ '12-13': 1, '14-15': 1, '16-18': 2 });
    expect(f.youngPeople.ageRangeByGender).toEqual({ girl: [14, 17], boy: [16, 16], other: null, unknown: [12, 12] });
  });

  it('young people by municipality and referral source: the cases started in the period, not the declined referrals (the slides’ families per municipality)', () => {
    const cases: CaseFigures[] = [
      { ...base, place: 'Kalmar', source: 'socialtjanst' },
      { ...base, place: 'Kalmar', source: 'bup' },
      { ...base, place: 'Emmaboda', source: 'socialtjanst' },
      { ...base, status: 'declined', start: undefined, end: undefined, declineReason: 'no_capacity', place: 'Emmaboda', source: 'bup' },
      { ...base, status: 'referred', start: undefined, end: undefined, place: 'Kalmar', source: 'bup' },
    ];
    const f = figuresOf(cases, '2026-01', '2026-01');
    expect(f.referrals.byPlace).toEqual({ Kalmar: 3, Emmaboda: 2 });
    expect(f.referrals.bySource).toEqual({ socialtjanst: 2, bup: 3 });
    expect(f.youngPeople.byPlace).toEqual({ Kalmar: 2, Emmaboda: 1 });
    expect(f.youngPeople.bySource).toEqual({ socialtjanst: 2, bup: 1 });
    expect(figuresOf(cases, '2026-02', '2026-02').youngPeople.byPlace).toEqual({ Kalmar: 0, Emmaboda: 0 });
  });

  it('cancellations by whom, no-shows and reasons count in the month of the visit’s start', () => {
    const c: CaseFigures = {
      ...base,
      counters: { 'cancel:2026-01:family:illness': 2, 'cancel:2026-02:team:staff_unavailable': 1, 'noshow:2026-01': 1 },
    };
    expect(figuresOf([c], '2026-01', '2026-01').cancellations).toEqual({
      byFamily: 2,
      byTeam: 0,
      noShow: 1,
      byReason: {
        illness: 2,
        family_unavailable: 0,
        staff_unavailable: 0,
        crisis: 0,
        weather_travel: 0,
        rescheduled: 0,
        treatment_ended: 0,
        staff_absence: 0,
        other: 0,
      },
    });
  });

  it('outcomes of cases completed in the period, unknown when not recorded', () => {
    const f = figuresOf([{ ...base, outcomes: { schoolAttendance: 'increased', continuedCare: 'both' } }, base], '2026-02', '2026-02');
    expect(f.outcomes['schoolAttendance']).toEqual({ increased: 1, started: 0, unchanged: 0, decreased: 0, unknown: 1 });
    expect(f.outcomes['continuedCare']).toMatchObject({ both: 1, unknown: 1 });
    expect(f.outcomes['mentalHealth']).toMatchObject({ unknown: 2 });
  });

  it('a period’s figures are the sum of its months (additivity of the rollups), property test', () => {
    const arbCase = fc.record({
      ref: fc.integer({ min: 0, max: 700 }),
      wait: fc.integer({ min: 0, max: 60 }),
      len: fc.integer({ min: 1, max: 200 }),
      status: fc.constantFrom('referred', 'declined', 'active', 'completed'),
      done: fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 6 })), { maxLength: 10 }),
    });
    fc.assert(
      fc.property(fc.array(arbCase, { maxLength: 12 }), (specs) => {
        const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
        const cases: CaseFigures[] = specs.map((s) => {
          const started = s.status === 'active' || s.status === 'completed';
          const counters: Record<string, number> = {};
          for (const [w, n] of s.done) counters[`done:2025-W${String(w + 1).padStart(2, '0')}:family`] = n;
          return {
            ...base,
            referralDate: day(s.ref),
            status: s.status as CaseFigures['status'],
            start: started ? day(s.ref + s.wait) : undefined,
            end: s.status === 'completed' ? day(s.ref + s.wait + s.len) : undefined,
            counters,
          };
        });
        const whole = figuresOf(cases, '2025-01', '2026-12');
        const months = ['2025', '2026'].flatMap((y) => Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`));
        const sumOf = (pick: (f: ReturnType<typeof figuresOf>) => number) => months.reduce((n, m) => n + pick(figuresOf(cases, m, m)), 0);
        expect(sumOf((f) => f.cases.started)).toBe(whole.cases.started);
        expect(sumOf((f) => f.delivery.familyWeeks)).toBe(whole.delivery.familyWeeks);
        expect(sumOf((f) => f.delivery.visitsDone)).toBe(whole.delivery.visitsDone);
        expect(sumOf((f) => f.referrals.received)).toBe(whole.referrals.received);
      }),
      { numRuns: 40 },
    );
  });

  it('labels every suppressed value truly, the threshold itself included (issue 24 §6: 3 was shown as "<3")', () => {
    for (const threshold of [1, 2, 3, 5]) {
      for (let n = 1; n <= threshold; n++) {
        const label = suppressSmallCells({ g: { a: n, b: 50, c: 60 } }, threshold).g.a as unknown;
        expect(label, `${n} at threshold ${threshold}`).toBe(`≤${threshold}`);
        // What the label says holds for the value it hides.
        expect(n).toBeLessThanOrEqual(Number(String(label).slice(1)));
      }
      expect(suppressSmallCells({ g: { a: threshold + 1, b: 0 } }, threshold).g.a).toBe(threshold + 1);
    }
  });

  it('suppresses small cells for sharing, with complementary suppression', () => {
    const shared = suppressSmallCells(
      {
        referrals: { bySource: { socialtjanst: 9, bup: 2 }, byPlace: { Kalmar: 10, Emmaboda: 1, Torsås: 1, Borgholm: 0 } },
        youngPeople: { byGender: { girl: 10, boy: 2 }, ageRangeByGender: { girl: [14, 17], boy: [14, 16] } },
      },
      3,
    );
    expect(shared.referrals.bySource).toEqual({ socialtjanst: 'x', bup: '≤3' });
    expect(shared.referrals.byPlace).toEqual({ Kalmar: 10, Emmaboda: '≤3', Torsås: '≤3', Borgholm: 0 });
    expect(shared.youngPeople.byGender).toEqual({ girl: 'x', boy: '≤3' });
    expect(shared.youngPeople.ageRangeByGender).toEqual({ girl: null, boy: null });
  });
});

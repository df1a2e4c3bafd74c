import type { ByMonth, MonthCounters } from './contribution.js';
import { outcomeFields } from './contribution.js';
import {
  cancelReasons,
  completionTypes,
  declineReasons,
  genders,
  inquiryChannels,
  inquiryKinds,
  inquiryOutcomes,
  inquirySources,
} from '../categories.js';

/** Median of a histogram value → count; an even count gives the mean of the two middle values. */
export function medianOf(hist: Map<number, number>): number | null {
  const total = [...hist.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const sorted = [...hist.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const at = (i: number): number => {
    let seen = 0;
    for (const [v, n] of sorted) {
      seen += n;
      if (i < seen) return v;
    }
    return sorted[sorted.length - 1]?.[0] ?? 0;
  };
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** Every month yyyy-mm from `from` to `to` inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** The §9 figures of a period from per-month counters of all months (months outside the period feed cases.activeDuring). */
export function finalizeFigures(byMonth: ByMonth, period: { from: string; to: string }, places: readonly string[]) {
  const sum: MonthCounters = {};
  let startedUpToEnd = 0;
  let endedBeforeStart = 0;
  for (const [month, counters] of byMonth) {
    if (month <= period.to) startedUpToEnd += counters['started'] ?? 0;
    if (month < period.from) endedBeforeStart += counters['completed'] ?? 0;
    if (month < period.from || month > period.to) continue;
    for (const [k, v] of Object.entries(counters)) sum[k] = (sum[k] ?? 0) + v;
  }
  const get = (k: string): number => sum[k] ?? 0;
  const prefixed = (prefix: string): [string, number][] =>
    Object.entries(sum)
      .filter(([k, v]) => k.startsWith(prefix) && v !== 0)
      .map(([k, v]) => [k.slice(prefix.length), v]);
  const hist = (prefix: string): Map<number, number> => new Map(prefixed(prefix).map(([k, v]) => [Number(k), v]));
  const withZeros = <K extends string>(prefix: string, keys: readonly K[]): Record<K, number> & Record<string, number> => {
    const out: Record<string, number> = zeros(keys);
    for (const [k, v] of prefixed(prefix)) out[k] = v;
    return out as Record<K, number> & Record<string, number>;
  };

  const wait = hist('wait:');
  const los = hist('los:');
  const pfw = hist('pfw:');
  const ages = prefixed('age:').map(([k, v]) => {
    const [g = 'unknown', a] = k.split(':');
    return { g, age: Number(a), n: v };
  });
  const band = (age: number): '12-13' | '14-15' | '16-18' => (age <= 13 ? '12-13' : age <= 15 ? '14-15' : '16-18');
  const byAgeBand = zeros(['12-13', '14-15', '16-18'] as const);
  const ageRangeByGender: Record<string, [number, number] | null> = Object.fromEntries(genders.map((g) => [g, null]));
  for (const { g, age, n } of ages) {
    byAgeBand[band(age)] += n;
    const r = ageRangeByGender[g];
    ageRangeByGender[g] = r ? [Math.min(r[0], age), Math.max(r[1], age)] : [age, age];
  }
  const familyWeeks = get('familyWeeks');
  const visitsDone = get('visitsDone');
  const keysOf = (m: Map<number, number>) => [...m.entries()].filter(([, n]) => n > 0).map(([v]) => v);
  const outcomes = Object.fromEntries(Object.entries(outcomeFields).map(([field, values]) => [field, withZeros(`outcome:${field}:`, values)]));

  return {
    period,
    cases: {
      started: get('started'),
      activeDuring: startedUpToEnd - endedBeforeStart,
      completed: get('completed'),
      byCompletion: withZeros('completion:', completionTypes),
    },
    referrals: {
      received: get('received'),
      bySource: withZeros('source:', ['socialtjanst', 'bup'] as const),
      byPlace: withZeros('place:', places),
      accepted: get('accepted'),
      declined: get('declined'),
      pending: get('pending'),
      declinedByReason: withZeros('declineReason:', declineReasons),
      waitingDays: { median: medianOf(wait), max: keysOf(wait).length ? Math.max(...keysOf(wait)) : null },
    },
    inquiries: {
      total: get('inquiries'),
      byKind: withZeros('inq.kind:', inquiryKinds),
      byChannel: withZeros('inq.channel:', inquiryChannels),
      bySource: withZeros('inq.source:', inquirySources),
      byOutcome: withZeros('inq.outcome:', inquiryOutcomes),
      byPlace: withZeros('inq.place:', places),
    },
    youngPeople: {
      byGender: withZeros('gender:', genders),
      byAgeBand,
      ageRangeByGender,
      byPlace: withZeros('startedPlace:', places),
      bySource: withZeros('startedSource:', ['socialtjanst', 'bup'] as const),
    },
    delivery: {
      familyWeeks,
      visitsDone,
      byKind: withZeros('done:', ['family', 'individual', 'joint'] as const),
      perFamilyWeek: { mean: familyWeeks ? Math.round((visitsDone / familyWeeks) * 100) / 100 : null, median: medianOf(pfw) },
      weeksAtTarget: get('atTarget'),
      weeksBelowTarget: get('belowTarget'),
    },
    cancellations: {
      byFamily: get('cancel:family'),
      byTeam: get('cancel:team'),
      noShow: get('noShow'),
      byReason: withZeros('cancelReason:', cancelReasons),
    },
    lengthOfStayDays: {
      median: medianOf(los),
      min: keysOf(los).length ? Math.min(...keysOf(los)) : null,
      max: keysOf(los).length ? Math.max(...keysOf(los)) : null,
    },
    outcomes,
  };
}
export type Figures = ReturnType<typeof finalizeFigures>;

import { DateTime } from 'luxon';

/**
 * What one case contributes to the §9 figures, with nothing that names the family: the FIGCASE item.
 * `counters` holds the visit-level tallies, flat, so visit changes can ADD to them:
 *   done:<isoWeek>:<kind>, cancel:<yyyy-mm>:<by>:<reason>, noshow:<yyyy-mm>.
 */
export interface CaseFigures {
  referralDate: string;
  source: string;
  place: string;
  status: 'referred' | 'accepted' | 'active' | 'completed' | 'declined';
  declineReason?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
  completion?: string | undefined;
  gender?: string | undefined;
  age: number;
  minSessions: number;
  outcomes?: Record<string, string> | undefined;
  counters: Record<string, number>;
}

/** Additive counters of one month, keyed by flat names (`started`, `wait:12`, `place:Kalmar` …). */
export type MonthCounters = Record<string, number>;
export type ByMonth = Map<string, MonthCounters>;

export const outcomeFields = {
  schoolAttendance: ['increased', 'started', 'unchanged', 'decreased', 'unknown'],
  kaa: ['yes', 'no', 'unknown'],
  continuedCare: ['bup', 'socialtjanst', 'both', 'none', 'unknown'],
  livingAtHome: ['yes', 'no', 'unknown'],
  mentalHealth: ['better', 'unchanged', 'worse', 'unknown'],
  conflictLevel: ['better', 'unchanged', 'worse', 'unknown'],
  opennessToCare: ['better', 'unchanged', 'worse', 'unknown'],
  symptoms: ['better', 'unchanged', 'worse', 'unknown'],
  mutualUnderstanding: ['better', 'unchanged', 'worse', 'unknown'],
} as const;
export type OutcomeField = keyof typeof outcomeFields;

const monthOf = (date: string): string => date.slice(0, 7);
const epochDayOf = (d: DateTime): number => Math.round(d.toMillis() / 86_400_000);
const days = (from: string, to: string): number =>
  epochDayOf(DateTime.fromISO(to, { zone: 'utc' })) - epochDayOf(DateTime.fromISO(from, { zone: 'utc' }));

/** The month an ISO week belongs to: the month holding its Thursday. */
export function monthOfIsoWeek(week: string): string {
  const [y, w] = week.split('-W').map(Number);
  return DateTime.fromObject({ weekYear: y, weekNumber: w, weekday: 4 }, { zone: 'utc' }).toFormat('yyyy-MM');
}

const labelsByMonday = new Map<number, { week: string; month: string }>();
/**
 * The ISO week (yyyy-Www) of the Monday `epochDay` days after 1970-01-01 and the month it belongs to (its Thursday's),
 * computed with luxon once per Monday and kept: a national figures request walks ~60,000 case-weeks over ~160 Mondays.
 */
function mondayLabels(epochDay: number): { week: string; month: string } {
  let labels = labelsByMonday.get(epochDay);
  if (!labels) {
    const monday = DateTime.fromMillis(epochDay * 86_400_000, { zone: 'utc' });
    labels = { week: monday.toFormat("kkkk-'W'WW"), month: monday.plus({ days: 3 }).toFormat('yyyy-MM') };
    labelsByMonday.set(epochDay, labels);
  }
  return labels;
}

function add(into: ByMonth, month: string, key: string, n = 1): void {
  let m = into.get(month);
  if (!m) into.set(month, (m = {}));
  m[key] = (m[key] ?? 0) + n;
}

/** Adds b into a (both per-month counters). */
export function mergeInto(a: ByMonth, b: ByMonth, sign = 1): void {
  for (const [month, counters] of b) for (const [k, v] of Object.entries(counters)) add(a, month, k, sign * v);
}

/** One family-week of a case: an ISO week wholly inside the treatment, with the visits done in it. */
export interface FamilyWeek {
  week: string;
  /** The month the week belongs to (its Thursday's). */
  month: string;
  done: number;
  byKind: Record<'family' | 'individual' | 'joint', number>;
}

/**
 * A case's family-weeks (§9): ISO weeks wholly inside the treatment (Monday ≥ start; Sunday ≤ end, or ≤ yesterday
 * while active), in order, with the done visits of each. Empty for a case that never started.
 */
export function familyWeeksOf(c: CaseFigures, today: string): FamilyWeek[] {
  const started = c.start !== undefined && (c.status === 'active' || c.status === 'completed');
  if (!started || !c.start) return [];
  const completed = c.status === 'completed' && c.end !== undefined;
  const last =
    completed && c.end
      ? c.end
      : c.status === 'active'
        ? DateTime.fromISO(today, { zone: 'utc' }).minus({ days: 1 }).toFormat('yyyy-MM-dd')
        : undefined;
  if (!last) return [];
  const out: FamilyWeek[] = [];
  const s = DateTime.fromISO(c.start, { zone: 'utc' });
  // Whole days since 1970-01-01: the loop runs once per case-week, so it steps in integers and looks the labels up.
  let monday = epochDayOf(s) + (s.weekday === 1 ? 0 : 8 - s.weekday);
  const lastDay = epochDayOf(DateTime.fromISO(last, { zone: 'utc' }));
  while (monday + 6 <= lastDay) {
    const { week, month } = mondayLabels(monday);
    const byKind = {
      family: c.counters[`done:${week}:family`] ?? 0,
      individual: c.counters[`done:${week}:individual`] ?? 0,
      joint: c.counters[`done:${week}:joint`] ?? 0,
    };
    out.push({ week, month, done: byKind.family + byKind.individual + byKind.joint, byKind });
    monday += 7;
  }
  return out;
}

/**
 * The per-month additive counters one case contributes. `today` (yyyy-mm-dd in the team's zone) only matters
 * while the case is active: its family-weeks run to yesterday. A completed or declined case's contribution is fixed.
 */
export function contributionByMonth(c: CaseFigures, today: string, into?: ByMonth): ByMonth {
  const out: ByMonth = into ?? new Map(); // `into`: a team's running sum, so a request builds one Map per team, not one per case
  const rm = monthOf(c.referralDate);
  add(out, rm, 'received');
  add(out, rm, `source:${c.source}`);
  add(out, rm, `place:${c.place}`);
  const bucket = c.status === 'declined' ? 'declined' : c.status === 'referred' ? 'pending' : 'accepted';
  add(out, rm, bucket);
  if (c.status === 'declined') add(out, rm, `declineReason:${c.declineReason ?? 'other'}`);

  const started = c.start !== undefined && (c.status === 'active' || c.status === 'completed');
  if (started && c.start) {
    const sm = monthOf(c.start);
    add(out, sm, 'started');
    add(out, sm, `wait:${days(c.referralDate, c.start)}`);
    const g = c.gender ?? 'unknown';
    add(out, sm, `gender:${g}`);
    add(out, sm, `age:${g}:${c.age}`);
    // Who was treated, where and on whose referral (the slides' families per municipality), apart from the declined.
    add(out, sm, `startedPlace:${c.place}`);
    add(out, sm, `startedSource:${c.source}`);
  }
  const completed = c.status === 'completed' && c.end !== undefined && c.start !== undefined;
  if (completed && c.end && c.start) {
    const em = monthOf(c.end);
    add(out, em, 'completed');
    add(out, em, `completion:${c.completion ?? 'other'}`);
    add(out, em, `los:${days(c.start, c.end)}`);
    for (const field of Object.keys(outcomeFields) as OutcomeField[]) add(out, em, `outcome:${field}:${c.outcomes?.[field] ?? 'unknown'}`);
  }

  for (const { month, done, byKind } of familyWeeksOf(c, today)) {
    for (const [kind, n] of Object.entries(byKind)) if (n > 0) add(out, month, `done:${kind}`, n);
    add(out, month, 'familyWeeks');
    add(out, month, 'visitsDone', done);
    add(out, month, `pfw:${done}`);
    add(out, month, done >= c.minSessions ? 'atTarget' : 'belowTarget');
  }

  for (const [key, n] of Object.entries(c.counters)) {
    if (n === 0) continue;
    const parts = key.split(':');
    if (parts[0] === 'cancel' && parts[1]) {
      add(out, parts[1], `cancel:${parts[2]}`, n);
      add(out, parts[1], `cancelReason:${parts[3]}`, n);
    } else if (parts[0] === 'noshow' && parts[1]) add(out, parts[1], 'noShow', n);
  }
  return out;
}

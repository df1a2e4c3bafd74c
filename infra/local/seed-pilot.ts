import { DateTime } from 'luxon';
import { isNonWorkingDay } from '../../shared/domain/holidays.js';
import { seededRandom } from '../../shared/domain/planning/random.js';
import type { Principal } from '../../shared/domain/principal.js';
import type { CreateFamilyBody, DischargeOutcomes, TallyBody } from '../../shared/schemas/family.js';
import type { CreateInquiryBody } from '../../shared/schemas/inquiry.js';
import type { CancelVisitBody, Visit } from '../../shared/schemas/visit.js';
import type { Deps } from '../../shared/use-cases/deps.js';
import * as families from '../../shared/use-cases/families.js';
import * as inquiries from '../../shared/use-cases/inquiries.js';
import * as visits from '../../shared/use-cases/visits.js';

/**
 * The Kalmar pilot's history 2023–2025, reproducing the team's own slides (seeds/ikb-kalmar-slides-2024.txt):
 * 13 cases completed (10 girls aged 14–17, 3 boys aged 14–16; Kalmar 10, Emmaboda 1, Torsås 1, Borgholm 1;
 * referred by social services 9, BUP 4; 9 cases during 2024), 50 declined referrals over 2023–2024, after IKB
 * BUP only 2, social services only 1, both 10; school attendance increased for 10, one started in KAA; the
 * diagnosis groups of the slides as the de-linked tally. Visits (16 weeks × 4–5, fewer around holidays and in
 * summer), cancellations, no-shows and inquiries come from a seeded generator: the same data on every start.
 *
 * Everything is created through the use cases, with the clock set to when it happened (a referral on its date,
 * a week booked the Friday before, its visits recorded on the Friday evening), so every figure, audit entry and
 * rollup is what the system would have produced. Pseudonymous codes only (KAL-2023-01 …).
 */

const zone = 'Europe/Stockholm';
export const pilotPeriod = { from: '2023-01', to: '2025-12' } as const;

type Pair = 'A' | 'B';
const pairs: Record<Pair, { familyTherapist: string; individualTherapist: string }> = {
  A: { familyTherapist: 'anna', individualTherapist: 'bo' },
  B: { familyTherapist: 'erik', individualTherapist: 'lina' },
};
/** Two families of one pair at a time: one visited mornings (young people out of school), one after school. */
const lanes = [
  { start: '10:00', windows: { start: '09:00', end: '20:00' } },
  { start: '15:00', windows: { start: '14:30', end: '20:00' } },
] as const;
/** The week of a family with the standard mix: family 2 × 90 min, individual 2 × 60, joint 1 × 90 — one a day. */
const weekPattern = [
  { weekday: 1, kind: 'family', minutes: 90 },
  { weekday: 2, kind: 'individual', minutes: 60 },
  { weekday: 3, kind: 'joint', minutes: 90 },
  { weekday: 4, kind: 'family', minutes: 90 },
  { weekday: 5, kind: 'individual', minutes: 60 },
] as const;
const mix: CreateFamilyBody['sessions'] = [
  { kind: 'family', count: 2, minutes: 90 },
  { kind: 'individual', count: 2, minutes: 60 },
  { kind: 'joint', count: 1, minutes: 90 },
];

type Concern = TallyBody['concerns'][number];
type Diagnosis = TallyBody['diagnoses'][number];

/** One treated case of the pilot. `end` only when it ended before its 16 weeks. */
export interface PilotCase {
  referral: string;
  start: string;
  pair: Pair;
  lane: 0 | 1;
  place: 'Kalmar' | 'Emmaboda' | 'Torsås' | 'Borgholm';
  source: 'socialtjanst' | 'bup';
  gender: 'girl' | 'boy';
  age: number;
  end?: string;
  completionType?: 'as_planned' | 'ended_early_family';
  outcomes?: Partial<DischargeOutcomes>;
  concerns: Concern[];
  diagnoses: Diagnosis[];
}

/** Outcomes of most cases ("övervägande goda resultat"); a case's own entries override them. */
const goodOutcomes: DischargeOutcomes = {
  schoolAttendance: 'increased',
  kaa: 'no',
  continuedCare: 'both',
  livingAtHome: 'yes',
  mentalHealth: 'better',
  conflictLevel: 'better',
  opennessToCare: 'better',
  symptoms: 'better',
  mutualUnderstanding: 'better',
};

/** The 13 cases, in order of referral. Start dates are Mondays; 16 weeks unless `end` says otherwise. */
export const pilotCases: readonly PilotCase[] = [
  {
    referral: '2023-01-09',
    start: '2023-01-30',
    pair: 'A',
    lane: 0,
    place: 'Kalmar',
    source: 'socialtjanst',
    gender: 'girl',
    age: 15,
    concerns: ['self_harm', 'suicidality', 'low_school_attendance'],
    diagnoses: ['anxiety_depression', 'social_phobia'],
  },
  {
    referral: '2023-02-08',
    start: '2023-03-06',
    pair: 'B',
    lane: 0,
    place: 'Kalmar',
    source: 'bup',
    gender: 'girl',
    age: 16,
    concerns: ['suicidality', 'inpatient_care', 'low_treatment_adherence'],
    diagnoses: ['adhd', 'anxiety_depression'],
  },
  {
    referral: '2023-08-01',
    start: '2023-08-21',
    pair: 'A',
    lane: 0,
    place: 'Kalmar',
    source: 'socialtjanst',
    gender: 'boy',
    age: 14,
    outcomes: { continuedCare: 'socialtjanst' },
    concerns: ['risk_behaviour', 'high_conflict_level', 'low_school_attendance'],
    diagnoses: ['behaviour_disorder', 'adhd'],
  },
  {
    referral: '2023-08-28',
    start: '2023-09-25',
    pair: 'B',
    lane: 0,
    place: 'Emmaboda',
    source: 'socialtjanst',
    gender: 'girl',
    age: 17,
    outcomes: { schoolAttendance: 'unchanged', kaa: 'yes' },
    concerns: ['drugs', 'risk_behaviour', 'self_harm'],
    diagnoses: ['stress_reaction'],
  },
  {
    referral: '2023-10-16',
    start: '2023-11-13',
    pair: 'A',
    lane: 1,
    place: 'Kalmar',
    source: 'bup',
    gender: 'girl',
    age: 14,
    outcomes: { continuedCare: 'bup' },
    concerns: ['self_harm', 'suicidality', 'inpatient_care'],
    diagnoses: ['anxiety_depression', 'ocd'],
  },
  {
    referral: '2023-12-11',
    start: '2024-01-22',
    pair: 'B',
    lane: 0,
    place: 'Kalmar',
    source: 'socialtjanst',
    gender: 'girl',
    age: 16,
    concerns: ['parental_conflict', 'high_conflict_level', 'low_school_attendance'],
    diagnoses: ['add'],
  },
  {
    referral: '2024-02-05',
    start: '2024-03-04',
    pair: 'A',
    lane: 0,
    place: 'Kalmar',
    source: 'socialtjanst',
    gender: 'boy',
    age: 16,
    outcomes: { schoolAttendance: 'unchanged', mentalHealth: 'unchanged', symptoms: 'unchanged' },
    concerns: ['risk_behaviour', 'drugs', 'parental_conflict'],
    diagnoses: ['adhd'],
  },
  {
    referral: '2024-03-11',
    start: '2024-04-08',
    pair: 'B',
    lane: 1,
    place: 'Torsås',
    source: 'socialtjanst',
    gender: 'girl',
    age: 15,
    concerns: ['self_harm', 'low_school_attendance'],
    diagnoses: ['gad', 'social_phobia'],
  },
  {
    referral: '2024-04-22',
    start: '2024-05-20',
    end: '2024-08-18',
    completionType: 'ended_early_family',
    pair: 'A',
    lane: 1,
    place: 'Kalmar',
    source: 'bup',
    gender: 'girl',
    age: 17,
    outcomes: {
      schoolAttendance: 'unchanged',
      continuedCare: 'bup',
      mentalHealth: 'unchanged',
      conflictLevel: 'unchanged',
      opennessToCare: 'unchanged',
      symptoms: 'unchanged',
      mutualUnderstanding: 'unchanged',
    },
    concerns: ['suicidality', 'self_harm', 'low_treatment_adherence'],
    diagnoses: ['stress_reaction', 'anxiety_depression'],
  },
  {
    referral: '2024-07-29',
    start: '2024-08-19',
    pair: 'B',
    lane: 0,
    place: 'Borgholm',
    source: 'socialtjanst',
    gender: 'boy',
    age: 15,
    concerns: ['high_conflict_level', 'parental_conflict', 'low_school_attendance'],
    diagnoses: ['adhd'],
  },
  {
    referral: '2024-08-19',
    start: '2024-09-16',
    pair: 'A',
    lane: 0,
    place: 'Kalmar',
    source: 'socialtjanst',
    gender: 'girl',
    age: 14,
    concerns: ['self_harm', 'low_school_attendance'],
    diagnoses: ['ocd'],
  },
  {
    referral: '2024-10-14',
    start: '2024-11-11',
    pair: 'B',
    lane: 1,
    place: 'Kalmar',
    source: 'bup',
    gender: 'girl',
    age: 16,
    outcomes: { conflictLevel: 'unchanged' },
    concerns: ['suicidality', 'inpatient_care', 'self_harm'],
    diagnoses: ['add', 'anxiety_depression'],
  },
  {
    referral: '2025-03-10',
    start: '2025-04-07',
    pair: 'A',
    lane: 0,
    place: 'Kalmar',
    source: 'socialtjanst',
    gender: 'girl',
    age: 15,
    concerns: ['self_harm', 'high_conflict_level'],
    diagnoses: [],
  },
];

const treatmentWeeks = 16;
const declinedCount = 50;
const inquiryCount = 60;

/** A string's 32-bit FNV-1a hash: the seed of the generator for one step. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** UUID-shaped ids from a seeded generator, so the same step gets the same ids on every run. */
function idsFrom(key: string): () => string {
  const random = seededRandom(hash(key));
  return () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
    hex[12] = '4';
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
}

function pick<T>(random: () => number, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((n, [, w]) => n + w, 0);
  let r = random() * total;
  for (const [value, w] of weighted) {
    r -= w;
    if (r < 0) return value;
  }
  const last = weighted[weighted.length - 1];
  if (!last) throw new Error('nothing to pick from');
  return last[0];
}

const otherPlaces = [
  'Borgholm',
  'Emmaboda',
  'Hultsfred',
  'Högsby',
  'Mönsterås',
  'Mörbylånga',
  'Nybro',
  'Oskarshamn',
  'Torsås',
  'Vimmerby',
  'Västervik',
] as const;
const placeWeights = [['Kalmar', 11], ...otherPlaces.map((p) => [p, 1] as const)] as const;

const at = (date: string, time: string): Date => DateTime.fromISO(`${date}T${time}`, { zone }).toJSDate();
const plusDays = (date: string, days: number): string => DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toFormat('yyyy-MM-dd');
const weekOf = (date: string): string => DateTime.fromISO(date, { zone: 'utc' }).toFormat("kkkk-'W'WW");
const hhmmPlus = (time: string, minutes: number): string =>
  DateTime.fromISO(`2000-01-01T${time}`, { zone: 'utc' }).plus({ minutes }).toFormat('HH:mm');

/** A declined referral: registered, then declined with a reason category a few days later. */
interface DeclinedReferral {
  referral: string;
  declinedOn: string;
  reason: 'outside_target_group' | 'other_care_more_suitable' | 'no_capacity' | 'family_declined' | 'other';
  source: 'socialtjanst' | 'bup';
  place: string;
  gender: 'girl' | 'boy' | 'other';
  age: number;
  pair: Pair;
}

/** The 50 referrals declined over 2023–2024 (the slides: "Under hela 2023 och 2024 har 50 ärenden avvisats"). */
export function pilotDeclined(): DeclinedReferral[] {
  const random = seededRandom(hash('pilot-declined'));
  const first = DateTime.fromISO('2023-01-16', { zone: 'utc' });
  const span = DateTime.fromISO('2024-12-06', { zone: 'utc' }).diff(first, 'days').days;
  const out: DeclinedReferral[] = [];
  while (out.length < declinedCount) {
    const referral = first.plus({ days: Math.floor(random() * span) }).toFormat('yyyy-MM-dd');
    if (isNonWorkingDay(referral)) continue;
    let declinedOn = plusDays(referral, 3 + Math.floor(random() * 10));
    while (isNonWorkingDay(declinedOn)) declinedOn = plusDays(declinedOn, 1);
    out.push({
      referral,
      declinedOn,
      reason: pick(random, [
        ['outside_target_group', 40],
        ['other_care_more_suitable', 25],
        ['no_capacity', 15],
        ['family_declined', 12],
        ['other', 8],
      ]),
      source: pick(random, [
        ['socialtjanst', 6],
        ['bup', 4],
      ]),
      place: pick(random, placeWeights),
      gender: pick(random, [
        ['girl', 65],
        ['boy', 31],
        ['other', 4],
      ]),
      age: 12 + Math.floor(random() * 7),
      pair: random() < 0.5 ? 'A' : 'B',
    });
  }
  return out;
}

/** The inquiries and consultations that were not cases (the slides' "mörkertal": in passing, in another context). */
export function pilotInquiries(): CreateInquiryBody[] {
  const random = seededRandom(hash('pilot-inquiries'));
  const first = DateTime.fromISO('2023-02-01', { zone: 'utc' });
  const span = DateTime.fromISO('2025-10-31', { zone: 'utc' }).diff(first, 'days').days;
  const out: CreateInquiryBody[] = [];
  while (out.length < inquiryCount) {
    const date = first.plus({ days: Math.floor(random() * span) }).toFormat('yyyy-MM-dd');
    if (isNonWorkingDay(date)) continue;
    out.push({
      date,
      kind: pick(random, [
        ['inquiry', 5],
        ['consultation', 3],
        ['information', 2],
      ]),
      channel: pick(random, [
        ['in_passing', 40],
        ['phone', 25],
        ['meeting', 20],
        ['email', 10],
        ['video', 5],
      ]),
      source: pick(random, [
        ['socialtjanst', 40],
        ['bup', 25],
        ['school', 25],
        ['other', 10],
      ]),
      municipality: pick(random, placeWeights),
      outcome: pick(random, [
        ['referral_expected', 25],
        ['advice_given', 45],
        ['not_target_group', 20],
        ['other', 10],
      ]),
    });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/** Codes by year of referral, numbered in order of referral over treated and declined alike: KAL-2023-01 … */
export function pilotCodes(): { treated: string[]; declined: string[] } {
  const all = [
    ...pilotCases.map((c, i) => ({ date: c.referral, key: `t${i}` })),
    ...pilotDeclined().map((d, i) => ({ date: d.referral, key: `d${i}` })),
  ].sort((a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key));
  const byKey = new Map<string, string>();
  const perYear = new Map<string, number>();
  for (const { date, key } of all) {
    const year = date.slice(0, 4);
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    byKey.set(key, `KAL-${year}-${String(n).padStart(2, '0')}`);
  }
  return {
    treated: pilotCases.map((_, i) => byKey.get(`t${i}`) ?? ''),
    declined: pilotDeclined().map((_, i) => byKey.get(`d${i}`) ?? ''),
  };
}

function familyBody(
  code: string,
  c: { referral: string; source: string; place: string; age: number; gender: string; pair: Pair },
  lane: 0 | 1,
): CreateFamilyBody {
  const windows = lanes[lane].windows;
  return {
    code,
    place: c.place,
    referral: { source: c.source as 'socialtjanst' | 'bup', date: c.referral },
    ageAtStart: c.age,
    gender: c.gender as 'girl' | 'boy' | 'other',
    ...pairs[c.pair],
    sessions: mix,
    minSessions: 4,
    windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, ...windows })),
    maxSessionsPerDay: 1,
    treatmentWeeks,
    receivingUnit: c.source as 'socialtjanst' | 'bup',
  };
}

/** What happens to one booked visit: mostly done; some cancelled by the family or the team, a few no-shows. */
type VisitFate = { status: 'done' | 'no_show' } | { cancel: Omit<CancelVisitBody, 'version'> };
function fateOf(random: () => number, date: string): VisitFate {
  const r = random();
  if (r < 0.05)
    return {
      cancel: {
        by: 'family',
        reason: pick(random, [
          ['illness', 5],
          ['family_unavailable', 3],
          ['crisis', 2],
        ]),
      },
    };
  const winter = ['12', '01', '02'].includes(date.slice(5, 7));
  if (r < 0.07)
    return {
      cancel: {
        by: 'team',
        reason: pick(random, [
          ['staff_unavailable', 6],
          [winter ? 'weather_travel' : 'rescheduled', 3],
          ['other', 1],
        ]),
      },
    };
  if (r < 0.095) return { status: 'no_show' };
  return { status: 'done' };
}

/** The days of a week the family is home and the team works: holidays off, fewer in summer and the winter sports break. */
function visitDays(monday: string, first: string, last: string, random: () => number): (typeof weekPattern)[number][] {
  const week = DateTime.fromISO(monday, { zone: 'utc' });
  const summer = week.weekNumber >= 28 && week.weekNumber <= 32;
  const sportlov = week.weekNumber === 8;
  return weekPattern.filter((p) => {
    const date = plusDays(monday, p.weekday - 1);
    if (date < first || date > last || isNonWorkingDay(date)) return false;
    if (summer && (p.weekday === 1 || p.weekday === 5)) return false;
    if (sportlov && p.weekday === 5) return false;
    // Now and then the family cannot see the team more than three times that week (exams, a visit to relatives).
    return !(p.weekday === 5 && random() < 0.05);
  });
}

/** Runs `work` over the items, at most `width` at a time. */
async function inPool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

type StepDeps = (when: Date, key: string) => Deps;

async function treatCase(step: StepDeps, seeder: Principal, code: string, c: PilotCase): Promise<void> {
  const random = seededRandom(hash(`pilot-visits-${code}`));
  const accepted = [plusDays(c.referral, 7), plusDays(c.start, -3)].sort()[0] ?? c.start;
  let family = await families.createFamily(step(at(c.referral, '10:00'), `${code}#create`), seeder, familyBody(code, c, c.lane));
  family = await families.transitionFamily(step(at(accepted, '10:00'), `${code}#accept`), seeder, code, { to: 'accepted', version: family.version });
  family = await families.submitTally(step(at(accepted, '10:05'), `${code}#tally`), seeder, code, {
    version: family.version,
    concerns: c.concerns,
    diagnoses: c.diagnoses,
  });
  family = await families.transitionFamily(step(at(c.start, '08:00'), `${code}#start`), seeder, code, {
    to: 'active',
    version: family.version,
    startDate: c.start,
  });
  const last = c.end ?? family.treatmentEnd ?? c.start;
  const { start: time } = lanes[c.lane];
  const outcomes: { visit: Visit; fate: VisitFate; recordedAt: Date }[] = [];
  for (let w = 0; ; w++) {
    const monday = plusDays(c.start, 7 * w);
    if (monday > last) break;
    const days = visitDays(monday, c.start, last, random);
    if (days.length === 0) continue;
    const week = weekOf(monday);
    // The week is booked the Friday before (the first one on the first morning), as one commit of the coordinator's plan.
    const bookedAt = w === 0 ? at(c.start, '08:30') : at(plusDays(monday, -3), '14:00');
    const proposal = days.map((p) => {
      const date = plusDays(monday, p.weekday - 1);
      return {
        family: code,
        kind: p.kind,
        staff: visits.staffFor(p.kind, family),
        start: `${date}T${time}`,
        end: `${date}T${hhmmPlus(time, p.minutes)}`,
        place: c.place,
      };
    });
    const outcome = await visits.commitPlan(step(bookedAt, `${code}#${week}#book`), seeder, week, { visits: proposal });
    const booked = outcome.booked[0]?.visits;
    if (!booked || outcome.collided.length > 0)
      throw new Error(`the pilot history could not book ${code} ${week}: ${outcome.collided.map((x) => x.reason).join('; ')}`);
    // Recorded on the Friday evening: what was done, who cancelled and why, who was not home.
    const recordedAt = at(plusDays(monday, 4), '19:00');
    for (const visit of booked) outcomes.push({ visit, fate: fateOf(random, visit.startLocal.slice(0, 10)), recordedAt });
  }
  // The outcomes of one case touch one visit and one day each (one visit a day), so they run side by side; each carries
  // the clock of its Friday evening. Booking the later weeks first changes nothing: the lanes keep families apart.
  await inPool(outcomes, 4, async ({ visit, fate, recordedAt }) => {
    const deps = step(recordedAt, `${code}#${visit.startLocal}#outcome`);
    if ('cancel' in fate) await visits.cancelVisit(deps, seeder, visit.id, { version: visit.version, ...fate.cancel });
    else await visits.recordOutcome(deps, seeder, visit.id, { version: visit.version, status: fate.status });
  });
  await families.transitionFamily(step(at(plusDays(last, 1), '09:00'), `${code}#complete`), seeder, code, {
    to: 'completed',
    version: family.version,
    endDate: last,
    completionType: c.completionType ?? 'as_planned',
    outcomes: { ...goodOutcomes, ...c.outcomes },
  });
}

async function declineReferral(step: StepDeps, seeder: Principal, code: string, d: DeclinedReferral): Promise<void> {
  const family = await families.createFamily(step(at(d.referral, '10:00'), `${code}#create`), seeder, familyBody(code, d, 0));
  await families.transitionFamily(step(at(d.declinedOn, '11:00'), `${code}#decline`), seeder, code, {
    to: 'declined',
    version: family.version,
    reason: d.reason,
  });
}

/**
 * Groups the cases that must be seeded one after the other: two cases of one pair whose treatments overlap book the
 * same therapists' days. Cases in different groups share no item (other than the tally's ADD-only counters).
 */
export function pilotChains(cases: readonly PilotCase[] = pilotCases): number[][] {
  const lastDay = (c: PilotCase) => c.end ?? plusDays(c.start, 7 * treatmentWeeks - 1);
  const group = cases.map((_, i) => i);
  const root = (i: number): number => (group[i] === i ? i : root(group[i] ?? i));
  cases.forEach((a, i) =>
    cases.forEach((b, j) => {
      if (j > i && a.pair === b.pair && a.start <= lastDay(b) && b.start <= lastDay(a)) group[root(j)] = root(i);
    }),
  );
  const chains = new Map<number, number[]>();
  cases.forEach((_, i) => chains.set(root(i), [...(chains.get(root(i)) ?? []), i]));
  return [...chains.values()];
}

/**
 * Seeds the pilot history into the demo team (its staff must exist). The chains of cases that share no therapist's
 * day, the declined referrals and the inquiries all run side by side (their writes never meet); the result does not
 * depend on the order, since every step carries its own clock and ids.
 */
export async function seedPilotHistory(deps: Deps, seeder: Principal): Promise<{ cases: number; declined: number; inquiries: number }> {
  const step: StepDeps = (when, key) => ({ db: deps.db, now: () => when, newId: idsFrom(key) });
  const codes = pilotCodes();
  const declined = pilotDeclined();
  const chain = async (indexes: readonly number[]) => {
    for (const i of indexes) {
      const c = pilotCases[i];
      if (c) await treatCase(step, seeder, codes.treated[i] ?? '', c);
    }
  };
  const rest = async () => {
    await inPool([...declined.entries()], 4, async ([i, d]) => declineReferral(step, seeder, codes.declined[i] ?? '', d));
    await inPool([...pilotInquiries().entries()], 4, async ([i, inquiry]) => {
      await inquiries.createInquiry(step(at(inquiry.date, '12:00'), `inquiry#${i}`), seeder, inquiry);
    });
  };
  await Promise.all([...pilotChains().map(chain), rest()]);
  return { cases: pilotCases.length, declined: declined.length, inquiries: inquiryCount };
}

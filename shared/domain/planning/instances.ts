import type { PlanningProblemInput } from '../../schemas/planning.js';
import { type KalmarMunicipality, kalmarMunicipalities, kalmarTravelMatrix } from '../kalmar-county.js';
import { seededRandom } from './random.js';
import { weekDates } from './time-grid.js';

/**
 * Road travel minutes between the seats of Kalmar county's 12 municipalities (15 within one; Öland over
 * the bridge; Kalmar to Västervik 1 h 45 min), from `shared/domain/kalmar-county.ts`: for benchmarks,
 * tests and demo data.
 */
export const kalmarCountyTravelMatrix: Readonly<Record<string, Readonly<Record<string, number>>>> = kalmarTravelMatrix();

/** The four municipalities of the pilot team. */
export const pilotMunicipalities: readonly KalmarMunicipality[] = ['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm'];

export { seededRandom };

/**
 * pilot: 4 therapists, 6–8 families near Kalmar; tight: the same team with 8 families whose windows are narrow
 * (two or three mornings or afternoons of 3–4 h), mixes of 4–5 sessions, absences and a holiday; county: 16
 * therapists in three towns, 40 families in all 12 municipalities; national: 60 therapists, 150 families.
 */
export type InstanceScale = 'pilot' | 'tight' | 'county' | 'national';

export interface InstanceOptions {
  scale: InstanceScale;
  seed?: number;
  /** ISO week, default 2026-W48. */
  week?: string;
  /** Give some therapists multi-day absences (busy blocks spanning days). */
  absences?: boolean;
  /** Explicit holidays; absent = Swedish holidays of the week. */
  holidays?: string[];
  slotMinutes?: number;
  /** Number of families (default by scale: pilot 7, county 40, national 150). */
  families?: number;
}

const SIZES: Record<InstanceScale, { pairs: number; families: number; places: readonly KalmarMunicipality[]; bases: readonly KalmarMunicipality[] }> =
  {
    pilot: { pairs: 2, families: 7, places: pilotMunicipalities, bases: ['Kalmar'] },
    tight: { pairs: 2, families: 8, places: pilotMunicipalities, bases: ['Kalmar'] },
    county: { pairs: 8, families: 40, places: kalmarMunicipalities, bases: ['Kalmar', 'Oskarshamn', 'Västervik'] },
    national: { pairs: 30, families: 150, places: kalmarMunicipalities, bases: kalmarMunicipalities },
  };

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/**
 * A deterministic, realistic team week: therapist pairs (a family and an individual therapist) based
 * in the scale's base towns, families mostly near their pair's base with after-school, daytime or
 * few-day windows, a weekly team meeting in Kalmar, supervision at base, and optional absences.
 */
export function generateInstance(options: InstanceOptions): PlanningProblemInput {
  const size = SIZES[options.scale];
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const week = options.week ?? '2026-W48';
  const dates = weekDates(week);
  const travel: Record<string, Record<string, number>> = {};
  for (const from of size.places) {
    travel[from] = {};
    for (const to of size.places) (travel[from] as Record<string, number>)[to] = kalmarCountyTravelMatrix[from]?.[to] ?? 0;
  }
  const near = (base: KalmarMunicipality) =>
    [...size.places].sort((a, b) => (travel[base]?.[a] ?? 0) - (travel[base]?.[b] ?? 0) || a.localeCompare(b)).slice(0, 4);

  const shifts = [
    { start: 8 * 60, end: 17 * 60 },
    { start: 10 * 60, end: 19 * 60 },
    { start: 11 * 60, end: 20 * 60 + 30 },
  ];
  const staff: PlanningProblemInput['staff'] = [];
  const pairs: { ft: string; it: string; base: KalmarMunicipality }[] = [];
  for (let p = 0; p < size.pairs; p++) {
    const base = size.bases[p % size.bases.length] ?? 'Kalmar';
    const pair = { ft: `ft${pad(p + 1)}`, it: `it${pad(p + 1)}`, base };
    pairs.push(pair);
    for (const [id, role] of [
      [pair.ft, 'family_therapist'],
      [pair.it, 'individual_therapist'],
    ] as const) {
      const shift = pick(shifts);
      const workingHours = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: hhmm(shift.start), end: hhmm(shift.end) }));
      const busy: NonNullable<PlanningProblemInput['staff'][number]['busy']> = [
        { start: `${dates[1]}T09:00`, end: `${dates[1]}T10:30`, place: 'Kalmar', label: 'team meeting' },
        { start: `${dates[3]}T13:00`, end: `${dates[3]}T14:00`, label: 'supervision' },
      ];
      if (random() < 0.3) {
        const day = dates[pick([0, 2, 4])];
        busy.push({ start: `${day}T14:00`, end: `${day}T15:00`, place: pick(size.places), label: 'network meeting' });
      }
      if ((options.absences || options.scale === 'tight') && random() < 0.25) {
        const from = pick([0, 1, 2]);
        const to = from + pick([0, 1, 2]);
        busy.push({ start: `${dates[from]}T00:00`, end: `${dates[to]}T23:59`, label: 'absence' });
      }
      staff.push({
        id,
        role,
        base,
        workingHours,
        busy: busy.filter((b) => b.end > b.start),
        maxVisitsPerDay: options.scale === 'pilot' || options.scale === 'tight' ? 3 : 4,
      });
    }
  }

  const families: PlanningProblemInput['families'] = [];
  const count = options.families ?? (options.scale === 'pilot' ? 6 + Math.floor(random() * 3) : size.families);
  for (let i = 0; i < count; i++) {
    const pair = pairs[i % pairs.length] ?? { ft: 'ft01', it: 'it01', base: 'Kalmar' as const };
    const place = random() < 0.8 ? pick(near(pair.base)) : pick(size.places);
    const style = random();
    const windows = options.scale === 'tight' ? narrowWindows(random, pick) : ordinaryWindows(style, pick);
    const sessions: PlanningProblemInput['families'][number]['sessions'] = [
      { kind: 'family', count: 2, minutes: pick([60, 90]) },
      { kind: 'individual', count: 2, minutes: pick([45, 60]) },
      { kind: 'joint', count: 1, minutes: pick([60, 90]) },
    ];
    // Tight weeks: some families ask for four sessions (one individual visit less).
    if (options.scale === 'tight' && random() < 0.4) sessions[1] = { kind: 'individual', count: 1, minutes: sessions[1]?.minutes ?? 60 };
    families.push({
      id: `${place.slice(0, 3).toUpperCase().replace('Å', 'A').replace('Ö', 'O').replace('Ä', 'A')}-2026-${pad(i + 1)}`,
      place,
      familyTherapist: pair.ft,
      individualTherapist: pair.it,
      sessions,
      minSessions: 4,
      windows,
      maxSessionsPerDay: random() < 0.7 ? 1 : 2,
    });
  }
  return {
    week,
    timeZone: 'Europe/Stockholm',
    slotMinutes: options.slotMinutes ?? 15,
    // A tight week has a holiday on its Wednesday unless told otherwise.
    ...(options.holidays ? { holidays: options.holidays } : options.scale === 'tight' ? { holidays: [dates[2] ?? ''] } : {}),
    travelMinutes: travel,
    staff,
    families,
  };
}

function ordinaryWindows(style: number, pick: <T>(list: readonly T[]) => T): { weekday: number; start: string; end: string }[] {
  return style < 0.5
    ? [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '15:00', end: '20:00' }))
    : style < 0.8
      ? [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '20:00' }))
      : [...new Set([pick([1, 2]), pick([3, 4]), 5])].map((weekday) => ({ weekday, start: '13:00', end: '19:30' }));
}

/** Two or three weekdays, each a 3–4 h window in the morning or the afternoon. */
function narrowWindows(random: () => number, pick: <T>(list: readonly T[]) => T): { weekday: number; start: string; end: string }[] {
  const days = [...new Set([pick([1, 2]), pick([2, 3, 4]), ...(random() < 0.5 ? [pick([4, 5])] : [pick([3, 5])])])].sort((a, b) => a - b);
  return days.map((weekday) => {
    const start = pick([9 * 60, 10 * 60, 15 * 60, 16 * 60]);
    const end = Math.min(20 * 60, start + pick([180, 210, 240]));
    return { weekday, start: hhmm(start), end: hhmm(end) };
  });
}

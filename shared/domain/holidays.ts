import { easter } from 'date-easter';
import { DateTime } from 'luxon';

/** A team's holiday calendar: Swedish holidays, plus its own days off, minus holidays it works. */
export interface HolidayCalendar {
  country: 'SE';
  /** Extra days off for the team (e.g. a planning day), `YYYY-MM-DD`. */
  extraDaysOff: string[];
  /** Holidays the team works anyway, `YYYY-MM-DD`. */
  workingDays: string[];
}

export interface NamedDay {
  date: string;
  name: string;
}

/**
 * The Swedish days off of one year, as rules: the statutory holidays (allmänna helgdagar, lag 1989:253)
 * plus midsommarafton, julafton and nyårsafton — not statutory, but days off in practice, and SPEC §3
 * counts them as non-working. Half days (trettondagsafton, valborgsmässoafton, allhelgonaafton),
 * skärtorsdagen, påskafton, pingstafton and annandag pingst (no longer a holiday since 2005) are working
 * days; nationaldagen is a holiday since 2005. Easter from `date-easter` (Gauss's formula, Gregorian).
 * These are the days and names `date-holidays` 3.37 gave for Sweden (public and bank types), checked
 * identical for 2000–2100 before it was replaced (it pulled moment and every country's data into 12 bundles).
 */
function swedishDaysOff(year: number): NamedDay[] {
  const { month, day } = easter(year);
  const easterDay = DateTime.fromObject({ year, month, day }, { zone: 'utc' });
  const fromEaster = (days: number, name: string): NamedDay => ({ date: isoDate(easterDay.plus({ days })), name });
  const fixed = (month: number, day: number, name: string): NamedDay => ({
    date: isoDate(DateTime.fromObject({ year, month, day }, { zone: 'utc' })),
    name,
  });
  /** The first given ISO weekday on or after the date. */
  const weekdayFrom = (month: number, day: number, weekday: number, name: string): NamedDay => {
    const start = DateTime.fromObject({ year, month, day }, { zone: 'utc' });
    return { date: isoDate(start.plus({ days: (weekday - start.weekday + 7) % 7 })), name };
  };
  return [
    fixed(1, 1, 'nyårsdagen'),
    fixed(1, 6, 'trettondedag jul'),
    fromEaster(-2, 'långfredagen'),
    fromEaster(0, 'påskdagen'),
    fromEaster(1, 'annandag påsk'),
    fixed(5, 1, 'första maj'),
    fromEaster(39, 'Kristi himmelsfärdsdag'),
    fromEaster(49, 'pingstdagen'),
    ...(year >= 2005 ? [fixed(6, 6, 'nationaldagen')] : []),
    weekdayFrom(6, 19, FRIDAY, 'midsommarafton'),
    weekdayFrom(6, 20, SATURDAY, 'midsommardagen'),
    weekdayFrom(10, 31, SATURDAY, 'alla helgons dag'),
    fixed(12, 24, 'julafton'),
    fixed(12, 25, 'juldagen'),
    fixed(12, 26, 'annandag jul'),
    fixed(12, 31, 'nyårsafton'),
  ];
}

const FRIDAY = 5;
const SATURDAY = 6;

/** Name used for a team's own extra day off in `holidaysBetween`. */
export const EXTRA_DAY_OFF_NAME = 'ledig dag (teamets kalender)';

const byYear = new Map<number, readonly Readonly<NamedDay>[]>();

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isoDate(day: DateTime): string {
  return day.toFormat('yyyy-MM-dd');
}

/** Parses a `YYYY-MM-DD` calendar date; the weekday of a calendar date does not depend on a zone. */
function calendarDate(date: string): DateTime {
  const parsed = ISO_DATE.test(date) ? DateTime.fromISO(date, { zone: 'utc' }) : DateTime.invalid('not YYYY-MM-DD');
  if (!parsed.isValid) throw new RangeError(`not a calendar date YYYY-MM-DD: ${date}`);
  return parsed;
}

function holidaysOfYear(year: number): readonly Readonly<NamedDay>[] {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`not a year: ${year}`);
  const cached = byYear.get(year);
  if (cached) return cached;
  // Two days can fall on one date (Kristi himmelsfärdsdag on första maj in 2008, pingstdagen on nationaldagen
  // in 2049): one entry, the first listed, as date-holidays kept it.
  const byDate = new Map<string, Readonly<NamedDay>>();
  for (const day of swedishDaysOff(year)) if (!byDate.has(day.date)) byDate.set(day.date, Object.freeze(day));
  const days = [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
  const frozen = Object.freeze(days);
  byYear.set(year, frozen);
  return frozen;
}

/** Swedish non-working holidays of a year (public holidays plus Midsummer, Christmas and New Year's Eve), cached per year. */
export function swedishHolidays(year: number): NamedDay[] {
  return holidaysOfYear(year).map((day) => ({ ...day }));
}

function swedishHolidayOn(date: string): Readonly<NamedDay> | undefined {
  return holidaysOfYear(calendarDate(date).year).find((day) => day.date === date);
}

/** True for a Saturday, a Sunday, a holiday the team does not work, or one of the team's extra days off. */
export function isNonWorkingDay(date: string, calendar?: HolidayCalendar): boolean {
  const day = calendarDate(date);
  if (day.weekday >= 6) return true;
  if (calendar?.extraDaysOff.includes(date)) return true;
  if (calendar?.workingDays.includes(date)) return false;
  return swedishHolidayOn(date) !== undefined;
}

/**
 * Holidays (on any weekday) in the inclusive local-date range, sorted: the Swedish ones the team
 * does not work, plus the team's extra days off (named `EXTRA_DAY_OFF_NAME`).
 */
export function holidaysBetween(from: string, to: string, calendar?: HolidayCalendar): NamedDay[] {
  const first = calendarDate(from);
  const last = calendarDate(to);
  if (last < first) return [];
  const worked = new Set(calendar?.workingDays ?? []);
  const days = new Map<string, NamedDay>();
  for (let year = first.year; year <= last.year; year += 1) {
    for (const day of holidaysOfYear(year)) {
      if (day.date >= from && day.date <= to && !worked.has(day.date)) days.set(day.date, { ...day });
    }
  }
  for (const date of calendar?.extraDaysOff ?? []) {
    calendarDate(date);
    if (date >= from && date <= to && !days.has(date)) days.set(date, { date, name: EXTRA_DAY_OFF_NAME });
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

import Holidays from 'date-holidays';
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
 * date-holidays types the Swedish days as:
 * - `public`: the statutory holidays (allmänna helgdagar), e.g. nyårsdagen, långfredagen, nationaldagen;
 * - `bank`: exactly midsommarafton, julafton and nyårsafton — not statutory, but days off in practice,
 *   and SPEC §3 counts them as non-working;
 * - `optional` (half days: trettondagsafton, valborgsmässoafton, allhelgonaafton from 12:00) and
 *   `observance` (påskafton, pingstafton, annandag pingst since 2005, Luciadagen…): working days.
 * The holiday tests pin this, so a change in the library's data fails loudly rather than silently.
 */
const NON_WORKING_TYPES: ReadonlySet<string> = new Set(['public', 'bank']);

/** Name used for a team's own extra day off in `holidaysBetween`. */
export const EXTRA_DAY_OFF_NAME = 'ledig dag (teamets kalender)';

const swedishCalendar = new Holidays('SE', { languages: 'sv', timezone: 'Europe/Stockholm' });
const byYear = new Map<number, readonly Readonly<NamedDay>[]>();

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a `YYYY-MM-DD` calendar date; the weekday of a calendar date does not depend on a zone. */
function calendarDate(date: string): DateTime {
  const parsed = ISO_DATE.test(date) ? DateTime.fromISO(date, { zone: 'utc' }) : DateTime.invalid('not YYYY-MM-DD');
  if (!parsed.isValid) throw new RangeError(`not a calendar date YYYY-MM-DD: ${date}`);
  return parsed;
}

function holidaysOfYear(year: number): readonly Readonly<NamedDay>[] {
  if (!Number.isInteger(year)) throw new RangeError(`not a year: ${year}`);
  const cached = byYear.get(year);
  if (cached) return cached;
  const seen = new Set<string>();
  const days: Readonly<NamedDay>[] = [];
  for (const holiday of swedishCalendar.getHolidays(year, 'sv')) {
    // `date` is local "YYYY-MM-DD hh:mm:ss"; two entries can share a date (alla helgons dag and Gustav-Adolf-dagen).
    const date = holiday.date.slice(0, 10);
    if (!NON_WORKING_TYPES.has(holiday.type) || seen.has(date)) continue;
    seen.add(date);
    days.push(Object.freeze({ date, name: holiday.name }));
  }
  days.sort((a, b) => a.date.localeCompare(b.date));
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

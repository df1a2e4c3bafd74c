import { DateTime } from 'luxon';
import * as rruleModule from 'rrule';
import type { Recurrence, SeriesSpec } from '../schemas/recurrence.js';

/*
 * rrule ships a UMD bundle as `main` (what Node loads: its exports arrive only as the default
 * export) and an ES module as `module` (what esbuild bundles for Lambda: named exports, no
 * default). Take whichever this runtime provides.
 */
type RRuleModule = Omit<typeof rruleModule, 'default'>;
// A function, so esbuild does not warn that the ES module has no default export.
const exportsOf = (module: RRuleModule): RRuleModule => (module as { default?: RRuleModule }).default ?? module;
const rrule = /* @__PURE__ */ (() => exportsOf(rruleModule))();
const { RRule, Weekday: RRuleWeekday, datetime } = rrule;

/** One meeting of a series, as it happens. */
export interface Occurrence {
  /** The rule's original local date (YYYY-MM-DD): a stable id part, even when the holiday policy moves the meeting. */
  key: string;
  /** The local date it actually happens on. */
  date: string;
  /** UTC ISO instant, e.g. 2026-10-27T12:00:00.000Z. */
  start: string;
  end: string;
  /** Local wall-clock time in the zone, YYYY-MM-DDTHH:mm. */
  startLocal: string;
  endLocal: string;
  movedForHoliday: boolean;
}

export interface ExpandOptions {
  zone: string;
  isNonWorkingDay: (date: string) => boolean;
}

/** How far `next_working_day` looks before it gives up (a calendar with a month off is a data error). */
const MAX_DAYS_TO_NEXT_WORKING_DAY = 31;

const LOCAL_FORMAT = "yyyy-MM-dd'T'HH:mm";

function calendarDate(date: string, what: string): DateTime {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? DateTime.fromISO(date, { zone: 'utc' }) : DateTime.invalid('not YYYY-MM-DD');
  if (!parsed.isValid) throw new RangeError(`${what} is not a calendar date YYYY-MM-DD: ${date}`);
  return parsed;
}

/** A local calendar date as rrule's "floating" date: UTC midnight of that Y-M-D. */
function floating(date: DateTime): Date {
  return datetime(date.year, date.month, date.day);
}

/** The local calendar date rrule meant: only the Y-M-D of its UTC value counts. */
function dateOfFloating(value: Date): string {
  return DateTime.fromJSDate(value, { zone: 'utc' }).toISODate() ?? '';
}

/**
 * The rule as rrule sees it, on local calendar dates. A weekly rule starts on the first matching
 * weekday on/after the start date, so "every N weeks" is counted from the series' own first
 * meeting, whatever range is asked for later.
 */
function ruleFor(recurrence: Recurrence, startDate: DateTime): InstanceType<typeof RRule> {
  const weekday = new RRuleWeekday(recurrence.weekday - 1); // rrule: 0 = Monday; ISO: 1 = Monday
  if (recurrence.freq === 'weekly') {
    const first = startDate.plus({ days: (recurrence.weekday - startDate.weekday + 7) % 7 });
    return new RRule({ freq: RRule.WEEKLY, interval: recurrence.interval, byweekday: [weekday], dtstart: floating(first) });
  }
  return new RRule({ freq: RRule.MONTHLY, byweekday: [weekday.nth(recurrence.nth)], dtstart: floating(startDate) });
}

/**
 * The meeting's instants on a local date. A local time that does not exist (the spring-forward
 * gap, e.g. 02:30 on 29 March 2026 in Europe/Stockholm) is shifted forward by luxon to the same
 * minutes past the next hour (03:30 CEST); an ambiguous one (the autumn repeat, 02:30 on
 * 25 October 2026) resolves to the second of the two (02:30 CET = 01:30Z). The duration is wall-clock minutes
 * (SPEC §4) counted from the start as it actually happens, so the end is start + duration on the
 * clock and stays after the start.
 */
function meetingOn(date: string, time: string, durationMinutes: number, zone: string): Pick<Occurrence, 'start' | 'end' | 'startLocal' | 'endLocal'> {
  const start = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!start.isValid) throw new RangeError(`cannot place ${date} ${time} in zone ${zone}: ${start.invalidExplanation ?? ''}`);
  const startLocal = start.toFormat(LOCAL_FORMAT);
  const endWallClock = DateTime.fromISO(startLocal, { zone: 'utc' }).plus({ minutes: durationMinutes }).toFormat(LOCAL_FORMAT);
  const end = DateTime.fromISO(endWallClock, { zone });
  return {
    start: start.toUTC().toISO() ?? '',
    end: end.toUTC().toISO() ?? '',
    startLocal,
    endLocal: end.toFormat(LOCAL_FORMAT),
  };
}

function nextWorkingDay(date: string, isNonWorkingDay: (date: string) => boolean): string {
  let day = calendarDate(date, 'date');
  for (let step = 0; step < MAX_DAYS_TO_NEXT_WORKING_DAY; step += 1) {
    day = day.plus({ days: 1 });
    const candidate = day.toISODate() ?? '';
    if (!isNonWorkingDay(candidate)) return candidate;
  }
  throw new RangeError(`no working day within ${MAX_DAYS_TO_NEXT_WORKING_DAY} days after ${date}`);
}

/**
 * The occurrences of a series whose original date lies in the inclusive local-date range (and in
 * the series' own span), sorted by start, with the holiday policy applied: `skip` drops a meeting
 * on a non-working day; `next_working_day` moves it to the next working day at the same local time.
 */
export function expandSeries(spec: SeriesSpec, range: { from: string; to: string }, options: ExpandOptions): Occurrence[] {
  if (!DateTime.local({ zone: options.zone }).isValid) throw new RangeError(`not a time zone: ${options.zone}`);
  const startDate = calendarDate(spec.startDate, 'startDate');
  const first = [calendarDate(range.from, 'range.from'), startDate].reduce((a, b) => (a > b ? a : b));
  const limits = [calendarDate(range.to, 'range.to'), ...(spec.untilDate === undefined ? [] : [calendarDate(spec.untilDate, 'untilDate')])];
  const last = limits.reduce((a, b) => (a < b ? a : b));
  if (last < first) return [];

  const { recurrence } = spec;
  const occurrences: Occurrence[] = [];
  for (const value of ruleFor(recurrence, startDate).between(floating(first), floating(last), true)) {
    const key = dateOfFloating(value);
    let date = key;
    if (options.isNonWorkingDay(key)) {
      if (spec.holidayPolicy === 'skip') continue;
      date = nextWorkingDay(key, options.isNonWorkingDay);
    }
    occurrences.push({ key, date, ...meetingOn(date, recurrence.time, spec.durationMinutes, options.zone), movedForHoliday: date !== key });
  }
  return occurrences.sort((a, b) => a.start.localeCompare(b.start) || a.key.localeCompare(b.key));
}

const WEEKDAYS = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'] as const;
const ORDINALS: Record<number, string> = { 1: 'första', 2: 'andra', 3: 'tredje', 4: 'fjärde', [-1]: 'sista' };

/**
 * The rule in Swedish, e.g. "varannan tisdag 13:00" or "andra tisdagen varje månad 10:00"; `time` replaces the start
 * time, e.g. with the span "13:00–14:00", so that a text says the time once.
 */
export function describeRecurrence(r: Recurrence, time: string = r.time): string {
  const weekday = WEEKDAYS[r.weekday - 1];
  if (weekday === undefined) throw new RangeError(`not an ISO weekday: ${r.weekday}`);
  if (r.freq === 'monthly') return `${ORDINALS[r.nth] ?? `${r.nth}:e`} ${weekday}en varje månad ${time}`;
  const every = r.interval === 1 ? 'varje' : r.interval === 2 ? 'varannan' : `var ${r.interval}:e`;
  return `${every} ${weekday} ${time}`;
}

import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type HolidayCalendar, isNonWorkingDay } from '../../shared/domain/holidays.js';
import { describeRecurrence, expandSeries, type Occurrence } from '../../shared/domain/recurrence.js';
import { type Recurrence, SeriesSpec } from '../../shared/schemas/recurrence.js';

const zone = 'Europe/Stockholm';
const swedish = { zone, isNonWorkingDay: (date: string) => isNonWorkingDay(date) };
const withCalendar = (calendar: HolidayCalendar) => ({ zone, isNonWorkingDay: (date: string) => isNonWorkingDay(date, calendar) });
const everyDayWorks = { zone, isNonWorkingDay: () => false };

const series = (recurrence: Recurrence, rest: Partial<SeriesSpec> = {}): SeriesSpec => ({
  recurrence,
  durationMinutes: 60,
  startDate: '2026-01-01',
  holidayPolicy: 'skip',
  ...rest,
});

/** Municipality meeting: every other Tuesday 13:00, from Tuesday 13 October 2026. */
const municipality = series({ freq: 'weekly', interval: 2, weekday: 2, time: '13:00' }, { durationMinutes: 90, startDate: '2026-10-13' });

const keys = (occurrences: Occurrence[]) => occurrences.map((o) => o.key);

describe('every other Tuesday 13:00 (municipality meeting) across the DST changes', () => {
  it('October 2026: the UTC instant moves one hour later after Sunday 25 October, local time stays 13:00', () => {
    // Arrange
    const range = { from: '2026-10-01', to: '2026-11-10' };

    // Act
    const occurrences = expandSeries(municipality, range, swedish);

    // Assert
    expect(occurrences).toEqual([
      {
        key: '2026-10-13',
        date: '2026-10-13',
        start: '2026-10-13T11:00:00.000Z',
        end: '2026-10-13T12:30:00.000Z',
        startLocal: '2026-10-13T13:00',
        endLocal: '2026-10-13T14:30',
        movedForHoliday: false,
      },
      {
        key: '2026-10-27',
        date: '2026-10-27',
        start: '2026-10-27T12:00:00.000Z',
        end: '2026-10-27T13:30:00.000Z',
        startLocal: '2026-10-27T13:00',
        endLocal: '2026-10-27T14:30',
        movedForHoliday: false,
      },
      {
        key: '2026-11-10',
        date: '2026-11-10',
        start: '2026-11-10T12:00:00.000Z',
        end: '2026-11-10T13:30:00.000Z',
        startLocal: '2026-11-10T13:00',
        endLocal: '2026-11-10T14:30',
        movedForHoliday: false,
      },
    ]);
  });

  it('March 2027: still anchored on 13 October 2026, one hour earlier in UTC after Sunday 28 March', () => {
    // Arrange
    const range = { from: '2027-03-01', to: '2027-04-15' };

    // Act
    const occurrences = expandSeries(municipality, range, swedish);

    // Assert
    expect(occurrences.map((o) => [o.startLocal, o.start, o.end])).toEqual([
      ['2027-03-02T13:00', '2027-03-02T12:00:00.000Z', '2027-03-02T13:30:00.000Z'],
      ['2027-03-16T13:00', '2027-03-16T12:00:00.000Z', '2027-03-16T13:30:00.000Z'],
      ['2027-03-30T13:00', '2027-03-30T11:00:00.000Z', '2027-03-30T12:30:00.000Z'],
      ['2027-04-13T13:00', '2027-04-13T11:00:00.000Z', '2027-04-13T12:30:00.000Z'],
    ]);
  });

  it('starts on the first Tuesday on/after a start date that is not a Tuesday, and counts fortnights from there', () => {
    // Arrange: Wednesday 14 October; 27 October would be a meeting if the fortnights were counted from the 13th
    const spec = { ...municipality, startDate: '2026-10-14' };

    // Act
    const occurrences = expandSeries(spec, { from: '2026-10-01', to: '2026-11-30' }, swedish);

    // Assert
    expect(keys(occurrences)).toEqual(['2026-10-20', '2026-11-03', '2026-11-17']);
  });
});

describe('weekly BUP information, Monday 09:00', () => {
  const bup = series({ freq: 'weekly', interval: 1, weekday: 1, time: '09:00' }, { startDate: '2026-11-23' });

  it('every Monday; Easter Monday 2027 is skipped; the March DST change moves the instant', () => {
    // Arrange
    const range = { from: '2027-03-15', to: '2027-04-12' };

    // Act
    const occurrences = expandSeries(bup, range, swedish);

    // Assert
    expect(occurrences.map((o) => [o.key, o.start])).toEqual([
      ['2027-03-15', '2027-03-15T08:00:00.000Z'],
      ['2027-03-22', '2027-03-22T08:00:00.000Z'],
      ['2027-04-05', '2027-04-05T07:00:00.000Z'],
      ['2027-04-12', '2027-04-12T07:00:00.000Z'],
    ]);
  });

  it('with next_working_day, Easter Monday moves to Tuesday at the same local time and keeps its key', () => {
    // Arrange
    const spec = { ...bup, holidayPolicy: 'next_working_day' as const };

    // Act
    const moved = expandSeries(spec, { from: '2027-03-29', to: '2027-03-29' }, swedish);

    // Assert
    expect(moved).toEqual([
      {
        key: '2027-03-29',
        date: '2027-03-30',
        start: '2027-03-30T07:00:00.000Z',
        end: '2027-03-30T08:00:00.000Z',
        startLocal: '2027-03-30T09:00',
        endLocal: '2027-03-30T10:00',
        movedForHoliday: true,
      },
    ]);
  });
});

describe('monthly rules', () => {
  it('second Tuesday 10:00 (national check-in) over 2027, in CET and CEST', () => {
    // Arrange
    const checkIn = series({ freq: 'monthly', nth: 2, weekday: 2, time: '10:00' }, { startDate: '2026-12-01' });

    // Act
    const occurrences = expandSeries(checkIn, { from: '2027-01-01', to: '2027-12-31' }, swedish);

    // Assert
    expect(occurrences.map((o) => o.start)).toEqual([
      '2027-01-12T09:00:00.000Z',
      '2027-02-09T09:00:00.000Z',
      '2027-03-09T09:00:00.000Z',
      '2027-04-13T08:00:00.000Z',
      '2027-05-11T08:00:00.000Z',
      '2027-06-08T08:00:00.000Z',
      '2027-07-13T08:00:00.000Z',
      '2027-08-10T08:00:00.000Z',
      '2027-09-14T08:00:00.000Z',
      '2027-10-12T08:00:00.000Z',
      '2027-11-09T09:00:00.000Z',
      '2027-12-14T09:00:00.000Z',
    ]);
    expect(new Set(occurrences.map((o) => o.startLocal.slice(11)))).toEqual(new Set(['10:00']));
  });

  it('last Friday 14:00 of each month of 2026: Christmas Day is skipped, the half day before All Saints is not', () => {
    // Arrange
    const lastFriday = series({ freq: 'monthly', nth: -1, weekday: 5, time: '14:00' }, { startDate: '2026-01-01' });

    // Act
    const occurrences = expandSeries(lastFriday, { from: '2026-01-01', to: '2026-12-31' }, swedish);

    // Assert
    expect(keys(occurrences)).toEqual([
      '2026-01-30',
      '2026-02-27',
      '2026-03-27',
      '2026-04-24',
      '2026-05-29',
      '2026-06-26',
      '2026-07-31',
      '2026-08-28',
      '2026-09-25',
      '2026-10-30',
      '2026-11-27',
    ]);
  });

  it('last Friday with next_working_day: 25 December 2026 moves over the weekend to Monday 28 December', () => {
    // Arrange
    const lastFriday = series(
      { freq: 'monthly', nth: -1, weekday: 5, time: '14:00' },
      { startDate: '2026-01-01', holidayPolicy: 'next_working_day' },
    );

    // Act
    const [december] = expandSeries(lastFriday, { from: '2026-12-01', to: '2026-12-31' }, swedish);

    // Assert
    expect(december).toMatchObject({ key: '2026-12-25', date: '2026-12-28', start: '2026-12-28T13:00:00.000Z', movedForHoliday: true });
  });

  it('a monthly series starts with the first matching day on/after its start date', () => {
    // Arrange: the second Tuesday of November 2026 is the 10th, before the start date
    const checkIn = series({ freq: 'monthly', nth: 2, weekday: 2, time: '10:00' }, { startDate: '2026-11-11' });

    // Act
    const occurrences = expandSeries(checkIn, { from: '2026-11-01', to: '2027-01-31' }, swedish);

    // Assert
    expect(keys(occurrences)).toEqual(['2026-12-08', '2027-01-12']);
  });
});

describe('Christmas and New Year: weekly Thursday 10:00', () => {
  const thursday = series({ freq: 'weekly', interval: 1, weekday: 4, time: '10:00' }, { startDate: '2026-12-03' });
  const range = { from: '2026-12-01', to: '2027-01-15' };

  it('skip drops Christmas Eve and New Year’s Eve', () => {
    // Arrange / Act
    const occurrences = expandSeries(thursday, range, swedish);

    // Assert
    expect(keys(occurrences)).toEqual(['2026-12-03', '2026-12-10', '2026-12-17', '2027-01-07', '2027-01-14']);
  });

  it('next_working_day moves 24 Dec past Christmas Day and the weekend to 28 Dec, and 31 Dec past New Year’s Day to 4 Jan', () => {
    // Arrange
    const spec = { ...thursday, holidayPolicy: 'next_working_day' as const };

    // Act
    const occurrences = expandSeries(spec, range, swedish);

    // Assert
    expect(occurrences.map((o) => [o.key, o.date, o.start, o.movedForHoliday])).toEqual([
      ['2026-12-03', '2026-12-03', '2026-12-03T09:00:00.000Z', false],
      ['2026-12-10', '2026-12-10', '2026-12-10T09:00:00.000Z', false],
      ['2026-12-17', '2026-12-17', '2026-12-17T09:00:00.000Z', false],
      ['2026-12-24', '2026-12-28', '2026-12-28T09:00:00.000Z', true],
      ['2026-12-31', '2027-01-04', '2027-01-04T09:00:00.000Z', true],
      ['2027-01-07', '2027-01-07', '2027-01-07T09:00:00.000Z', false],
      ['2027-01-14', '2027-01-14', '2027-01-14T09:00:00.000Z', false],
    ]);
  });

  it('an occurrence is selected by its original date: a move past the end of the range is still returned', () => {
    // Arrange
    const spec = { ...thursday, holidayPolicy: 'next_working_day' as const };

    // Act
    const occurrences = expandSeries(spec, { from: '2026-12-24', to: '2026-12-24' }, swedish);

    // Assert
    expect(occurrences.map((o) => [o.key, o.date])).toEqual([['2026-12-24', '2026-12-28']]);
  });
});

describe('Midsummer 2026', () => {
  const friday = series({ freq: 'weekly', interval: 1, weekday: 5, time: '10:00' }, { startDate: '2026-06-05' });
  const range = { from: '2026-06-08', to: '2026-06-30' };

  it('skip drops Midsummer Eve, Friday 19 June', () => {
    // Arrange / Act
    const occurrences = expandSeries(friday, range, swedish);

    // Assert
    expect(keys(occurrences)).toEqual(['2026-06-12', '2026-06-26']);
  });

  it('next_working_day moves it past Midsummer Day (Saturday) and Sunday to Monday 22 June', () => {
    // Arrange
    const spec = { ...friday, holidayPolicy: 'next_working_day' as const };

    // Act
    const occurrences = expandSeries(spec, range, swedish);

    // Assert
    expect(occurrences.map((o) => [o.key, o.date, o.start])).toEqual([
      ['2026-06-12', '2026-06-12', '2026-06-12T08:00:00.000Z'],
      ['2026-06-19', '2026-06-22', '2026-06-22T08:00:00.000Z'],
      ['2026-06-26', '2026-06-26', '2026-06-26T08:00:00.000Z'],
    ]);
  });
});

describe('Epiphany and team calendars', () => {
  const wednesday = series(
    { freq: 'weekly', interval: 2, weekday: 3, time: '09:00' },
    { startDate: '2026-12-23', holidayPolicy: 'next_working_day' },
  );
  const range = { from: '2026-12-01', to: '2027-01-31' };

  it('Epiphany, Wednesday 6 January 2027, moves to Thursday 7 January', () => {
    // Arrange / Act
    const occurrences = expandSeries(wednesday, range, swedish);

    // Assert
    expect(occurrences.map((o) => [o.key, o.date])).toEqual([
      ['2026-12-23', '2026-12-23'],
      ['2027-01-06', '2027-01-07'],
      ['2027-01-20', '2027-01-20'],
    ]);
  });

  it('a team that works on Epiphany meets on 6 January; its own day off on 20 January moves that meeting', () => {
    // Arrange
    const calendar: HolidayCalendar = { country: 'SE', workingDays: ['2027-01-06'], extraDaysOff: ['2027-01-20'] };

    // Act
    const occurrences = expandSeries(wednesday, range, withCalendar(calendar));

    // Assert
    expect(occurrences.map((o) => [o.key, o.date, o.movedForHoliday])).toEqual([
      ['2026-12-23', '2026-12-23', false],
      ['2027-01-06', '2027-01-06', false],
      ['2027-01-20', '2027-01-21', true],
    ]);
  });
});

describe('the series span', () => {
  const tuesday = series({ freq: 'weekly', interval: 1, weekday: 2, time: '13:00' }, { startDate: '2026-11-03', untilDate: '2026-11-24' });

  it('untilDate is inclusive and cuts a longer range', () => {
    // Arrange / Act
    const occurrences = expandSeries(tuesday, { from: '2026-10-01', to: '2027-06-30' }, swedish);

    // Assert
    expect(keys(occurrences)).toEqual(['2026-11-03', '2026-11-10', '2026-11-17', '2026-11-24']);
  });

  it('nothing outside the span, and nothing for a reversed range', () => {
    // Arrange / Act / Assert
    expect(expandSeries(tuesday, { from: '2026-11-25', to: '2027-06-30' }, swedish)).toEqual([]);
    expect(expandSeries(tuesday, { from: '2026-01-01', to: '2026-11-02' }, swedish)).toEqual([]);
    expect(expandSeries(tuesday, { from: '2026-11-24', to: '2026-11-03' }, swedish)).toEqual([]);
  });

  it('an open-ended series keeps its fortnights years later: 1 Jan 2030 is a meeting day, and New Year’s Day', () => {
    // Arrange: 2026-10-13 → 2030-01-01 is 1176 days = 84 fortnights
    const range = { from: '2030-01-01', to: '2030-01-31' };

    // Act
    const skipped = expandSeries(municipality, range, swedish);
    const moved = expandSeries({ ...municipality, holidayPolicy: 'next_working_day' }, range, swedish);

    // Assert
    expect(keys(skipped)).toEqual(['2030-01-15', '2030-01-29']);
    expect(moved.map((o) => [o.key, o.date, o.start])).toEqual([
      ['2030-01-01', '2030-01-02', '2030-01-02T12:00:00.000Z'],
      ['2030-01-15', '2030-01-15', '2030-01-15T12:00:00.000Z'],
      ['2030-01-29', '2030-01-29', '2030-01-29T12:00:00.000Z'],
    ]);
  });
});

describe('local times that do not exist or exist twice (Europe/Stockholm)', () => {
  const sunday = (time: string, date: string, durationMinutes = 60) =>
    expandSeries(
      series({ freq: 'weekly', interval: 1, weekday: 7, time }, { startDate: date, untilDate: date, durationMinutes }),
      { from: date, to: date },
      everyDayWorks,
    );

  it('02:30 on 29 March 2026 falls in the spring-forward gap: shifted forward to 03:30 CEST, lasting the full hour', () => {
    // Arrange / Act
    const [occurrence] = sunday('02:30', '2026-03-29');

    // Assert
    expect(occurrence).toEqual({
      key: '2026-03-29',
      date: '2026-03-29',
      start: '2026-03-29T01:30:00.000Z',
      end: '2026-03-29T02:30:00.000Z',
      startLocal: '2026-03-29T03:30',
      endLocal: '2026-03-29T04:30',
      movedForHoliday: false,
    });
  });

  it('02:30 on 25 October 2026 happens twice: the second one (CET) is taken', () => {
    // Arrange / Act
    const [occurrence] = sunday('02:30', '2026-10-25');

    // Assert
    expect(occurrence).toMatchObject({
      start: '2026-10-25T01:30:00.000Z',
      end: '2026-10-25T02:30:00.000Z',
      startLocal: '2026-10-25T02:30',
      endLocal: '2026-10-25T03:30',
    });
  });

  it('the duration is wall-clock minutes: 01:30 + 90 min ends at 03:00 on the clock, 30 real minutes in spring, 150 in autumn', () => {
    // Arrange / Act
    const [spring] = sunday('01:30', '2026-03-29', 90);
    const [autumn] = sunday('01:30', '2026-10-25', 90);

    // Assert
    expect(spring).toMatchObject({ start: '2026-03-29T00:30:00.000Z', end: '2026-03-29T01:00:00.000Z', endLocal: '2026-03-29T03:00' });
    expect(autumn).toMatchObject({ start: '2026-10-24T23:30:00.000Z', end: '2026-10-25T02:00:00.000Z', endLocal: '2026-10-25T03:00' });
  });

  it('the same rule in another zone gives that zone’s instants', () => {
    // Arrange
    const helsinki = { ...everyDayWorks, zone: 'Europe/Helsinki' };

    // Act
    const [occurrence] = expandSeries(municipality, { from: '2026-10-13', to: '2026-10-13' }, helsinki);

    // Assert
    expect(occurrence?.start).toBe('2026-10-13T10:00:00.000Z');
  });
});

describe('bad input to expandSeries', () => {
  it('rejects an unknown zone and an invalid date', () => {
    // Arrange / Act / Assert
    expect(() => expandSeries(municipality, { from: '2026-10-01', to: '2026-10-31' }, { ...swedish, zone: 'Europe/Kalmar' })).toThrow(RangeError);
    expect(() => expandSeries(municipality, { from: '2026-10-01', to: '2026-10-32' }, swedish)).toThrow(RangeError);
  });

  it('gives up moving to a next working day that is more than a month away', () => {
    // Arrange
    const spec = { ...municipality, holidayPolicy: 'next_working_day' as const };

    // Act / Assert
    expect(() => expandSeries(spec, { from: '2026-10-01', to: '2026-10-31' }, { zone, isNonWorkingDay: () => true })).toThrow(
      /no working day within 31 days/,
    );
  });
});

describe('describeRecurrence', () => {
  it.each<[Recurrence, string]>([
    [{ freq: 'weekly', interval: 1, weekday: 1, time: '09:00' }, 'varje måndag 09:00'],
    [{ freq: 'weekly', interval: 2, weekday: 2, time: '13:00' }, 'varannan tisdag 13:00'],
    [{ freq: 'weekly', interval: 3, weekday: 3, time: '09:00' }, 'var 3:e onsdag 09:00'],
    [{ freq: 'weekly', interval: 8, weekday: 7, time: '18:30' }, 'var 8:e söndag 18:30'],
    [{ freq: 'monthly', nth: 1, weekday: 4, time: '08:15' }, 'första torsdagen varje månad 08:15'],
    [{ freq: 'monthly', nth: 2, weekday: 2, time: '10:00' }, 'andra tisdagen varje månad 10:00'],
    [{ freq: 'monthly', nth: 3, weekday: 6, time: '11:00' }, 'tredje lördagen varje månad 11:00'],
    [{ freq: 'monthly', nth: 4, weekday: 3, time: '12:00' }, 'fjärde onsdagen varje månad 12:00'],
    [{ freq: 'monthly', nth: -1, weekday: 5, time: '14:00' }, 'sista fredagen varje månad 14:00'],
  ])('%j → %s', (recurrence, text) => {
    // Arrange / Act / Assert
    expect(describeRecurrence(recurrence)).toBe(text);
  });
});

describe('SeriesSpec schema', () => {
  const valid = {
    recurrence: { freq: 'weekly', interval: 2, weekday: 2, time: '13:00' },
    durationMinutes: 90,
    startDate: '2026-10-13',
    holidayPolicy: 'skip',
  };
  const issuePaths = (input: unknown) => {
    const result = SeriesSpec.safeParse(input);
    // Distinct paths: the shared IsoDate reports a malformed date twice (format, then calendar validity).
    return result.success ? [] : [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
  };

  it('accepts a weekly and a monthly series, with or without an end date', () => {
    // Arrange
    const monthly = { ...valid, recurrence: { freq: 'monthly', nth: -1, weekday: 5, time: '14:00' }, untilDate: '2026-10-13' };

    // Act / Assert
    expect(SeriesSpec.parse(valid)).toEqual(valid);
    expect(SeriesSpec.parse(monthly)).toEqual(monthly);
  });

  it('names the failing field', () => {
    // Arrange / Act / Assert
    expect(issuePaths({ ...valid, untilDate: '2026-10-12' })).toEqual(['untilDate']);
    expect(issuePaths({ ...valid, untilDate: '2026-02-30' })).toEqual(['untilDate']);
    expect(issuePaths({ ...valid, startDate: '13/10/2026' })).toEqual(['startDate']);
    expect(issuePaths({ ...valid, startDate: '13/10/2026', untilDate: '2026-12-31' })).toEqual(['startDate']);
    expect(issuePaths({ ...valid, durationMinutes: 10 })).toEqual(['durationMinutes']);
    expect(issuePaths({ ...valid, durationMinutes: 481 })).toEqual(['durationMinutes']);
    expect(issuePaths({ ...valid, durationMinutes: 60.5 })).toEqual(['durationMinutes']);
    expect(issuePaths({ ...valid, holidayPolicy: 'previous_working_day' })).toEqual(['holidayPolicy']);
    expect(issuePaths({ ...valid, recurrence: { ...valid.recurrence, interval: 9 } })).toEqual(['recurrence.interval']);
    expect(issuePaths({ ...valid, recurrence: { ...valid.recurrence, interval: 0 } })).toEqual(['recurrence.interval']);
    expect(issuePaths({ ...valid, recurrence: { ...valid.recurrence, weekday: 0 } })).toEqual(['recurrence.weekday']);
    expect(issuePaths({ ...valid, recurrence: { ...valid.recurrence, time: '24:00' } })).toEqual(['recurrence.time']);
    expect(issuePaths({ ...valid, recurrence: { ...valid.recurrence, time: '9:00' } })).toEqual(['recurrence.time']);
    expect(issuePaths({ ...valid, recurrence: { freq: 'monthly', nth: 5, weekday: 2, time: '10:00' } })).toEqual(['recurrence.nth']);
    expect(issuePaths({ ...valid, recurrence: { ...valid.recurrence, freq: 'daily' } })).toEqual(['recurrence.freq']);
  });

  it('rejects unknown keys, at the top and inside the rule', () => {
    // Arrange
    const extraTop = SeriesSpec.safeParse({ ...valid, colour: 'blue' });
    const extraInRule = SeriesSpec.safeParse({ ...valid, recurrence: { ...valid.recurrence, nth: 2 } });

    // Act / Assert
    expect(extraTop.success ? [] : extraTop.error.issues.map((i) => [i.code, i.path.join('.')])).toEqual([['unrecognized_keys', '']]);
    expect(extraInRule.success ? [] : extraInRule.error.issues.map((i) => [i.code, i.path.join('.')])).toEqual([['unrecognized_keys', 'recurrence']]);
  });
});

/* ---------- properties ---------- */

const BASE = DateTime.fromISO('2026-01-01', { zone: 'utc' });
const dayAfterBase = (days: number): string => BASE.plus({ days }).toISODate() ?? '';

const recurrenceArb: fc.Arbitrary<Recurrence> = fc.oneof(
  fc.record({
    freq: fc.constant('weekly' as const),
    interval: fc.integer({ min: 1, max: 8 }),
    weekday: fc.integer({ min: 1, max: 7 }),
    time: fc.constantFrom('00:00', '02:30', '07:45', '13:00', '17:15', '23:45'),
  }),
  fc.record({
    freq: fc.constant('monthly' as const),
    nth: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const, -1 as const),
    weekday: fc.integer({ min: 1, max: 7 }),
    time: fc.constantFrom('00:00', '02:30', '07:45', '13:00', '17:15', '23:45'),
  }),
);

const specArb: fc.Arbitrary<SeriesSpec> = fc
  .record({
    recurrence: recurrenceArb,
    durationMinutes: fc.integer({ min: 15, max: 480 }),
    start: fc.integer({ min: 0, max: 730 }),
    length: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
    holidayPolicy: fc.constantFrom('skip' as const, 'next_working_day' as const),
  })
  .map(({ start, length, ...rest }) => ({
    ...rest,
    startDate: dayAfterBase(start),
    ...(length === undefined ? {} : { untilDate: dayAfterBase(start + length) }),
  }));

/** A range [from, to] and a split day inside it: [from, split] + [split + 1, to]. */
const splitRangeArb = fc
  .record({ from: fc.integer({ min: -60, max: 1100 }), length: fc.integer({ min: 0, max: 400 }), at: fc.nat() })
  .map(({ from, length, at }) => {
    const split = from + (at % (length + 1));
    return { from: dayAfterBase(from), split: dayAfterBase(split), afterSplit: dayAfterBase(split + 1), to: dayAfterBase(from + length) };
  });

/** An oracle independent of rrule: does the rule's original date fall on `date`? */
function ruleMatches(spec: SeriesSpec, date: DateTime): boolean {
  const { recurrence } = spec;
  const start = DateTime.fromISO(spec.startDate, { zone: 'utc' });
  if (date < start || date.weekday !== recurrence.weekday) return false;
  if (spec.untilDate !== undefined && date > DateTime.fromISO(spec.untilDate, { zone: 'utc' })) return false;
  if (recurrence.freq === 'monthly') {
    return recurrence.nth === -1 ? date.plus({ days: 7 }).month !== date.month : Math.ceil(date.day / 7) === recurrence.nth;
  }
  const first = start.plus({ days: (recurrence.weekday - start.weekday + 7) % 7 });
  return Math.round(date.diff(first, 'days').days) % (7 * recurrence.interval) === 0;
}

describe('properties', () => {
  it('expanding a range in two pieces gives exactly what expanding it at once gives', () => {
    fc.assert(
      fc.property(specArb, splitRangeArb, (spec, range) => {
        // Arrange / Act
        const whole = expandSeries(spec, { from: range.from, to: range.to }, swedish);
        const pieces = [
          ...expandSeries(spec, { from: range.from, to: range.split }, swedish),
          ...expandSeries(spec, { from: range.afterSplit, to: range.to }, swedish),
        ];

        // Assert
        expect(pieces).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('the original dates are exactly the days the rule names in the range (checked day by day)', () => {
    fc.assert(
      fc.property(specArb, splitRangeArb, (spec, range) => {
        // Arrange
        const expected: string[] = [];
        for (
          let day = DateTime.fromISO(range.from, { zone: 'utc' });
          day <= DateTime.fromISO(range.to, { zone: 'utc' });
          day = day.plus({ days: 1 })
        ) {
          if (ruleMatches(spec, day)) expected.push(day.toISODate() ?? '');
        }

        // Act
        const occurrences = expandSeries(spec, { from: range.from, to: range.to }, everyDayWorks);

        // Assert
        expect(keys(occurrences)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('every occurrence is on a working day at the rule’s local time (when it exists), lasting the wall-clock duration', () => {
    fc.assert(
      fc.property(specArb, splitRangeArb, (spec, range) => {
        // Arrange / Act
        const occurrences = expandSeries(spec, { from: range.from, to: range.to }, swedish);

        // Assert
        for (const o of occurrences) {
          expect(isNonWorkingDay(o.date)).toBe(false);
          expect(o.movedForHoliday).toBe(o.date !== o.key);
          expect(o.movedForHoliday && spec.holidayPolicy === 'skip').toBe(false);
          expect(o.date >= o.key).toBe(true);
          expect(Date.parse(o.end)).toBeGreaterThan(Date.parse(o.start));
          expect(DateTime.fromISO(o.start, { zone }).toFormat("yyyy-MM-dd'T'HH:mm")).toBe(o.startLocal);
          expect(DateTime.fromISO(o.end, { zone }).toFormat("yyyy-MM-dd'T'HH:mm")).toBe(o.endLocal);
          const wallClockMinutes = DateTime.fromISO(o.endLocal, { zone: 'utc' }).diff(
            DateTime.fromISO(o.startLocal, { zone: 'utc' }),
            'minutes',
          ).minutes;
          const endsInSpringGap = wallClockMinutes !== spec.durationMinutes;
          if (endsInSpringGap) expect(wallClockMinutes).toBe(spec.durationMinutes + 60);
          const inSpringGap = o.startLocal !== `${o.date}T${spec.recurrence.time}`;
          if (inSpringGap) expect(spec.recurrence.time).toBe('02:30');
        }
        expect(occurrences.map((o) => o.start)).toEqual(occurrences.map((o) => o.start).sort());
      }),
      { numRuns: 300 },
    );
  });
});

import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { EXTRA_DAY_OFF_NAME, type HolidayCalendar, holidaysBetween, isNonWorkingDay, swedishHolidays } from '../../shared/domain/holidays.js';

/** Every Monday–Friday of a year that is not a working day. */
function nonWorkingWeekdays(year: number, calendar?: HolidayCalendar): string[] {
  const days: string[] = [];
  for (let day = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: 'utc' }); day.year === year; day = day.plus({ days: 1 })) {
    const date = day.toISODate() ?? '';
    if (day.weekday <= 5 && isNonWorkingDay(date, calendar)) days.push(date);
  }
  return days;
}

const team = (overrides: Partial<HolidayCalendar> = {}): HolidayCalendar => ({ country: 'SE', extraDaysOff: [], workingDays: [], ...overrides });

describe('Swedish non-working weekdays', () => {
  it('2026: the ten weekday holidays, National Day (a Saturday) not among them', () => {
    // Arrange
    const expected = [
      '2026-01-01', // nyårsdagen, Thu
      '2026-01-06', // trettondedag jul, Tue
      '2026-04-03', // långfredagen
      '2026-04-06', // annandag påsk
      '2026-05-01', // första maj, Fri
      '2026-05-14', // Kristi himmelsfärdsdag, Thu
      '2026-06-19', // midsommarafton, Fri
      '2026-12-24', // julafton, Thu
      '2026-12-25', // juldagen, Fri
      '2026-12-31', // nyårsafton, Thu
    ];

    // Act
    const actual = nonWorkingWeekdays(2026);

    // Assert
    expect(actual).toEqual(expected);
  });

  it('2027: Easter in March, 1 May on a Saturday, Christmas Day on a Saturday', () => {
    // Arrange
    const expected = [
      '2027-01-01', // nyårsdagen, Fri
      '2027-01-06', // trettondedag jul, Wed
      '2027-03-26', // långfredagen (Easter Day is 28 March)
      '2027-03-29', // annandag påsk
      '2027-05-06', // Kristi himmelsfärdsdag, Thu
      '2027-06-25', // midsommarafton, Fri
      '2027-12-24', // julafton, Fri
      '2027-12-31', // nyårsafton, Fri
    ];

    // Act
    const actual = nonWorkingWeekdays(2027);

    // Assert
    expect(actual).toEqual(expected);
  });

  it('half days, eves the library calls observances and Whit Monday (no longer a holiday since 2005) are working days', () => {
    // Arrange
    const workingWeekdays = [
      '2026-01-05', // trettondagsafton (optional, from 12:00)
      '2026-04-02', // skärtorsdagen
      '2026-04-30', // valborgsmässoafton (optional, from 12:00)
      '2026-05-25', // annandag pingst, a Monday
      '2026-10-30', // allhelgonaafton (optional, from 12:00)
      '2026-11-06', // Gustav-Adolf-dagen
    ];

    // Act
    const flags = workingWeekdays.map((date) => isNonWorkingDay(date));

    // Assert
    expect(flags).toEqual(workingWeekdays.map(() => false));
  });

  it('weekends are non-working days, ordinary weekdays are not', () => {
    // Arrange / Act / Assert
    expect(isNonWorkingDay('2026-11-28')).toBe(true); // Saturday
    expect(isNonWorkingDay('2026-11-29')).toBe(true); // Sunday
    expect(isNonWorkingDay('2026-11-23')).toBe(false); // Monday
    expect(isNonWorkingDay('2026-11-27')).toBe(false); // Friday
  });

  it('rejects something that is not a calendar date', () => {
    // Arrange / Act / Assert
    expect(() => isNonWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => isNonWorkingDay('23/11/2026')).toThrow(RangeError);
  });
});

describe('swedishHolidays', () => {
  it('lists the public holidays plus the three eves, with Swedish names, in date order', () => {
    // Arrange
    const expected = [
      { date: '2026-01-01', name: 'nyårsdagen' },
      { date: '2026-01-06', name: 'trettondedag jul' },
      { date: '2026-04-03', name: 'långfredagen' },
      { date: '2026-04-05', name: 'påskdagen' },
      { date: '2026-04-06', name: 'annandag påsk' },
      { date: '2026-05-01', name: 'första maj' },
      { date: '2026-05-14', name: 'Kristi himmelsfärdsdag' },
      { date: '2026-05-24', name: 'pingstdagen' },
      { date: '2026-06-06', name: 'nationaldagen' },
      { date: '2026-06-19', name: 'midsommarafton' },
      { date: '2026-06-20', name: 'midsommardagen' },
      { date: '2026-10-31', name: 'alla helgons dag' },
      { date: '2026-12-24', name: 'julafton' },
      { date: '2026-12-25', name: 'juldagen' },
      { date: '2026-12-26', name: 'annandag jul' },
      { date: '2026-12-31', name: 'nyårsafton' },
    ];

    // Act
    const actual = swedishHolidays(2026);

    // Assert
    expect(actual).toEqual(expected);
  });

  // The exact lists date-holidays 3.37 gave (its public and bank days for SE) before it was replaced by rules
  // (shared/domain/holidays.ts); the two were compared identical for every year 1900–2400.
  it.each([
    [2004, ['01-01', '01-06', '04-09', '04-11', '04-12', '05-01', '05-20', '05-30', '06-25', '06-26', '11-06', '12-24', '12-25', '12-26', '12-31']],
    [2008, ['01-01', '01-06', '03-21', '03-23', '03-24', '05-01', '05-11', '06-06', '06-20', '06-21', '11-01', '12-24', '12-25', '12-26', '12-31']],
    [
      2038,
      [
        '01-01',
        '01-06',
        '04-23',
        '04-25',
        '04-26',
        '05-01',
        '06-03',
        '06-06',
        '06-13',
        '06-25',
        '06-26',
        '11-06',
        '12-24',
        '12-25',
        '12-26',
        '12-31',
      ],
    ],
    [2049, ['01-01', '01-06', '04-16', '04-18', '04-19', '05-01', '05-27', '06-06', '06-25', '06-26', '11-06', '12-24', '12-25', '12-26', '12-31']],
  ])('%i: exactly the days date-holidays listed', (year, monthDays) => {
    // Arrange
    const expected = monthDays.map((monthDay) => `${year}-${monthDay}`);

    // Act
    const actual = swedishHolidays(year).map((day) => day.date);

    // Assert
    expect(actual).toEqual(expected);
  });

  it('before 2005 nationaldagen is a working day; a day that falls on another keeps the first name (2008, 2049)', () => {
    // Arrange / Act
    const names = (year: number, ...dates: string[]) =>
      swedishHolidays(year)
        .filter((day) => dates.includes(day.date))
        .map((day) => day.name);

    // Assert
    expect(names(2004, '2004-06-06')).toEqual([]);
    expect(isNonWorkingDay('2004-05-31')).toBe(false); // annandag pingst 2004, a Monday: a working day in the data too
    expect(names(2008, '2008-05-01')).toEqual(['första maj']); // Kristi himmelsfärdsdag the same day
    expect(names(2049, '2049-06-06')).toEqual(['pingstdagen']); // nationaldagen the same day
  });

  it('keeps one entry when an observance shares the date (alla helgons dag and Gustav-Adolf-dagen, 6 Nov 2027)', () => {
    // Arrange / Act
    const sixthOfNovember = swedishHolidays(2027).filter((day) => day.date === '2027-11-06');

    // Assert
    expect(sixthOfNovember).toEqual([{ date: '2027-11-06', name: 'alla helgons dag' }]);
  });

  it('hands out copies: changing a returned list does not change the cached year', () => {
    // Arrange
    const first = swedishHolidays(2026);
    first.splice(0, first.length, { date: '2026-11-23', name: 'påhittad' });

    // Act
    const second = swedishHolidays(2026);

    // Assert
    expect(second).toHaveLength(16);
    expect(isNonWorkingDay('2026-11-23')).toBe(false);
  });
});

describe('a team calendar', () => {
  it('a holiday the team works is a working day; a weekend stays non-working even if listed', () => {
    // Arrange
    const calendar = team({ workingDays: ['2026-01-06', '2026-06-06'] });

    // Act / Assert
    expect(isNonWorkingDay('2026-01-06', calendar)).toBe(false);
    expect(isNonWorkingDay('2026-06-06', calendar)).toBe(true); // a Saturday
    expect(isNonWorkingDay('2026-01-01', calendar)).toBe(true);
  });

  it('an extra day off is non-working, and wins over a working-day entry for the same date', () => {
    // Arrange
    const calendar = team({ extraDaysOff: ['2026-12-01', '2026-12-23'], workingDays: ['2026-12-23'] });

    // Act / Assert
    expect(isNonWorkingDay('2026-12-01', calendar)).toBe(true);
    expect(isNonWorkingDay('2026-12-23', calendar)).toBe(true);
    expect(isNonWorkingDay('2026-12-02', calendar)).toBe(false);
  });
});

describe('holidaysBetween', () => {
  it('lists holidays on any weekday in an inclusive range across the new year', () => {
    // Arrange / Act
    const days = holidaysBetween('2026-12-24', '2027-01-06');

    // Assert
    expect(days).toEqual([
      { date: '2026-12-24', name: 'julafton' },
      { date: '2026-12-25', name: 'juldagen' },
      { date: '2026-12-26', name: 'annandag jul' },
      { date: '2026-12-31', name: 'nyårsafton' },
      { date: '2027-01-01', name: 'nyårsdagen' },
      { date: '2027-01-06', name: 'trettondedag jul' },
    ]);
  });

  it('honours the team calendar: worked holidays left out, extra days off added in date order', () => {
    // Arrange
    const calendar = team({ extraDaysOff: ['2026-12-23', '2027-02-01'], workingDays: ['2027-01-06'] });

    // Act
    const days = holidaysBetween('2026-12-20', '2027-01-10', calendar);

    // Assert
    expect(days.map((day) => day.date)).toEqual(['2026-12-23', '2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31', '2027-01-01']);
    expect(days[0]).toEqual({ date: '2026-12-23', name: EXTRA_DAY_OFF_NAME });
  });

  it('is empty for a range without holidays and for a reversed range', () => {
    // Arrange / Act / Assert
    expect(holidaysBetween('2026-11-23', '2026-11-29')).toEqual([]);
    expect(holidaysBetween('2026-12-31', '2026-12-01')).toEqual([]);
  });

  it('counts Midsummer Eve and Midsummer Day of 2026', () => {
    // Arrange / Act
    const days = holidaysBetween('2026-06-15', '2026-06-21');

    // Assert
    expect(days).toEqual([
      { date: '2026-06-19', name: 'midsommarafton' },
      { date: '2026-06-20', name: 'midsommardagen' },
    ]);
  });
});

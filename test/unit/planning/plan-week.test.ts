import { describe, expect, it } from 'vitest';
import { planWeek, validatePlan } from '../../../shared/domain/planning/index.js';
import { generateInstance, kalmarCountyTravelMatrix } from '../../../shared/domain/planning/instances.js';
import type { PlanningProblemInput } from '../../../shared/schemas/planning.js';
import { clone, exampleInput, problemOf, visitsOf, weekdays } from './fixtures.js';

const minutes = (local: string) => Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));

function plan(input: PlanningProblemInput) {
  const problem = problemOf(input);
  const result = planWeek(problem);
  return { problem, result, violations: validatePlan(problem, result) };
}

describe('planWeek on §4 example', () => {
  it('places all five sessions, the joint one with both therapists, with the least travel', () => {
    // Arrange
    const input = exampleInput();

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.stats).toEqual({ sessionsRequested: 5, sessionsPlaced: 5, familiesBelowMinimum: 0, travelMinutes: 540 });
    expect(result.shortfalls).toEqual([]);
    const joint = result.visits.filter((v) => v.kind === 'joint');
    expect(joint).toHaveLength(1);
    expect(joint[0]?.staff).toEqual(['anna', 'bo']);
    expect(result.visits.every((v) => v.place === 'Emmaboda')).toBe(true);
  });

  it('is deterministic: the same input gives the same output', () => {
    // Arrange
    const input = generateInstance({ scale: 'county', seed: 7, absences: true });

    // Act
    const first = planWeek(problemOf(input));
    const second = planWeek(problemOf(clone(input)));

    // Assert
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});

describe('paired visits, travel and busy blocks', () => {
  it('puts the joint visit on the only afternoon both are free', () => {
    // Arrange
    const input = exampleInput();
    const bo = input.staff[1];
    const family = input.families[0];
    if (!bo || !family) throw new Error('fixture');
    bo.busy = ['2026-11-23', '2026-11-24', '2026-11-26', '2026-11-27'].map((d) => ({ start: `${d}T14:00`, end: `${d}T20:00` }));
    family.sessions = family.sessions.filter((s) => s.kind !== 'individual');
    family.minSessions = 3;

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    const joint = result.visits.find((v) => v.kind === 'joint');
    expect(joint?.start.slice(0, 10)).toBe('2026-11-25');
    expect(visitsOf(result, 'bo').every((v) => v.start.startsWith('2026-11-25'))).toBe(true);
    expect(result.stats.sessionsPlaced).toBe(3);
  });

  it('keeps the 1 h 45 min drive each way for a family in Västervik seen from Kalmar', () => {
    // Arrange
    const drive = kalmarCountyTravelMatrix.Kalmar?.Västervik ?? 0;
    const input = exampleInput();
    input.travelMinutes = { Kalmar: { ...kalmarCountyTravelMatrix.Kalmar }, Västervik: { ...kalmarCountyTravelMatrix.Västervik } };
    for (const s of input.staff) s.workingHours = weekdays('08:00', '17:00');
    const family = input.families[0];
    if (!family) throw new Error('fixture');
    family.place = 'Västervik';
    family.windows = weekdays('08:00', '20:00');

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(drive).toBeGreaterThanOrEqual(100);
    expect(violations).toEqual([]);
    expect(result.stats.sessionsPlaced).toBe(5);
    for (const v of result.visits) {
      expect(minutes(v.start)).toBeGreaterThanOrEqual(8 * 60 + drive);
      expect(minutes(v.end)).toBeLessThanOrEqual(17 * 60 - drive);
    }
  });

  it('leaves the travel time after a meeting in another municipality', () => {
    // Arrange: anna is in Borgholm until 15:00 on Monday; Borgholm to Emmaboda is 80 minutes.
    const input = exampleInput();
    const anna = input.staff[0];
    const family = input.families[0];
    if (!anna || !family) throw new Error('fixture');
    anna.busy = [{ start: '2026-11-23T13:00', end: '2026-11-23T15:00', place: 'Borgholm' }];
    anna.workingHours = weekdays('08:00', '20:00', [1]);
    family.sessions = [{ kind: 'family', count: 1, minutes: 60 }];
    family.minSessions = 1;
    family.windows = weekdays('15:00', '20:00', [1]);

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.visits).toHaveLength(1);
    expect(minutes(result.visits[0]?.start ?? '')).toBeGreaterThanOrEqual(15 * 60 + 80);
  });

  it('plans around a multi-day absence and names it in the shortfall', () => {
    // Arrange: bo is away Tuesday to Thursday; the family takes one visit a day.
    const input = exampleInput();
    const bo = input.staff[1];
    if (!bo) throw new Error('fixture');
    bo.busy = [{ start: '2026-11-24T00:00', end: '2026-11-26T23:59' }];

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(
      visitsOf(result, 'bo')
        .map((v) => v.start.slice(0, 10))
        .sort(),
    ).toEqual(['2026-11-23', '2026-11-27']);
    expect(result.stats.sessionsPlaced).toBe(4);
    expect(result.shortfalls).toHaveLength(1);
    expect(result.shortfalls[0]?.missing).toBe(1);
    expect(result.shortfalls[0]?.reason).toContain('bo absent Tue–Thu');
  });
});

describe('holidays', () => {
  it('plans nothing on Christmas Eve and Christmas Day in 2026-W52 and says why', () => {
    // Arrange
    const input = exampleInput();
    input.week = '2026-W52';

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.visits.map((v) => v.start.slice(0, 10)).sort()).toEqual(['2026-12-21', '2026-12-22', '2026-12-23']);
    expect(result.stats.familiesBelowMinimum).toBe(1);
    expect(result.shortfalls.reduce((n, s) => n + s.missing, 0)).toBe(2);
    for (const s of result.shortfalls) expect(s.reason).toContain('holiday on Thu 24 Dec');
  });

  it('works on the eves when the team lists its own holidays', () => {
    // Arrange
    const input = { ...exampleInput(), week: '2026-W52', holidays: ['2026-12-25'] };

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.stats.sessionsPlaced).toBe(4);
    expect(result.visits.some((v) => v.start.startsWith('2026-12-24'))).toBe(true);
    expect(result.visits.some((v) => v.start.startsWith('2026-12-25'))).toBe(false);
  });

  it.each([
    ['2026-W53', ['2026-12-31', '2027-01-01']],
    ['2026-W25', ['2026-06-19']],
  ])('keeps New Year and Midsummer Eve free (%s)', (week, free) => {
    // Arrange
    const input = { ...exampleInput(), week };

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.visits.filter((v) => free.includes(v.start.slice(0, 10)))).toEqual([]);
    expect(result.stats.sessionsPlaced).toBe(5 - free.length);
  });
});

describe('daylight saving time: wall-clock times in, wall-clock times out', () => {
  function sundayNight(week: string, window: { start: string; end: string }, minutesLong: number): PlanningProblemInput {
    const input = exampleInput();
    input.week = week;
    for (const s of input.staff) s.workingHours = [{ weekday: 7, start: '00:00', end: '06:00' }];
    const family = input.families[0];
    if (!family) throw new Error('fixture');
    family.place = 'Kalmar';
    family.sessions = [{ kind: 'individual', count: 1, minutes: minutesLong }];
    family.minSessions = 1;
    family.windows = [{ weekday: 7, ...window }];
    return input;
  }

  it('2026-W13: skips the hour that does not exist on Sun 29 March', () => {
    // Arrange: 02:00–03:00 does not exist; the only hour-long visit that fits 01:30–04:00 is 03:00–04:00.
    const input = sundayNight('2026-W13', { start: '01:30', end: '04:00' }, 60);

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.visits.map((v) => [v.start, v.end])).toEqual([['2026-03-29T03:00', '2026-03-29T04:00']]);
  });

  it('2026-W43: a 120-minute visit over the repeated hour on Sun 25 October keeps wall-clock times', () => {
    // Arrange
    const input = sundayNight('2026-W43', { start: '01:00', end: '03:00' }, 120);

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.visits.map((v) => [v.start, v.end])).toEqual([['2026-10-25T01:00', '2026-10-25T03:00']]);
  });

  it('the weekday visits of a DST week stay in their wall-clock windows', () => {
    // Arrange
    const input = { ...exampleInput(), week: '2026-W13' };

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.stats.sessionsPlaced).toBe(5);
    for (const v of result.visits) expect(minutes(v.start)).toBeGreaterThanOrEqual(15 * 60);
  });
});

describe('day limits and shortfall reasons', () => {
  it('keeps maxVisitsPerDay and says the therapist is full', () => {
    // Arrange: anna takes one visit a day, two families want three each.
    const input = exampleInput();
    const anna = input.staff[0];
    const first = input.families[0];
    if (!anna || !first) throw new Error('fixture');
    anna.maxVisitsPerDay = 1;
    first.place = 'Kalmar';
    first.sessions = [{ kind: 'family', count: 3, minutes: 60 }];
    first.minSessions = 2;
    input.families.push({ ...clone(first), id: 'KAL-2026-08' });

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.stats.sessionsPlaced).toBe(5);
    const days = visitsOf(result, 'anna').map((v) => v.start.slice(0, 10));
    expect(new Set(days).size).toBe(days.length);
    expect(result.shortfalls).toHaveLength(1);
    expect(result.shortfalls[0]?.reason).toContain('anna already at maxVisitsPerDay (1)');
  });

  it('serves every family its minimum before giving anyone more (objective a before b)', () => {
    // Arrange: anna has four visits in her week; two families want three and need two.
    const input = exampleInput();
    const anna = input.staff[0];
    const first = input.families[0];
    if (!anna || !first) throw new Error('fixture');
    anna.maxVisitsPerDay = 1;
    anna.workingHours = weekdays('08:00', '19:00', [1, 2, 3, 4]);
    first.sessions = [{ kind: 'family', count: 3, minutes: 60 }];
    first.minSessions = 2;
    input.families.push({ ...clone(first), id: 'KAL-2026-08' });

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.stats.familiesBelowMinimum).toBe(0);
    expect(result.visits.filter((v) => v.family === 'KAL-2026-07')).toHaveLength(2);
    expect(result.visits.filter((v) => v.family === 'KAL-2026-08')).toHaveLength(2);
  });

  it('keeps maxSessionsPerDay and says the family is full', () => {
    // Arrange: visits only on Mondays, at most two a day.
    const input = exampleInput();
    const family = input.families[0];
    if (!family) throw new Error('fixture');
    family.windows = weekdays('09:00', '20:00', [1]);
    family.maxSessionsPerDay = 2;

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.stats.sessionsPlaced).toBe(2);
    expect(result.visits.every((v) => v.start.startsWith('2026-11-23'))).toBe(true);
    expect(result.shortfalls.reduce((n, s) => n + s.missing, 0)).toBe(3);
    for (const s of result.shortfalls) expect(s.reason).toContain('maxSessionsPerDay (2)');
  });

  it('says the window is too narrow for a 90-minute visit', () => {
    // Arrange
    const input = exampleInput();
    const family = input.families[0];
    if (!family) throw new Error('fixture');
    family.windows = weekdays('15:00', '16:00');
    family.minSessions = 2;

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    expect(result.visits.every((v) => v.kind === 'individual')).toBe(true);
    const byKind = Object.fromEntries(result.shortfalls.map((s) => [s.kind, s]));
    expect(byKind.family?.missing).toBe(2);
    expect(byKind.joint?.reason).toContain('window too narrow for a 90-minute visit');
  });

  it('says when the pair has no common free time', () => {
    // Arrange
    const input = exampleInput();
    const [anna, bo] = input.staff;
    if (!anna || !bo) throw new Error('fixture');
    const afternoon = (d: string) => ({ start: `2026-11-${d}T14:00`, end: `2026-11-${d}T20:00`, place: 'Kalmar' });
    anna.busy = ['23', '25', '27'].map(afternoon);
    bo.busy = ['24', '26'].map(afternoon);

    // Act
    const { result, violations } = plan(input);

    // Assert
    expect(violations).toEqual([]);
    const joint = result.shortfalls.find((s) => s.kind === 'joint');
    expect(joint?.missing).toBe(1);
    expect(joint?.reason).toContain('no common free time for anna and bo');
    expect(result.stats.sessionsPlaced).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { planWeek, validatePlan } from '../../../shared/domain/planning/index.js';
import { exampleInput, problemOf } from './fixtures.js';

describe('busy blocks that are booked visits (countsAsVisit)', () => {
  it('use up the day’s maxVisitsPerDay: nothing more is planned for anna on a day she already has 3 visits', () => {
    const input = exampleInput();
    const anna = input.staff[0];
    if (!anna) throw new Error('fixture');
    anna.busy = ['09:00', '10:30', '12:00'].map((t, i) => ({
      start: `2026-11-24T${t}`,
      end: `2026-11-24T${['10:00', '11:30', '13:00'][i]}`,
      place: 'Kalmar',
      countsAsVisit: true,
    }));
    const problem = problemOf(input);
    const result = planWeek(problem);
    expect(result.visits.filter((v) => v.staff.includes('anna') && v.start.startsWith('2026-11-24'))).toEqual([]);
    expect(validatePlan(problem, result)).toEqual([]);
  });

  it('are checked by the validator: a plan adding a fourth visit that day breaks rule 4', () => {
    const input = exampleInput();
    const anna = input.staff[0];
    if (!anna) throw new Error('fixture');
    anna.busy = ['09:00', '10:30', '12:00'].map((t, i) => ({
      start: `2026-11-24T${t}`,
      end: `2026-11-24T${['10:00', '11:30', '13:00'][i]}`,
      place: 'Kalmar',
      countsAsVisit: true,
    }));
    const problem = problemOf(input);
    const extra = {
      family: 'KAL-2026-07',
      kind: 'family' as const,
      staff: ['anna'],
      start: '2026-11-24T16:00',
      end: '2026-11-24T17:30',
      place: 'Emmaboda',
    };
    const violations = validatePlan(problem, {
      week: '2026-W48',
      visits: [extra],
      shortfalls: [
        { family: 'KAL-2026-07', kind: 'family', missing: 1, reason: 'x' },
        { family: 'KAL-2026-07', kind: 'individual', missing: 2, reason: 'x' },
        { family: 'KAL-2026-07', kind: 'joint', missing: 1, reason: 'x' },
      ],
      stats: { sessionsRequested: 5, sessionsPlaced: 1, familiesBelowMinimum: 1, travelMinutes: 90 },
    });
    expect(violations.map((v) => v.rule)).toContain('rule4');
  });
});

describe('a family’s already-booked visits (bookedDates)', () => {
  it('use up maxSessionsPerDay: a family allowed 2 a day with 1 booked gets at most 1 more that day', () => {
    const input = exampleInput();
    const family = input.families[0];
    if (!family) throw new Error('fixture');
    family.maxSessionsPerDay = 2;
    family.bookedDates = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
    const problem = problemOf(input);
    const result = planWeek(problem);
    for (const date of family.bookedDates) expect(result.visits.filter((v) => v.start.startsWith(date)).length).toBeLessThanOrEqual(1);
    expect(validatePlan(problem, result)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { type PlanRule, validatePlan } from '../../../shared/domain/planning/index.js';
import type { PlannedVisit, PlanningProblemInput, PlanningResult } from '../../../shared/schemas/planning.js';
import { exampleInput, problemOf } from './fixtures.js';

const visit = (kind: PlannedVisit['kind'], date: string, start: string, end: string): PlannedVisit => ({
  family: 'KAL-2026-07',
  kind,
  staff: kind === 'joint' ? ['anna', 'bo'] : kind === 'family' ? ['anna'] : ['bo'],
  start: `${date}T${start}`,
  end: `${date}T${end}`,
  place: 'Emmaboda',
});

/** A hand-made valid plan for §4's example: one visit a weekday, 45 minutes' drive each way. */
function validPlan(): PlanningResult {
  return {
    week: '2026-W48',
    visits: [
      visit('family', '2026-11-23', '15:00', '16:30'),
      visit('individual', '2026-11-24', '15:00', '16:00'),
      visit('joint', '2026-11-25', '15:00', '16:30'),
      visit('family', '2026-11-26', '15:00', '16:30'),
      visit('individual', '2026-11-27', '15:00', '16:00'),
    ],
    shortfalls: [],
    stats: { sessionsRequested: 5, sessionsPlaced: 5, familiesBelowMinimum: 0, travelMinutes: 540 },
  };
}

type Mutation = (input: PlanningProblemInput, plan: PlanningResult) => void;
const at = (plan: PlanningResult, i: number): PlannedVisit => {
  const v = plan.visits[i];
  if (!v) throw new Error(`no visit ${i}`);
  return v;
};
const anna = (input: PlanningProblemInput) => {
  const s = input.staff[0];
  if (!s) throw new Error('fixture');
  return s;
};
const family = (input: PlanningProblemInput) => {
  const f = input.families[0];
  if (!f) throw new Error('fixture');
  return f;
};

describe('validatePlan', () => {
  it('finds nothing wrong with a valid hand-made plan', () => {
    // Arrange
    const problem = problemOf(exampleInput());

    // Act
    const violations = validatePlan(problem, validPlan());

    // Assert
    expect(violations).toEqual([]);
  });

  const cases: [string, PlanRule, Mutation][] = [
    ['a visit on a holiday', 'rule1', (input) => (input.holidays = ['2026-11-23'])],
    ['a start off the slot grid', 'rule1', (_, plan) => Object.assign(at(plan, 0), { start: '2026-11-23T15:05', end: '2026-11-23T16:35' })],
    ['a visit outside the family windows', 'rule1', (_, plan) => Object.assign(at(plan, 0), { start: '2026-11-23T13:00', end: '2026-11-23T14:30' })],
    [
      'a visit outside working hours',
      'rule1',
      (input) =>
        (anna(input).workingHours = [
          { weekday: 1, start: '08:00', end: '16:00' },
          { weekday: 2, start: '08:00', end: '19:00' },
          { weekday: 3, start: '08:00', end: '19:00' },
          { weekday: 4, start: '08:00', end: '19:00' },
        ]),
    ],
    [
      'a visit on a day the therapist does not work',
      'rule1',
      (input) => (anna(input).workingHours = anna(input).workingHours.filter((h) => h.weekday !== 4)),
    ],
    ['a visit overlapping a busy block', 'rule2', (input) => (anna(input).busy = [{ start: '2026-11-23T16:00', end: '2026-11-23T17:00' }])],
    [
      'too little travel time after a meeting elsewhere',
      'rule2',
      (input) => (anna(input).busy = [{ start: '2026-11-23T12:00', end: '2026-11-23T14:30', place: 'Borgholm' }]),
    ],
    [
      'too little travel time between two visits',
      'rule2',
      (input, plan) => {
        family(input).maxSessionsPerDay = 2;
        Object.assign(at(plan, 2), { start: '2026-11-23T16:30', end: '2026-11-23T18:00' });
        plan.stats.travelMinutes = 530;
      },
    ],
    [
      'a first visit before hours start + travel from base',
      'rule2',
      (input) => (anna(input).workingHours = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '14:30', end: '19:00' }))),
    ],
    [
      'a last visit ending after hours end − travel home',
      'rule2',
      (input) => (anna(input).workingHours = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00' }))),
    ],
    [
      'a busy block spanning days (absence) over a visit',
      'rule2',
      (input) => (anna(input).busy = [{ start: '2026-11-25T00:00', end: '2026-11-27T12:00' }]),
    ],
    [
      'more family visits a day than maxSessionsPerDay',
      'rule3',
      (_, plan) => Object.assign(at(plan, 1), { start: '2026-11-23T17:00', end: '2026-11-23T18:00' }),
    ],
    [
      'two visits to a family at once',
      'rule3',
      (input, plan) => {
        family(input).maxSessionsPerDay = 2;
        Object.assign(at(plan, 1), { start: '2026-11-23T15:30', end: '2026-11-23T16:30' });
      },
    ],
    [
      'more visits for a therapist than maxVisitsPerDay',
      'rule4',
      (input, plan) => {
        anna(input).maxVisitsPerDay = 1;
        family(input).maxSessionsPerDay = 2;
        Object.assign(at(plan, 2), { start: '2026-11-23T16:45', end: '2026-11-23T18:15' });
      },
    ],
    [
      'more visits of a kind than its count',
      'rule5',
      (input) =>
        (family(input).sessions = [
          { kind: 'family', count: 1, minutes: 90 },
          { kind: 'individual', count: 2, minutes: 60 },
          { kind: 'joint', count: 1, minutes: 90 },
        ]),
    ],
    ['a family visit by the individual therapist', 'rule5', (_, plan) => (at(plan, 0).staff = ['bo'])],
    ['a joint visit with one therapist', 'rule5', (_, plan) => (at(plan, 2).staff = ['anna'])],
    ['a visit of the wrong length', 'shape', (_, plan) => (at(plan, 1).end = '2026-11-24T16:30')],
    ['wrong travel minutes in the stats', 'stats', (_, plan) => (plan.stats.travelMinutes = 500)],
    ['a wrong families-below-minimum figure', 'stats', (_, plan) => (plan.stats.familiesBelowMinimum = 1)],
    [
      'a shortfall that is not missing',
      'shortfalls',
      (_, plan) => plan.shortfalls.push({ family: 'KAL-2026-07', kind: 'joint', missing: 1, reason: 'x' }),
    ],
    [
      'a shortfall for a family that does not exist',
      'shortfalls',
      (_, plan) => plan.shortfalls.push({ family: 'KAL-2026-99', kind: 'joint', missing: 1, reason: 'x' }),
    ],
    [
      'a missing visit not reported as a shortfall',
      'shortfalls',
      (_, plan) => {
        plan.visits.pop();
        plan.stats.sessionsPlaced = 4;
        plan.stats.travelMinutes = 450;
      },
    ],
  ];

  it.each(cases)('catches %s (%s)', (_name, rule, mutate) => {
    // Arrange
    const input = exampleInput();
    const plan = validPlan();
    mutate(input, plan);

    // Act
    const violations = validatePlan(problemOf(input), plan);

    // Assert
    expect(violations.map((v) => v.rule)).toContain(rule);
  });

  it('catches a visit in the hour that does not exist when clocks go forward', () => {
    // Arrange: Sunday 29 March 2026, 02:00–03:00 does not exist in Stockholm.
    const input = exampleInput();
    input.week = '2026-W13';
    for (const s of input.staff) s.workingHours = [{ weekday: 7, start: '00:00', end: '06:00' }];
    family(input).place = 'Kalmar';
    family(input).sessions = [{ kind: 'individual', count: 1, minutes: 60 }];
    family(input).minSessions = 1;
    family(input).windows = [{ weekday: 7, start: '01:00', end: '05:00' }];
    const plan: PlanningResult = {
      week: '2026-W13',
      visits: [{ family: 'KAL-2026-07', kind: 'individual', staff: ['bo'], start: '2026-03-29T02:00', end: '2026-03-29T03:00', place: 'Kalmar' }],
      shortfalls: [],
      stats: { sessionsRequested: 1, sessionsPlaced: 1, familiesBelowMinimum: 0, travelMinutes: 20 },
    };

    // Act
    const violations = validatePlan(problemOf(input), plan);

    // Assert
    expect(violations.map((v) => v.rule)).toEqual(['rule1']);
  });
});

import { PlanningProblem, type PlanningProblemInput, type PlanningResult } from '../../../shared/schemas/planning.js';

export const weekdays = (start: string, end: string, days: number[] = [1, 2, 3, 4, 5]) => days.map((weekday) => ({ weekday, start, end }));

/** §4's example team (anna and bo from Kalmar, one family in Emmaboda) in 2026-W48, Mon 23 – Sun 29 Nov. */
export function exampleInput(): PlanningProblemInput {
  return {
    week: '2026-W48',
    timeZone: 'Europe/Stockholm',
    slotMinutes: 15,
    travelMinutes: {
      Kalmar: { Kalmar: 10, Emmaboda: 45, Borgholm: 35 },
      Emmaboda: { Kalmar: 45, Emmaboda: 10, Borgholm: 80 },
      Borgholm: { Kalmar: 35, Emmaboda: 80, Borgholm: 10 },
    },
    staff: [
      { id: 'anna', role: 'family_therapist', base: 'Kalmar', workingHours: weekdays('08:00', '19:00'), busy: [], maxVisitsPerDay: 3 },
      { id: 'bo', role: 'individual_therapist', base: 'Kalmar', workingHours: weekdays('08:00', '19:00'), busy: [], maxVisitsPerDay: 3 },
    ],
    families: [
      {
        id: 'KAL-2026-07',
        place: 'Emmaboda',
        familyTherapist: 'anna',
        individualTherapist: 'bo',
        sessions: [
          { kind: 'family', count: 2, minutes: 90 },
          { kind: 'individual', count: 2, minutes: 60 },
          { kind: 'joint', count: 1, minutes: 90 },
        ],
        minSessions: 4,
        windows: weekdays('15:00', '20:00'),
        maxSessionsPerDay: 1,
      },
    ],
  };
}

/** Parses an input problem (defaults filled in) the way the command and the API do. */
export function problemOf(input: PlanningProblemInput): PlanningProblem {
  return PlanningProblem.parse(input);
}

/** Sessions missing below each family's minimum: objective level (a). */
export function missingBelowMinimum(problem: PlanningProblem, result: PlanningResult): number {
  return problem.families.reduce((n, f) => n + Math.max(0, f.minSessions - result.visits.filter((v) => v.family === f.id).length), 0);
}

/** Visits of one staff member. */
export function visitsOf(result: PlanningResult, staff: string) {
  return result.visits.filter((v) => v.staff.includes(staff));
}

/** A deep copy, for variations of a fixture. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

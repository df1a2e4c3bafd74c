import { describe, expect, it } from 'vitest';
import { findStaffCollision } from '../../../shared/domain/booking/conflicts.js';
import { planWeek } from '../../../shared/domain/planning/index.js';
import { UNKNOWN_TRAVEL_WITHOUT_MATRIX, travelLookup } from '../../../shared/domain/planning/rules.js';
import type { PlanningProblem } from '../../../shared/schemas/planning.js';
import type { Engagement } from '../../../shared/schemas/engagement.js';

/**
 * Nybro is a place the travel matrix does not know (a place taken off the team's list while a meeting there is still
 * on anna's calendar): anna is at a meeting in Nybro until 11:00, and the family's only window is 11:00–12:00 in Kalmar.
 */
function problemWithUnknownDrive(): PlanningProblem {
  return {
    week: '2026-W48',
    timeZone: 'UTC',
    slotMinutes: 15,
    holidays: [],
    travelMinutes: { Kalmar: { Kalmar: 10, Emmaboda: 45 }, Emmaboda: { Kalmar: 45, Emmaboda: 10 } },
    staff: [
      {
        id: 'anna',
        role: 'family_therapist',
        base: 'Kalmar',
        workingHours: [{ weekday: 1, start: '08:00', end: '17:00' }],
        busy: [{ start: '2026-11-23T10:00', end: '2026-11-23T11:00', place: 'Nybro' }],
        maxVisitsPerDay: 3,
      },
      { id: 'bo', role: 'individual_therapist', base: 'Kalmar', workingHours: [], busy: [], maxVisitsPerDay: 3 },
    ],
    families: [
      {
        id: 'KAL-2026-07',
        place: 'Kalmar',
        familyTherapist: 'anna',
        individualTherapist: 'bo',
        sessions: [{ kind: 'family', count: 1, minutes: 60 }],
        minSessions: 1,
        windows: [{ weekday: 1, start: '11:00', end: '12:00' }],
        maxSessionsPerDay: 1,
      },
    ],
  };
}

const engagement = (ref: string, start: string, end: string, place: string): Engagement => ({
  ref,
  type: 'visit',
  start: `${start}:00.000Z`,
  end: `${end}:00.000Z`,
  place,
  version: 1,
  updatedAt: '',
});

describe('an unknown travel time (issue 25 §4)', () => {
  it('is the same for the planner and the booking guard: what the planner proposes, the guard books', () => {
    // Arrange
    const problem = problemWithUnknownDrive();
    const meeting = engagement('meeting:nybro', '2026-11-23T10:00', '2026-11-23T11:00', 'Nybro');

    // Act
    const plan = planWeek(problem);
    const refused = plan.visits.filter(
      (v) =>
        findStaffCollision([meeting], engagement(`visit:${v.family}`, v.start, v.end, v.place), travelLookup(problem.travelMinutes)) !== undefined,
    );

    // Assert
    expect(refused).toEqual([]);
    expect(plan.shortfalls.map((s) => s.family)).toEqual(['KAL-2026-07']);
  });

  it('is the longest drive the matrix knows, never 0', () => {
    // Arrange
    const travel = travelLookup({ Kalmar: { Kalmar: 10, Emmaboda: 45 }, Emmaboda: { Kalmar: 45, Emmaboda: 10 } });

    // Act and Assert
    expect(travel('Kalmar', 'Emmaboda')).toBe(45);
    expect(travel('Nybro', 'Kalmar')).toBe(45);
    expect(travel('Kalmar', 'Nybro')).toBe(45);
    expect(travelLookup({})('Nybro', 'Kalmar')).toBe(UNKNOWN_TRAVEL_WITHOUT_MATRIX);
  });
});

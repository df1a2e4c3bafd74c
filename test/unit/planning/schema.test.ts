import { describe, expect, it } from 'vitest';
import { type PlanningProblemInput, parsePlanningProblem } from '../../../shared/schemas/planning.js';
import { exampleInput } from './fixtures.js';

function errorsOf(mutate: (input: PlanningProblemInput) => void): string[] {
  const input = exampleInput();
  mutate(input);
  const parsed = parsePlanningProblem(input);
  return parsed.ok ? [] : parsed.errors.map((e) => `${e.path}: ${e.message}`);
}

const staff0 = (input: PlanningProblemInput) => {
  const s = input.staff[0];
  if (!s) throw new Error('fixture');
  return s;
};
const family0 = (input: PlanningProblemInput) => {
  const f = input.families[0];
  if (!f) throw new Error('fixture');
  return f;
};

describe('PlanningProblem schema', () => {
  it('accepts §4 example and fills in the defaults', () => {
    // Arrange
    const input = exampleInput();
    delete input.slotMinutes;
    delete staff0(input).busy;

    // Act
    const parsed = parsePlanningProblem(input);

    // Assert
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.problem.slotMinutes).toBe(15);
      expect(parsed.problem.staff[0]?.busy).toEqual([]);
    }
  });

  it.each<[string, (input: PlanningProblemInput) => void, string]>([
    ['unknown therapist', (i) => (family0(i).familyTherapist = 'zed'), 'families[0].familyTherapist: unknown staff id "zed"'],
    [
      'therapist with the wrong role',
      (i) => (family0(i).individualTherapist = 'anna'),
      'families[0].individualTherapist: staff "anna" has role family_therapist, expected individual_therapist',
    ],
    ['family place missing from the matrix', (i) => (family0(i).place = 'Nybro'), 'families[0].place: place "Nybro" is missing from travelMinutes'],
    ['staff base missing from the matrix', (i) => (staff0(i).base = 'Vimmerby'), 'staff[0].base: place "Vimmerby" is missing from travelMinutes'],
    [
      'busy place missing from the matrix',
      (i) => (staff0(i).busy = [{ start: '2026-11-23T10:00', end: '2026-11-23T11:00', place: 'Hultsfred' }]),
      'staff[0].busy[0].place: place "Hultsfred" is missing from travelMinutes',
    ],
    [
      'a missing pair in the matrix',
      (i) => delete i.travelMinutes.Kalmar?.Emmaboda,
      'travelMinutes.Kalmar.Emmaboda: no travel time from "Kalmar" to "Emmaboda"',
    ],
    [
      'busy end before start',
      (i) => (staff0(i).busy = [{ start: '2026-11-23T10:00', end: '2026-11-23T09:00' }]),
      'staff[0].busy[0].end: end must be after start',
    ],
    [
      'window end equal to start',
      (i) => (family0(i).windows = [{ weekday: 1, start: '15:00', end: '15:00' }]),
      'families[0].windows[0].end: end must be after start',
    ],
    ['malformed week', (i) => (i.week = '2026-48'), 'week: must be an ISO week YYYY-Www'],
    ['a week that does not exist', (i) => (i.week = '2027-W53'), 'week: is not a valid ISO week'],
    ['bad HH:mm', (i) => (family0(i).windows = [{ weekday: 1, start: '25:00', end: '26:00' }]), 'families[0].windows[0].start: must be a time HH:mm'],
    [
      'weekday 8',
      (i) => (family0(i).windows = [{ weekday: 8, start: '15:00', end: '16:00' }]),
      'families[0].windows[0].weekday: ISO weekday 1 (Monday) to 7 (Sunday)',
    ],
    ['slotMinutes not dividing a day', (i) => (i.slotMinutes = 7), 'slotMinutes: must divide 1440 (the minutes of a day)'],
    ['duplicate staff id', (i) => i.staff.push({ ...staff0(i) }), 'staff[2].id: duplicate staff id "anna"'],
    ['duplicate family id', (i) => i.families.push({ ...family0(i) }), 'families[1].id: duplicate family id "KAL-2026-07"'],
    [
      'two working-hours intervals on a weekday',
      (i) => staff0(i).workingHours.push({ weekday: 1, start: '19:00', end: '21:00' }),
      'staff[0].workingHours[5].weekday: weekday 1 has more than one interval',
    ],
    [
      'a session kind twice',
      (i) => family0(i).sessions.push({ kind: 'joint', count: 1, minutes: 60 }),
      'families[0].sessions[3].kind: kind joint appears more than once',
    ],
    ['minSessions above the mix', (i) => (family0(i).minSessions = 9), 'families[0].minSessions: minSessions (9) exceeds the sessions requested (5)'],
  ])('names the field for %s', (_name, mutate, expected) => {
    // Arrange, Act
    const errors = errorsOf(mutate);

    // Assert
    expect(errors).toContain(expected);
  });

  it('reports every bad cross-reference at once', () => {
    // Arrange, Act
    const errors = errorsOf((i) => {
      family0(i).familyTherapist = 'zed';
      family0(i).place = 'Nybro';
    });

    // Assert
    expect(errors).toEqual(['families[0].place: place "Nybro" is missing from travelMinutes', 'families[0].familyTherapist: unknown staff id "zed"']);
  });
});

describe('every problem named at once', () => {
  it('reports malformed fields and bad references together', () => {
    const input = exampleInput();
    const family = input.families[0];
    if (!family) throw new Error('fixture');
    family.individualTherapist = 'zed';
    family.place = 'Nybro';
    const parsed = parsePlanningProblem({ ...input, week: '2026-W60' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['week', 'families[0].place', 'families[0].individualTherapist']));
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateInstance, kalmarCountyTravelMatrix, planWeek, validatePlan } from '../../../shared/domain/planning/index.js';
import { problemOf } from './fixtures.js';

describe('Kalmar county travel matrix', () => {
  it('covers the 12 municipalities, is symmetric, and Kalmar–Västervik is about two hours', () => {
    // Arrange
    const places = Object.keys(kalmarCountyTravelMatrix);

    // Act
    const asymmetric = places.flatMap((a) => places.filter((b) => kalmarCountyTravelMatrix[a]?.[b] !== kalmarCountyTravelMatrix[b]?.[a]));

    // Assert
    expect(places).toHaveLength(12);
    expect(asymmetric).toEqual([]);
    expect(kalmarCountyTravelMatrix.Kalmar?.Västervik).toBeGreaterThanOrEqual(105);
    expect(kalmarCountyTravelMatrix.Kalmar?.Västervik).toBeLessThanOrEqual(135);
  });
});

describe('generateInstance', () => {
  it('gives the same instance for the same seed and a different one for another seed', () => {
    // Arrange, Act
    const a = generateInstance({ scale: 'county', seed: 11 });
    const b = generateInstance({ scale: 'county', seed: 11 });
    const c = generateInstance({ scale: 'county', seed: 12 });

    // Assert
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it.each([
    ['pilot', 4, [6, 8]],
    ['county', 16, [40, 40]],
    ['national', 60, [150, 150]],
  ] as const)('%s: %i therapists and the right number of families, valid input', (scale, staff, [fewest, most]) => {
    // Arrange, Act
    const problem = problemOf(generateInstance({ scale, seed: 3, absences: true }));

    // Assert
    expect(problem.staff).toHaveLength(staff);
    expect(problem.families.length).toBeGreaterThanOrEqual(fewest);
    expect(problem.families.length).toBeLessThanOrEqual(most);
  });

  it('county therapists are based in Kalmar, Oskarshamn and Västervik', () => {
    // Arrange, Act
    const bases = new Set(generateInstance({ scale: 'county' }).staff.map((s) => s.base));

    // Assert
    expect([...bases].sort()).toEqual(['Kalmar', 'Oskarshamn', 'Västervik']);
  });

  it('pilot instances of any seed, week and absences are planned validly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom('2026-W48', '2026-W52', '2026-W13', '2026-W43'),
        fc.boolean(),
        (seed, week, absences) => {
          // Arrange
          const problem = problemOf(generateInstance({ scale: 'pilot', seed, week, absences }));

          // Act
          const result = planWeek(problem);

          // Assert
          expect(validatePlan(problem, result)).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  });
});

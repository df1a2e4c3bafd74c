import { describe, expect, it } from 'vitest';
import {
  kalmarCountyJunctions,
  kalmarCountyPlaces,
  kalmarMunicipalities,
  kalmarRoadLinks,
  kalmarRoadRoute,
  kalmarTravelMatrix,
  type KalmarMunicipality,
  type KalmarRoadNode,
} from '../../shared/domain/kalmar-county.js';

const matrix = kalmarTravelMatrix();
const minutes = (a: KalmarMunicipality, b: KalmarMunicipality) => matrix[a]?.[b] ?? Number.NaN;
const coordinates: Record<KalmarRoadNode, readonly [number, number]> = { ...kalmarCountyPlaces, ...kalmarCountyJunctions };

/** Great-circle distance in km (haversine), the lower bound of any road between two points. */
function greatCircleKm([lat1, lon1]: readonly [number, number], [lat2, lon2]: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

const oland: KalmarMunicipality[] = ['Borgholm', 'Mörbylånga'];
const mainland = kalmarMunicipalities.filter((m) => !oland.includes(m));

describe('Kalmar county road travel', () => {
  it('covers the 12 municipalities, 15 min within one, symmetric, multiples of 5', () => {
    // Arrange, Act
    const pairs = kalmarMunicipalities.flatMap((a) => kalmarMunicipalities.map((b) => [a, b] as const));

    // Assert
    expect(Object.keys(matrix)).toHaveLength(12);
    expect(kalmarMunicipalities.map((m) => minutes(m, m))).toEqual(Array(12).fill(15));
    expect(pairs.filter(([a, b]) => minutes(a, b) !== minutes(b, a))).toEqual([]);
    expect(pairs.filter(([a, b]) => minutes(a, b) % 5 !== 0 || minutes(a, b) < 15)).toEqual([]);
  });

  it('keeps the triangle inequality for every triple (no detour is faster than the direct time)', () => {
    // Arrange, Act
    const violations = kalmarMunicipalities.flatMap((a) =>
      kalmarMunicipalities.flatMap((b) =>
        kalmarMunicipalities.filter((c) => a !== c && minutes(a, c) > minutes(a, b) + minutes(b, c)).map((c) => `${a}–${b}–${c}`),
      ),
    );

    // Assert
    expect(violations).toEqual([]);
  });

  it('agrees with known driving times', () => {
    // Arrange: commonly quoted driving times between the seats, with a margin of ±5 min for the rounding.
    const known: [KalmarMunicipality, KalmarMunicipality, number, number][] = [
      ['Kalmar', 'Borgholm', 30, 40], // ≈ 35 min over the bridge
      ['Kalmar', 'Mörbylånga', 20, 30], // ≈ 25 min
      ['Kalmar', 'Nybro', 20, 30], // ≈ 25 min, riksväg 25
      ['Kalmar', 'Oskarshamn', 55, 65], // ≈ 1 h, E22
      ['Kalmar', 'Västervik', 100, 115], // ≈ 1 h 45 min, E22
      ['Oskarshamn', 'Västervik', 45, 55], // ≈ 50 min, E22
      ['Västervik', 'Vimmerby', 40, 50], // ≈ 45 min, riksväg 40
    ];

    // Act
    const outside = known.filter(([a, b, lo, hi]) => minutes(a, b) < lo || minutes(a, b) > hi).map(([a, b]) => `${a}–${b}: ${minutes(a, b)}`);

    // Assert
    expect(outside).toEqual([]);
  });

  it('crosses Kalmarsund only over the Öland bridge', () => {
    // Arrange, Act
    const routes = oland.flatMap((o) => mainland.map((m) => kalmarRoadRoute(o, m)));
    const borgholmMorbylanga = kalmarRoadRoute('Borgholm', 'Mörbylånga');

    // Assert: every Öland–mainland route passes Färjestaden and Kalmar, one after the other.
    expect(routes).toHaveLength(20);
    for (const route of routes) expect(route.via.join(' ')).toMatch(/Färjestaden Kalmar/);
    expect(borgholmMorbylanga.via).toEqual(['Borgholm', 'Färjestaden', 'Mörbylånga']);
    // Torsås and Mörbylånga face each other across the sound (≈ 20 km of water), but the road goes round by the bridge.
    expect(minutes('Torsås', 'Mörbylånga')).toBeGreaterThanOrEqual(minutes('Kalmar', 'Torsås') + minutes('Kalmar', 'Mörbylånga') - 10);
    expect(minutes('Torsås', 'Mörbylånga')).toBeGreaterThan(60);
  });

  it('has no road link shorter than the straight line or longer than 1.5 times it plus 4 km', () => {
    // Arrange: the 4 km are for getting out of a town centre to the road (Kalmar's centre to the bridge at Svinö).
    const straight = (link: (typeof kalmarRoadLinks)[number]) => greatCircleKm(coordinates[link.from], coordinates[link.to]);

    // Act
    const implausible = kalmarRoadLinks
      .filter((link) => link.km < straight(link) || link.km > 1.5 * straight(link) + 4)
      .map((link) => `${link.from}–${link.to} ${link.km} km, straight ${straight(link).toFixed(1)} km`);

    // Assert
    expect(implausible).toEqual([]);
  });

  it('reaches every seat from every other', () => {
    // Arrange, Act
    const unreachable = kalmarMunicipalities.flatMap((a) => kalmarMunicipalities.filter((b) => !Number.isFinite(kalmarRoadRoute(a, b).minutes)));

    // Assert
    expect(unreachable).toEqual([]);
  });
});

/**
 * The 12 municipalities of Kalmar county and drive times between their centres, for demo data,
 * tests and benchmarks. Times are estimated from straight-line distance × 1.25 at 80 km/h, rounded
 * to 5 minutes, with 15 minutes within a municipality — close to real driving times, Kalmar to Västervik about 2 h.
 */
export const kalmarCountyPlaces = {
  Borgholm: [56.88, 16.65],
  Emmaboda: [56.63, 15.54],
  Hultsfred: [57.49, 15.84],
  Högsby: [57.17, 16.03],
  Kalmar: [56.66, 16.36],
  Mönsterås: [57.04, 16.44],
  Mörbylånga: [56.52, 16.38],
  Nybro: [56.74, 15.91],
  Oskarshamn: [57.26, 16.45],
  Torsås: [56.41, 16.0],
  Vimmerby: [57.67, 15.86],
  Västervik: [57.76, 16.64],
} as const satisfies Record<string, readonly [number, number]>;

export type KalmarMunicipality = keyof typeof kalmarCountyPlaces;
export const kalmarMunicipalities = Object.keys(kalmarCountyPlaces) as KalmarMunicipality[];

function km([lat1, lon1]: readonly [number, number], [lat2, lon2]: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}

/** Travel minutes between every pair of the given municipalities (all 12 by default). */
export function kalmarTravelMatrix(places: readonly KalmarMunicipality[] = kalmarMunicipalities): Record<string, Record<string, number>> {
  const matrix: Record<string, Record<string, number>> = {};
  for (const from of places) {
    const row: Record<string, number> = {};
    for (const to of places) {
      row[to] = from === to ? 15 : Math.max(15, Math.round(((km(kalmarCountyPlaces[from], kalmarCountyPlaces[to]) * 1.25) / 80) * 60 / 5) * 5);
    }
    matrix[from] = row;
  }
  return matrix;
}

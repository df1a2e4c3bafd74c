import dijkstra from 'dijkstrajs';

/**
 * The 12 municipalities of Kalmar county and road travel times between their seats, for demo data,
 * tests and benchmarks.
 *
 * Model: a small road network — the 12 municipal seats plus Färjestaden, the Öland end of the Öland
 * bridge — with one link per main road between neighbouring nodes, each with its road distance and a
 * typical average speed for that road (free-flowing traffic, including slowing through towns). Travel
 * time between two seats is the fastest route through the network (Dijkstra, `dijkstrajs`). Öland is
 * reached only over the bridge (Kalmar–Färjestaden, väg 137): Borgholm and Mörbylånga are connected to
 * the mainland through that single link, so every trip between Öland and the mainland crosses it, and
 * Borgholm–Mörbylånga goes through Färjestaden along väg 136. (The summer car ferry Byxelkrok–Oskarshamn
 * is left out: it runs a few months a year.)
 *
 * Sources of the figures: the road distances are best-knowledge values of the published driving
 * distances between the seats along the named roads (Trafikverket's road network, NVDB, as its and the
 * common route planners — Google Maps, Eniro — give them for these municipal centres), rounded to whole
 * kilometres and entered by hand: they were not looked up or fetched when this was written (the build
 * machine has no internet), so treat them as accurate to a few kilometres. They were cross-checked two ways, both asserted in `test/unit/kalmar-county.test.ts`: every link is at
 * least the great-circle distance between its ends and at most 1.5 times it plus 4 km (roads here are
 * not that winding; the 4 km for leaving a town centre), and the resulting times for well-known pairs
 * lie within the commonly quoted driving times: Kalmar–Borgholm about 35 min over the bridge,
 * Kalmar–Mörbylånga about 25 min, Kalmar–Nybro about 25 min, Kalmar–Oskarshamn about 1 h,
 * Kalmar–Västervik about 1 h 45 min.
 *
 * Rounding: each pair's time is rounded **up** to 5 minutes (so rounding never breaks the triangle
 * inequality, and the planner never assumes a drive shorter than the road allows), at least 15 minutes;
 * within one municipality 15 minutes (the family lives somewhere in it, not at the seat).
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

/** Road junctions of the network that are not municipal seats. */
export const kalmarCountyJunctions = {
  /** Färjestaden (Mörbylånga municipality), where the Öland bridge lands: väg 136 north and south. */
  Färjestaden: [56.65, 16.46],
} as const satisfies Record<string, readonly [number, number]>;

export type KalmarRoadNode = KalmarMunicipality | keyof typeof kalmarCountyJunctions;

export interface RoadLink {
  from: KalmarRoadNode;
  to: KalmarRoadNode;
  /** Road distance, km. */
  km: number;
  /** Typical average speed on this stretch, km/h. */
  kmh: number;
  road: string;
}

/** The road links (both directions): main roads between neighbouring seats. */
export const kalmarRoadLinks: readonly RoadLink[] = [
  // Öland: the bridge is the only link to the mainland.
  { from: 'Kalmar', to: 'Färjestaden', km: 10, kmh: 60, road: 'Ölandsbron (väg 137), through Kalmar' },
  { from: 'Färjestaden', to: 'Borgholm', km: 31, kmh: 80, road: 'väg 136 north' },
  { from: 'Färjestaden', to: 'Mörbylånga', km: 17, kmh: 75, road: 'väg 136 south' },
  // South and west of Kalmar.
  { from: 'Kalmar', to: 'Nybro', km: 30, kmh: 85, road: 'riksväg 25' },
  { from: 'Nybro', to: 'Emmaboda', km: 28, kmh: 75, road: 'county road Nybro–Emmaboda' },
  { from: 'Kalmar', to: 'Torsås', km: 50, kmh: 80, road: 'E22 south, county road from Söderåkra' },
  { from: 'Emmaboda', to: 'Torsås', km: 42, kmh: 70, road: 'county road via Vissefjärda' },
  // North along the coast: E22.
  { from: 'Kalmar', to: 'Mönsterås', km: 45, kmh: 80, road: 'E22 north, last stretch county road' },
  { from: 'Mönsterås', to: 'Oskarshamn', km: 33, kmh: 80, road: 'county road to E22, E22 north' },
  { from: 'Kalmar', to: 'Oskarshamn', km: 80, kmh: 84, road: 'E22' },
  { from: 'Oskarshamn', to: 'Västervik', km: 68, kmh: 88, road: 'E22' },
  // Inland.
  { from: 'Västervik', to: 'Vimmerby', km: 60, kmh: 80, road: 'riksväg 40' },
  { from: 'Vimmerby', to: 'Hultsfred', km: 27, kmh: 75, road: 'riksväg 23/34' },
  { from: 'Hultsfred', to: 'Högsby', km: 42, kmh: 75, road: 'riksväg 34 via Målilla' },
  { from: 'Högsby', to: 'Kalmar', km: 66, kmh: 80, road: 'riksväg 34' },
  { from: 'Högsby', to: 'Mönsterås', km: 35, kmh: 70, road: 'county road via Fliseryd' },
  { from: 'Högsby', to: 'Oskarshamn', km: 38, kmh: 75, road: 'riksväg 37' },
  { from: 'Högsby', to: 'Nybro', km: 55, kmh: 75, road: 'county road via Alsterbro' },
  { from: 'Hultsfred', to: 'Oskarshamn', km: 62, kmh: 75, road: 'riksväg 23/37' },
];

/** The network as `dijkstrajs` takes it: node → neighbour → minutes. */
function roadGraph(): Record<string, Record<string, number>> {
  const graph: Record<string, Record<string, number>> = {};
  for (const link of kalmarRoadLinks) {
    const minutes = (link.km / link.kmh) * 60;
    (graph[link.from] ??= {})[link.to] = minutes;
    (graph[link.to] ??= {})[link.from] = minutes;
  }
  return graph;
}

const graph = /* @__PURE__ */ (() => roadGraph())();

export interface RoadRoute {
  /** The nodes passed, both ends included. */
  via: KalmarRoadNode[];
  km: number;
  /** Unrounded driving minutes. */
  minutes: number;
}

/** The fastest road route between two municipal seats. */
export function kalmarRoadRoute(from: KalmarMunicipality, to: KalmarMunicipality): RoadRoute {
  if (from === to) return { via: [from], km: 0, minutes: 0 };
  const via = dijkstra.find_path(graph, from, to) as KalmarRoadNode[];
  let km = 0;
  let minutes = 0;
  for (let i = 1; i < via.length; i++) {
    const a = via[i - 1];
    const b = via[i];
    const link = kalmarRoadLinks.find((l) => (l.from === a && l.to === b) || (l.from === b && l.to === a));
    if (!link) throw new Error(`no road link ${a}–${b}`);
    km += link.km;
    minutes += (link.km / link.kmh) * 60;
  }
  return { via, km, minutes };
}

/** Minutes within one municipality, and the least between two. */
export const WITHIN_MUNICIPALITY_MINUTES = 15;

/** Travel minutes between every pair of the given municipalities (all 12 by default). */
export function kalmarTravelMatrix(places: readonly KalmarMunicipality[] = kalmarMunicipalities): Record<string, Record<string, number>> {
  const matrix: Record<string, Record<string, number>> = {};
  for (const from of places) {
    const row: Record<string, number> = {};
    for (const to of places) {
      row[to] =
        from === to ? WITHIN_MUNICIPALITY_MINUTES : Math.max(WITHIN_MUNICIPALITY_MINUTES, Math.ceil(kalmarRoadRoute(from, to).minutes / 5) * 5);
    }
    matrix[from] = row;
  }
  return matrix;
}

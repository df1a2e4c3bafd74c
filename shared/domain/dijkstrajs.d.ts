/** Types for `dijkstrajs` 1.0.x (MIT, no bundled types): the functions this project uses. */
declare module 'dijkstrajs' {
  /** Adjacency: node → neighbour → non-negative edge cost. */
  export type Graph = Record<string, Record<string, number>>;
  const dijkstra: {
    /** Predecessor of every node reachable from `source`; throws when `target` is given and unreachable. */
    single_source_shortest_paths(graph: Graph, source: string, target?: string): Record<string, string>;
    /** The nodes of a cheapest path from `source` to `target`, both included; throws when there is none. */
    find_path(graph: Graph, source: string, target: string): string[];
  };
  export default dijkstra;
}

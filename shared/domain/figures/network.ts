import { notCountFields, suppressSmallCells } from './suppress.js';

type Node = Record<string, unknown>;
const isGroup = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const hidden = (v: unknown): boolean => typeof v === 'string';

/**
 * What the network view leaves out or withholds of a team's (or the network's) exact figures, before suppression:
 * nothing that is one case's own value. Extremes (age ranges, the longest wait, the shortest and longest stay) are
 * dropped; a median or mean over `threshold` cases or fewer (where it could be one family's value) becomes null.
 */
export function withoutCaseValues<T>(figures: T, threshold: number): T {
  const f = structuredClone(figures) as Node;
  const at = (path: string[]): Node | undefined => path.reduce<unknown>((n, k) => (isGroup(n) ? n[k] : undefined), f) as Node | undefined;
  const count = (path: string[], key: string): number => {
    const v = at(path)?.[key];
    return typeof v === 'number' ? v : 0;
  };
  const youngPeople = at(['youngPeople']);
  if (youngPeople) delete youngPeople['ageRangeByGender'];
  const waiting = at(['referrals', 'waitingDays']);
  if (waiting) {
    delete waiting['max'];
    if (count(['cases'], 'started') <= threshold) waiting['median'] = null;
  }
  const stay = at(['lengthOfStayDays']);
  if (stay) {
    delete stay['min'];
    delete stay['max'];
    if (count(['cases'], 'completed') <= threshold) stay['median'] = null;
  }
  const perWeek = at(['delivery', 'perFamilyWeek']);
  if (perWeek && count(['cases'], 'activeDuring') <= threshold) {
    perWeek['mean'] = null;
    perWeek['median'] = null;
  }
  return f as T;
}

/** Paths of every count (integer leaf outside the statistics) in a figures object. */
function countPaths(node: Node, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(node)) {
    if (notCountFields.has(k)) continue;
    if (isGroup(v)) out.push(...countPaths(v, [...prefix, k]));
    else if (typeof v === 'number' && Number.isInteger(v)) out.push([...prefix, k]);
  }
  return out;
}
const parentOf = (root: Node, path: string[]): Node | undefined =>
  path.slice(0, -1).reduce<unknown>((n, k) => (isGroup(n) ? n[k] : undefined), root) as Node | undefined;
const valueAt = (root: Node, path: string[]): unknown => parentOf(root, path)?.[path[path.length - 1] ?? ''];

/** Hides the smallest visible non-zero count among `cells` ("x"); false when there is none. */
function hideSmallest(cells: { node: Node; key: string }[]): boolean {
  const next = cells
    .map((c) => ({ ...c, v: c.node[c.key] }))
    .filter((c): c is { node: Node; key: string; v: number } => typeof c.v === 'number' && c.v > 0)
    .sort((a, b) => a.v - b.v)[0];
  if (!next) return false;
  next.node[next.key] = 'x';
  return true;
}

/** Within one figures object: a group of sibling counts with exactly one hidden cell gets a second one hidden. */
function completeGroups(node: Node): boolean {
  let changed = false;
  const siblings: { node: Node; key: string }[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (notCountFields.has(k)) continue;
    if (isGroup(v)) changed = completeGroups(v) || changed;
    else if (hidden(v) || (typeof v === 'number' && Number.isInteger(v))) siblings.push({ node, key: k });
  }
  if (siblings.length > 1 && siblings.filter((s) => hidden(s.node[s.key])).length === 1) changed = hideSmallest(siblings) || changed;
  return changed;
}

/**
 * The network figures as they may leave the teams: each team's row and the total are stripped of case values and
 * small-cell suppressed with the existing `suppressSmallCells` (counts 1..threshold → "<threshold", complementary "x"
 * within a group), and then, because the total is the sum of the rows, complementary suppression across the rows too:
 * wherever exactly one team's cell is hidden under a visible total, the next-smallest team cell is hidden as well
 * (or the total, if no other team has any). Repeated until nothing changes, so no hidden cell can be recovered by
 * subtraction from a total or from its siblings.
 */
export function suppressNetwork<R extends { figures: unknown }, T>(rows: readonly R[], total: T, threshold: number): { rows: R[]; total: T } {
  const paths = countPaths(withoutCaseValues(total, threshold) as Node);
  const outRows = rows.map((r) => ({ ...r, figures: suppressSmallCells(withoutCaseValues(r.figures, threshold), threshold) }));
  const outTotal = suppressSmallCells(withoutCaseValues(total, threshold), threshold) as Node;
  const figs = outRows.map((r) => r.figures as Node);
  for (let changed = true; changed;) {
    changed = false;
    for (const path of paths) {
      const key = path[path.length - 1] ?? '';
      const cells = figs.flatMap((f) => {
        const node = parentOf(f, path);
        return node && key in node ? [{ node, key }] : [];
      });
      if (typeof valueAt(outTotal, path) !== 'number' || cells.filter((c) => hidden(c.node[c.key])).length !== 1) continue;
      const totalNode = parentOf(outTotal, path);
      if (!hideSmallest(cells) && totalNode) totalNode[key] = 'x';
      changed = true;
    }
    for (const f of [...figs, outTotal]) changed = completeGroups(f) || changed;
  }
  return { rows: outRows, total: outTotal as T };
}

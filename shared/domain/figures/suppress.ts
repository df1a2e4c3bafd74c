/** Fields that are not counts (statistics, ranges) and are not cell-suppressed themselves. */
export const notCountFields = new Set(['period', 'waitingDays', 'perFamilyWeek', 'lengthOfStayDays', 'ageRangeByGender']);

const isGroup = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Small-cell suppression for figures that leave the team: a count between 1 and `threshold` becomes "≤threshold"
 * (true for every value it hides, the threshold itself included — "<3" for a 3 was not: issue 24 §6);
 * where a group of sibling counts would then hide exactly one cell, the next-smallest non-zero cell is hidden too ("x"),
 * so the hidden one cannot be recovered from a total. Age ranges of a suppressed gender are dropped.
 */
export function suppressSmallCells<T>(figures: T, threshold: number): T {
  const small = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= threshold;
  const label = `≤${threshold}`;
  const walk = (node: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const counts: [string, number][] = [];
    for (const [k, v] of Object.entries(node)) {
      if (notCountFields.has(k)) out[k] = v;
      else if (isGroup(v)) out[k] = walk(v);
      else if (typeof v === 'number' && Number.isInteger(v)) {
        counts.push([k, v]);
        out[k] = small(v) ? label : v;
      } else out[k] = v;
    }
    const hidden = counts.filter(([, v]) => small(v));
    if (hidden.length === 1 && counts.length > 1) {
      const next = counts.filter(([, v]) => v > threshold).sort((a, b) => a[1] - b[1])[0];
      if (next) out[next[0]] = 'x';
    }
    return out;
  };
  const result = walk(figures as Record<string, unknown>);
  const yp = result['youngPeople'];
  if (isGroup(yp) && isGroup(yp['ageRangeByGender']) && isGroup(yp['byGender'])) {
    const byGender = yp['byGender'];
    yp['ageRangeByGender'] = Object.fromEntries(
      Object.entries(yp['ageRangeByGender']).map(([g, r]) => [g, typeof byGender[g] === 'number' ? r : null]),
    );
  }
  return result as T;
}

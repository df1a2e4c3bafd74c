import { stringify } from 'csv-stringify/sync';

/** Swedish names of the top-level figure groups, for the steering group's spreadsheet. */
const groupNames: Record<string, string> = {
  cases: 'Ärenden',
  referrals: 'Remisser',
  inquiries: 'Förfrågningar och konsultationer',
  youngPeople: 'Ungdomar',
  delivery: 'Genomförda besök',
  cancellations: 'Avbokningar',
  lengthOfStayDays: 'Vårdtid (dagar)',
  outcomes: 'Resultat vid avslut',
  tallies: 'Remissorsaker och diagnosgrupper (år)',
};

/** One row per figure and breakdown: [group, figure, breakdown, value]. */
export function figureRows(figures: Record<string, unknown>): string[][] {
  const rows: string[][] = [];
  const walk = (group: string, path: string[], v: unknown): void => {
    if (Array.isArray(v)) rows.push([group, path[0] ?? '', path.slice(1).join('.'), v.join('–')]);
    else if (typeof v === 'object' && v !== null) for (const [k, child] of Object.entries(v)) walk(group, [...path, k], child);
    else rows.push([group, path[0] ?? '', path.slice(1).join('.'), v === null || v === undefined ? '' : String(v)]);
  };
  for (const [key, value] of Object.entries(figures)) if (key !== 'period') walk(groupNames[key] ?? key, [], value);
  return rows;
}

/** The figures as CSV for Swedish Excel: UTF-8 with BOM, `;` separator, decimal comma, CRLF. */
export function figuresCsv(figures: { period: { from: string; to: string } }): string {
  const rows = figureRows(figures as Record<string, unknown>).map((r) =>
    r.map((cell, i) => (i === 3 && /^-?\d+\.\d+$/.test(cell) ? cell.replace('.', ',') : cell)),
  );
  return (
    '\ufeff' +
    stringify([[`Period ${figures.period.from} – ${figures.period.to}`, '', '', ''], ['Område', 'Figur', 'Uppdelning', 'Värde'], ...rows], {
      delimiter: ';',
      record_delimiter: 'windows',
    })
  );
}

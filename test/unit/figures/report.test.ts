import { describe, expect, it } from 'vitest';
import { finalizeFigures } from '../../../shared/domain/figures/finalize.js';
import { barChart, caseChart, caseLabel, renderReport } from '../../../shared/domain/figures/report.js';
import type { ReportData } from '../../../shared/domain/figures/report.js';

const widths = (svg: string, cls: string): number[] =>
  [...svg.matchAll(new RegExp(`<rect class="${cls}" [^>]*width="([\\d.]+)"`, 'g'))].map((m) => Number(m[1]));

describe('the printable report (pure rendering)', () => {
  it('labels cases A…Z, then AA, AB … like spreadsheet columns', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(caseLabel)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('bars are to scale; hidden cells are equal stubs outside the scale, so their values cannot be read off', () => {
    const svg = barChart('t', [
      { label: 'a', value: 10 },
      { label: 'b', value: 5 },
      { label: 'c', value: '≤3' },
      { label: 'd', value: 'x' },
      { label: 'e', value: 0 },
    ]);
    const [a, b, e] = widths(svg, 'bar');
    expect(a).toBeCloseTo(2 * (b ?? 0));
    expect(e).toBe(0);
    expect(widths(svg, 'bar hidden')).toEqual([14, 14]);
    // A hidden value never sets the scale: the same chart without them has the same bar widths.
    expect(
      widths(
        barChart('t', [
          { label: 'a', value: 10 },
          { label: 'b', value: 5 },
        ]),
        'bar',
      ),
    ).toEqual([a, b]);
    expect(svg).toContain('Streckade staplar är dolda små tal');
  });

  it('a case chart has one point per family-week, a line through them and the 4–5 band', () => {
    const svg = caseChart({
      label: 'C',
      minSessions: 4,
      weeks: [
        { week: '2026-W45', done: 5 },
        { week: '2026-W46', done: 3 },
        { week: '2026-W47', done: 4 },
      ],
    });
    expect(svg.match(/<circle class="point/g)).toHaveLength(3);
    expect(svg.match(/<circle class="point below"/g)).toHaveLength(1);
    expect(svg).toMatch(/<path class="line" d="M[\d.,]+L[\d.,]+L[\d.,]+"/);
    const band = /<rect class="target-band" [^>]*y="([\d.]+)" height="([\d.]+)"/.exec(svg);
    expect(Number(band?.[2])).toBeGreaterThan(0);
  });

  it('escapes what it prints and has no script', () => {
    const figures = finalizeFigures(new Map(), { from: '2026-01', to: '2026-01' }, ['Kalmar', 'A&<b>']);
    const data: ReportData = {
      teamName: '<script>alert(1)</script>',
      period: figures.period,
      share: false,
      codes: false,
      threshold: 3,
      figures: { ...figures, tallies: { '2026': { cases: 0 } } },
      monthly: { started: { '2026-01': 0 }, completed: { '2026-01': 0 } },
      yearly: { '2026': { activeDuring: 0, started: 0, completed: 0, referrals: 0, declined: 0, inquiries: 0 } },
      visitsPerFamilyWeek: {},
      cases: [],
      foldedFamilyWeeks: 0,
    };
    const html = renderReport(data);
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('A&amp;&lt;b&gt;');
    expect(html).toContain('Inga avslutade ärenden i perioden.');
  });
});

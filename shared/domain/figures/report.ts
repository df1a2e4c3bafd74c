import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { DateTime } from 'luxon';
import { outcomeFields } from './contribution.js';
import {
  cancelReasons,
  completionTypes,
  declineReasons,
  genders,
  inquiryChannels,
  inquiryKinds,
  inquiryOutcomes,
  inquirySources,
} from '../categories.js';
import type { Figures } from './finalize.js';

/** One live case's delivered visits per family-week in the period (the per-case chart). */
export interface CaseDelivery {
  label: string;
  minSessions: number;
  weeks: { week: string; done: number }[];
}

/** A count as shown: exact, or hidden for sharing ("≤3", or "x" for a complementary suppression). */
export type Cell = number | string;

/** Everything the printable report shows. In a shared report the counts may be strings ("≤3", "x"). */
export interface ReportData {
  teamName: string;
  period: { from: string; to: string };
  share: boolean;
  codes: boolean;
  threshold: number;
  figures: Figures & { tallies: Record<string, Record<string, number>> };
  monthly: { started: Record<string, Cell>; completed: Record<string, Cell> };
  /** Per calendar year of the period (clipped to it), as on the slides ("nine cases in 2024"). */
  yearly: Record<string, { activeDuring: Cell; started: Cell; completed: Cell; referrals: Cell; declined: Cell; inquiries: Cell }>;
  /** Done visits in a family-week → how many family-weeks had that many. */
  visitsPerFamilyWeek: Record<string, Cell>;
  /** Live cases only, in order of start; empty in a shared report. */
  cases: CaseDelivery[];
  /** Family-weeks of the period held only by the anonymous rollups of purged cases (no per-case chart). */
  foldedFamilyWeeks: number;
  readCapacity?: number;
}

/** Spreadsheet-style case labels: A…Z, AA, AB … (bijective base 26). */
export function caseLabel(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** The target band of §4: 4–5 visits a family-week. */
export const targetBand = [4, 5] as const;

const sv = {
  source: { socialtjanst: 'Socialtjänsten', bup: 'BUP' } as Record<string, string>,
  decision: { accepted: 'Antagna', declined: 'Avvisade', pending: 'Ej beslutade' } as Record<string, string>,
  declineReason: {
    outside_target_group: 'Utanför målgruppen',
    family_declined: 'Familjen tackade nej',
    other_care_more_suitable: 'Annan insats lämpligare',
    no_capacity: 'Ingen plats',
    other: 'Annat',
  } as Record<string, string>,
  completion: {
    as_planned: 'Enligt plan',
    ended_early_family: 'Avbrutet av familjen',
    ended_early_team: 'Avbrutet av teamet',
    moved: 'Familjen flyttade',
    other: 'Annat',
  } as Record<string, string>,
  cancelBy: { byFamily: 'Av familjen', byTeam: 'Av teamet', noShow: 'Uteblivet besök' } as Record<string, string>,
  cancelReason: {
    illness: 'Sjukdom',
    family_unavailable: 'Familjen förhindrad',
    staff_unavailable: 'Personal förhindrad',
    crisis: 'Kris',
    weather_travel: 'Väder eller resa',
    rescheduled: 'Ombokat',
    treatment_ended: 'Behandlingen avslutad',
    staff_absence: 'Personalfrånvaro',
    other: 'Annat',
  } as Record<string, string>,
  gender: { girl: 'Flickor', boy: 'Pojkar', other: 'Annat', unknown: 'Okänt' } as Record<string, string>,
  kind: { family: 'Familjebesök', individual: 'Individuella besök', joint: 'Gemensamma besök' } as Record<string, string>,
  inquiryKind: { inquiry: 'Förfrågan', consultation: 'Rådfrågning', information: 'Information' } as Record<string, string>,
  inquiryChannel: { in_passing: 'I förbifarten', phone: 'Telefon', meeting: 'Möte', email: 'E-post', video: 'Video' } as Record<string, string>,
  inquirySource: { socialtjanst: 'Socialtjänsten', bup: 'BUP', school: 'Skolan', other: 'Annan' } as Record<string, string>,
  inquiryOutcome: { referral_expected: 'Remiss väntas', advice_given: 'Råd gavs', not_target_group: 'Inte målgruppen', other: 'Annat' } as Record<
    string,
    string
  >,
  outcomeField: {
    schoolAttendance: 'Skolnärvaro jämfört med start',
    kaa: 'Kommit i gång inom kommunala aktivitetsansvaret (KAA)',
    continuedCare: 'Fortsatt stöd efter IKB',
    livingAtHome: 'Bor hemma vid avslut',
    mentalHealth: 'Psykisk hälsa',
    conflictLevel: 'Konfliktnivå (förbättrad = lägre)',
    opennessToCare: 'Mottaglighet för fortsatt behandling',
    symptoms: 'Symtom (förbättrad = minskade)',
    mutualUnderstanding: 'Förståelse för varandra',
  } as Record<string, string>,
  outcomeValue: {
    increased: 'Ökad',
    started: 'Påbörjad',
    unchanged: 'Oförändrad',
    decreased: 'Minskad',
    unknown: 'Okänt',
    yes: 'Ja',
    no: 'Nej',
    bup: 'Endast BUP',
    socialtjanst: 'Endast socialtjänsten',
    both: 'Både BUP och socialtjänsten',
    none: 'Inget',
    better: 'Förbättrad',
    worse: 'Försämrad',
  } as Record<string, string>,
  concern: {
    self_harm: 'Självskada',
    suicidality: 'Suicidalitet',
    risk_behaviour: 'Riskbeteende',
    drugs: 'Droger',
    parental_conflict: 'Samarbetssvårigheter mellan föräldrar',
    high_conflict_level: 'Hög konfliktnivå',
    low_school_attendance: 'Låg skolnärvaro',
    inpatient_care: 'Inlagd i heldygnsvård',
    low_treatment_adherence: 'Låg följsamhet till behandling',
  } as Record<string, string>,
  diagnosis: {
    behaviour_disorder: 'Beteendestörning',
    adhd: 'ADHD',
    add: 'ADD',
    stress_reaction: 'Reaktion på svår stress',
    anxiety_depression: 'Blandad ångest och depression / depression',
    gad: 'Generaliserat ångestsyndrom (GAD)',
    social_phobia: 'Social fobi',
    ocd: 'Tvångstankar, tvångshandlingar',
  } as Record<string, string>,
};

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => entities[c] ?? c);
// Created on the first report, not at module load: ICU's Swedish number data costs ≈ 10 ms, and the figures
// functions that share this module never format a number (issue 14 §2, cold starts).
let swedishNumbers: Intl.NumberFormat | undefined;
const number = { format: (v: number): string => (swedishNumbers ??= new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 2 })).format(v) };
/** A figure as text: Swedish number format, a hidden cell as it is, nothing as "–". */
const show = (v: unknown): string => (typeof v === 'number' ? number.format(v) : typeof v === 'string' ? v : '–');
const isHidden = (v: unknown): v is string => typeof v === 'string';
const monthLabel = (m: string): string => DateTime.fromISO(`${m}-01`).setLocale('sv').toFormat('LLL yyyy');
const monthsOf = (from: string, to: string): string => (from === to ? monthLabel(from) : `${monthLabel(from)} – ${monthLabel(to)}`);

interface Bar {
  label: string;
  value: Cell;
}

/** Hatched placeholder for hidden cells: same size whatever the hidden value, so it cannot be read off the chart. */
const defs = `<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#777" stroke-width="2"/></pattern></defs>`;
const hiddenStub = 14;

/** A horizontal bar chart on a d3 band scale (categories) and linear scale (counts); hidden cells are drawn as equal hatched stubs, not to scale. */
export function barChart(title: string, bars: readonly Bar[], options: { width?: number } = {}): string {
  const width = options.width ?? 640;
  const labelWidth = 250;
  const rowHeight = 22;
  const top = 8;
  const height = top + bars.length * rowHeight + 26;
  const y = scaleBand<number>()
    .domain(bars.map((_, i) => i))
    .range([top, top + bars.length * rowHeight])
    .padding(0.2);
  const visible = bars.map((b) => b.value).filter((v): v is number => typeof v === 'number');
  const x = scaleLinear()
    .domain([0, Math.max(1, ...visible)])
    .nice()
    .range([labelWidth, width - 60]);
  const ticks = x.ticks(Math.min(5, x.domain()[1] ?? 1)).filter(Number.isInteger);
  const axisY = top + bars.length * rowHeight;
  const grid = ticks
    .map(
      (t) =>
        `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${axisY}"/><text class="tick" x="${x(t)}" y="${axisY + 14}" text-anchor="middle">${number.format(t)}</text>`,
    )
    .join('');
  const rows = bars.map((b, i) => {
    const yy = y(i) ?? 0;
    const h = y.bandwidth();
    const label = `<text class="label" x="${labelWidth - 6}" y="${yy + h / 2}" dy="0.35em" text-anchor="end">${escapeHtml(b.label)}</text>`;
    if (isHidden(b.value)) {
      return `${label}<rect class="bar hidden" x="${x(0)}" y="${yy}" width="${hiddenStub}" height="${h}" fill="url(#hatch)" stroke="#777"><title>${escapeHtml(b.label)}: ${escapeHtml(b.value)} (dolt, inte skalenligt)</title></rect><text class="value" x="${x(0) + hiddenStub + 4}" y="${yy + h / 2}" dy="0.35em">${escapeHtml(b.value)}</text>`;
    }
    const w = Math.max(0, x(b.value) - x(0));
    return `${label}<rect class="bar" x="${x(0)}" y="${yy}" width="${w}" height="${h}"><title>${escapeHtml(b.label)}: ${show(b.value)}</title></rect><text class="value" x="${x(0) + w + 4}" y="${yy + h / 2}" dy="0.35em">${show(b.value)}</text>`;
  });
  return figure(
    title,
    `<svg class="chart bar-chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${defs}${grid}<line class="axis" x1="${x(0)}" x2="${x(0)}" y1="${top}" y2="${axisY}"/>${rows.join('')}</svg>`,
    bars.some((b) => isHidden(b.value)),
  );
}

/** Cases started and completed per month: grouped columns on d3 band scales. */
export function monthlyChart(title: string, monthly: ReportData['monthly']): string {
  const months = Object.keys(monthly.started);
  const series = [
    ['started', 'Påbörjade'],
    ['completed', 'Avslutade'],
  ] as const;
  const width = 680;
  const height = 240;
  const margin = { top: 24, right: 10, bottom: 40, left: 36 };
  const x0 = scaleBand()
    .domain(months)
    .range([margin.left, width - margin.right])
    .paddingInner(0.15);
  const x1 = scaleBand()
    .domain(series.map(([k]) => k))
    .range([0, x0.bandwidth()])
    .padding(0.05);
  const visible = months.flatMap((m) => series.map(([k]) => monthly[k][m])).filter((v): v is number => typeof v === 'number');
  const y = scaleLinear()
    .domain([0, Math.max(1, ...visible)])
    .nice()
    .range([height - margin.bottom, margin.top]);
  const ticks = y.ticks(Math.min(5, y.domain()[1] ?? 1)).filter(Number.isInteger);
  const every = Math.ceil(months.length / 12);
  const grid = ticks
    .map(
      (t) =>
        `<line class="grid" x1="${margin.left}" x2="${width - margin.right}" y1="${y(t)}" y2="${y(t)}"/><text class="tick" x="${margin.left - 4}" y="${y(t)}" dy="0.35em" text-anchor="end">${number.format(t)}</text>`,
    )
    .join('');
  const bars = months
    .map((m, i) => {
      const bx = x0(m) ?? 0;
      const cols = series
        .map(([k, name]) => {
          const v = monthly[k][m];
          const cx = bx + (x1(k) ?? 0);
          const w = x1.bandwidth();
          if (isHidden(v))
            return `<rect class="bar ${k} hidden" x="${cx}" y="${y(0) - hiddenStub}" width="${w}" height="${hiddenStub}" fill="url(#hatch)" stroke="#777"><title>${name} ${monthLabel(m)}: ${escapeHtml(v)} (dolt, inte skalenligt)</title></rect>`;
          const n = typeof v === 'number' ? v : 0;
          return `<rect class="bar ${k}" x="${cx}" y="${y(n)}" width="${w}" height="${y(0) - y(n)}"><title>${name} ${monthLabel(m)}: ${number.format(n)}</title></rect>`;
        })
        .join('');
      const label =
        i % every === 0
          ? `<text class="tick" x="${bx + x0.bandwidth() / 2}" y="${height - margin.bottom + 14}" text-anchor="middle">${DateTime.fromISO(`${m}-01`)
              .setLocale('sv')
              .toFormat(months.length > 12 ? 'LLL yy' : 'LLL')}</text>`
          : '';
      return cols + label;
    })
    .join('');
  const legend = series
    .map(
      ([k, name], i) =>
        `<rect class="bar ${k} key" x="${margin.left + i * 110}" y="4" width="10" height="10"/><text class="label" x="${margin.left + i * 110 + 14}" y="13">${name}</text>`,
    )
    .join('');
  const anyHidden = months.some((m) => series.some(([k]) => isHidden(monthly[k][m])));
  return figure(
    title,
    `<svg class="chart monthly-chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${defs}${grid}<line class="axis" x1="${margin.left}" x2="${width - margin.right}" y1="${y(0)}" y2="${y(0)}"/>${bars}${legend}</svg>`,
    anyHidden,
  );
}

/** One case's done visits per family-week against the 4–5 band: a d3-shape line with one point per family-week. */
export function caseChart(c: CaseDelivery): string {
  const width = 220;
  const height = 130;
  const margin = { top: 8, right: 8, bottom: 22, left: 24 };
  const n = c.weeks.length;
  const x = scaleLinear()
    .domain([1, Math.max(2, n)])
    .range([margin.left + 4, width - margin.right - 4]);
  const y = scaleLinear()
    .domain([0, Math.max(6, ...c.weeks.map((w) => w.done))])
    .nice()
    .range([height - margin.bottom, margin.top]);
  const points = c.weeks.map((w, i) => [x(i + 1), y(w.done)] as [number, number]);
  const path = line()(points) ?? '';
  const band = `<rect class="target-band" x="${margin.left}" width="${width - margin.left - margin.right}" y="${y(targetBand[1])}" height="${y(targetBand[0]) - y(targetBand[1])}"><title>Målet 4–5 besök i veckan</title></rect>`;
  const ticks = y
    .ticks(3)
    .filter(Number.isInteger)
    .map((t) => `<text class="tick" x="${margin.left - 4}" y="${y(t)}" dy="0.35em" text-anchor="end">${t}</text>`)
    .join('');
  const dots = c.weeks
    .map(
      (w, i) =>
        `<circle class="point${w.done >= c.minSessions ? '' : ' below'}" cx="${x(i + 1)}" cy="${y(w.done)}" r="3"><title>Vecka ${i + 1} (${w.week}): ${w.done} besök</title></circle>`,
    )
    .join('');
  const mean = n ? c.weeks.reduce((s, w) => s + w.done, 0) / n : 0;
  const title = `Ärende ${c.label}`;
  const caption = `${n} familjeveckor, i snitt ${number.format(Math.round(mean * 10) / 10)} besök`;
  return `<figure class="case"><figcaption><strong>${escapeHtml(title)}</strong> · ${caption}</figcaption><svg class="chart case-chart" role="img" aria-label="${escapeHtml(`${title}: besök per familjevecka`)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${band}${ticks}<line class="axis" x1="${margin.left}" x2="${width - margin.right}" y1="${y(0)}" y2="${y(0)}"/><path class="line" d="${path}"/>${dots}<text class="tick" x="${width / 2}" y="${height - 6}" text-anchor="middle">familjevecka 1–${n}</text></svg></figure>`;
}

/** Length of stay: min–max range with the median marked, on a d3 linear scale. */
export function rangeChart(title: string, stats: { median: number | null; min: number | null; max: number | null }, unit: string): string {
  if (stats.min === null || stats.max === null || stats.median === null)
    return figure(title, `<p class="empty">Inga avslutade ärenden i perioden.</p>`, false);
  const width = 640;
  const height = 70;
  const x = scaleLinear()
    .domain([0, Math.max(1, stats.max)])
    .nice()
    .range([20, width - 20]);
  const ticks = x
    .ticks(6)
    .map(
      (t) =>
        `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="14" y2="40"/><text class="tick" x="${x(t)}" y="56" text-anchor="middle">${number.format(t)}</text>`,
    )
    .join('');
  const body = `<svg class="chart range-chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${ticks}<line class="range" x1="${x(stats.min)}" x2="${x(stats.max)}" y1="27" y2="27"/><circle class="median" cx="${x(stats.median)}" cy="27" r="6"><title>Median ${show(stats.median)} ${unit}</title></circle><text class="tick" x="${width - 20}" y="${height - 2}" text-anchor="end">${unit}</text></svg><p>Median ${show(stats.median)} ${unit}, kortast ${show(stats.min)}, längst ${show(stats.max)}.</p>`;
  return figure(title, body, false);
}

function figure(title: string, body: string, hidden: boolean): string {
  const note = hidden ? `<p class="note">Streckade staplar är dolda små tal: de är inte ritade i skala.</p>` : '';
  return `<figure class="chart-figure"><figcaption>${escapeHtml(title)}</figcaption>${body}${note}</figure>`;
}

const bars = (group: Record<string, unknown>, keys: readonly string[], labels: Record<string, string>): Bar[] =>
  keys.map((k) => ({ label: labels[k] ?? k, value: (group[k] as Cell | undefined) ?? 0 }));

function headline(items: [string, unknown, string?][]): string {
  return `<dl class="headline">${items.map(([label, v, note]) => `<div><dt>${escapeHtml(label)}</dt><dd>${show(v)}${note ? `<small>${escapeHtml(note)}</small>` : ''}</dd></div>`).join('')}</dl>`;
}

function yearTable(yearly: ReportData['yearly']): string {
  const columns = [
    ['activeDuring', 'Aktiva ärenden'],
    ['started', 'Påbörjade'],
    ['completed', 'Avslutade'],
    ['referrals', 'Mottagna remisser'],
    ['declined', 'Avvisade remisser'],
    ['inquiries', 'Förfrågningar utan remiss'],
  ] as const;
  const rows = Object.entries(yearly)
    .map(([year, v]) => `<tr><th scope="row">${year}</th>${columns.map(([k]) => `<td class="n">${show(v[k])}</td>`).join('')}</tr>`)
    .join('');
  return `<figure class="chart-figure"><figcaption>Per år</figcaption><table class="years"><tr><th>År</th>${columns.map(([, label]) => `<th>${label}</th>`).join('')}</tr>${rows}</table></figure>`;
}

const css = `
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 190mm; font-size: 10.5pt; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 2mm; } h2 { font-size: 13pt; border-bottom: 1px solid #999; padding-bottom: 1mm; margin: 6mm 0 3mm; }
.meta { color: #444; margin: 0 0 4mm; }
.notice { border: 1px solid #b36b00; background: #fff6e5; padding: 2mm 3mm; margin: 3mm 0; }
section { break-before: page; page-break-before: always; }
section:first-of-type { break-before: auto; page-break-before: auto; }
figure { margin: 0 0 5mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 1mm; }
svg { max-width: 100%; height: auto; }
.headline { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; margin: 0; }
.headline div { border: 1px solid #ccc; border-radius: 2mm; padding: 2mm 3mm; break-inside: avoid; }
.headline dt { font-size: 9pt; color: #444; } .headline dd { margin: 0; font-size: 16pt; font-weight: bold; }
.headline small { display: block; font-size: 8pt; font-weight: normal; color: #444; }
.grid { stroke: #e3e3e3; } .axis { stroke: #555; } .tick { font-size: 10px; fill: #444; } .label { font-size: 11px; fill: #1a1a1a; } .value { font-size: 11px; fill: #1a1a1a; }
.bar { fill: #2f6b9a; } .bar.completed { fill: #e08a2c; } .bar.hidden { fill: url(#hatch); }
.cases { display: flex; flex-wrap: wrap; gap: 3mm; }
.case { margin: 0; width: 58mm; } .case figcaption { font-weight: normal; font-size: 9pt; }
.target-band { fill: #cfe8cf; } .line { fill: none; stroke: #2f6b9a; stroke-width: 1.5; } .point { fill: #2f6b9a; } .point.below { fill: #c0392b; }
.range { stroke: #2f6b9a; stroke-width: 6; stroke-linecap: round; } .median { fill: #e08a2c; stroke: #fff; stroke-width: 2; }
.note, .empty { font-size: 9pt; color: #444; }
table { border-collapse: collapse; font-size: 9.5pt; } td, th { border-bottom: 1px solid #ddd; padding: 1mm 2mm; text-align: left; } td.n { text-align: right; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
@media print { body { max-width: none; } a { color: inherit; text-decoration: none; } }
`;

/** The printable report (Swedish, A4): headline numbers and inline-SVG charts rendered on the server; no scripts. */
export function renderReport(d: ReportData): string {
  const f = d.figures;
  const period = monthsOf(d.period.from, d.period.to);
  const sharedNote = d.share
    ? `<p class="notice">Version för spridning utanför teamet: antal från 1 till ${d.threshold} visas som ≤${d.threshold}, och där ett dolt tal annars kunde räknas fram ur en summa är också nästa minsta tal dolt (x). Diagram per ärende, tabellen per år och fördelningen av besök per familjevecka ingår inte i denna version: tillsammans med summorna skulle de kunna avslöja dolda tal. Inte heller diagrammet per månad: med små tal per månad blir det mest dolda staplar som inte säger något.</p>`
    : `<p class="notice">Intern version med exakta tal. Innehåller inga namn eller personuppgifter${d.codes ? ', men ärendekoder' : ''}; dela den inte utanför teamet — använd delningsversionen.</p>`;
  const places = Object.keys(f.referrals.byPlace);

  const overview = `<section id="oversikt"><h2>Översikt</h2>${headline([
    ['Påbörjade ärenden', f.cases.started],
    ['Avslutade ärenden', f.cases.completed],
    ['Aktiva under perioden', f.cases.activeDuring],
    ['Mottagna remisser', f.referrals.received],
    ['Avvisade remisser', f.referrals.declined],
    ['Förfrågningar och rådfrågningar', f.inquiries.total, 'utan remiss (mörkertal)'],
    ['Familjeveckor', f.delivery.familyWeeks],
    ['Genomförda besök', f.delivery.visitsDone],
    ['Besök per familjevecka', f.delivery.perFamilyWeek.mean, `median ${show(f.delivery.perFamilyWeek.median)}`],
    ['Veckor med minst planerat antal besök', f.delivery.weeksAtTarget, `under: ${show(f.delivery.weeksBelowTarget)}`],
    ['Vårdtid, median (dagar)', f.lengthOfStayDays.median],
    ['Väntetid remiss–start, median (dagar)', f.referrals.waitingDays.median, `längst ${show(f.referrals.waitingDays.max)}`],
  ])}${Object.keys(d.yearly).length ? yearTable(d.yearly) : ''}${d.share ? '' : monthlyChart('Påbörjade och avslutade ärenden per månad', d.monthly)}</section>`;

  const referrals = `<section id="remisser"><h2>Remisser</h2>
${barChart('Remisser per avsändare', bars(f.referrals.bySource, ['socialtjanst', 'bup'], sv.source))}
${barChart('Remisser per kommun', bars(f.referrals.byPlace, places, Object.fromEntries(places.map((p) => [p, p]))))}
${barChart('Beslut om remisserna', bars(f.referrals as unknown as Record<string, unknown>, ['accepted', 'declined', 'pending'], sv.decision))}
${barChart('Avvisade remisser per skäl', bars(f.referrals.declinedByReason, declineReasons, sv.declineReason))}
${barChart('Förfrågningar och rådfrågningar utan remiss, per kanal', bars(f.inquiries.byChannel, inquiryChannels, sv.inquiryChannel))}
${barChart('Förfrågningar per slag', bars(f.inquiries.byKind, inquiryKinds, sv.inquiryKind))}
${barChart('Förfrågningar per avsändare', bars(f.inquiries.bySource, inquirySources, sv.inquirySource))}
${barChart('Förfrågningar per utfall', bars(f.inquiries.byOutcome, inquiryOutcomes, sv.inquiryOutcome))}</section>`;

  const ranges = Object.entries(f.youngPeople.ageRangeByGender)
    .filter(([, r]) => r)
    .map(([g, r]) => `${sv.gender[g] ?? g} ${r?.[0]}–${r?.[1]} år`)
    .join(', ');
  const youngPeople = `<section id="ungdomar"><h2>Ungdomarna</h2>
${barChart('Påbörjade ärenden per kön', bars(f.youngPeople.byGender, genders, sv.gender))}
${barChart('Ålder vid start', bars(f.youngPeople.byAgeBand, ['12-13', '14-15', '16-18'], { '12-13': '12–13 år', '14-15': '14–15 år', '16-18': '16–18 år' }))}
${barChart('Påbörjade ärenden per kommun', bars(f.youngPeople.byPlace, places, Object.fromEntries(places.map((p) => [p, p]))))}
${barChart('Påbörjade ärenden per remittent', bars(f.youngPeople.bySource, ['socialtjanst', 'bup'], sv.source))}
<p>Åldersspann: ${ranges || '–'}.</p></section>`;

  const pfwKeys = Object.keys(d.visitsPerFamilyWeek)
    .map(Number)
    .sort((a, b) => a - b);
  const maxPfw = Math.max(6, ...pfwKeys);
  const pfwBars = Array.from({ length: maxPfw + 1 }, (_, k) => ({
    label: `${k} besök${k >= targetBand[0] && k <= targetBand[1] ? ' (målet)' : ''}`,
    value: d.visitsPerFamilyWeek[String(k)] ?? 0,
  }));
  const caseCharts = d.share
    ? ''
    : d.cases.length
      ? `<h3>Per ärende</h3><p class="note">Genomförda besök per familjevecka; det gröna fältet är målet 4–5 besök, röda punkter veckor under ärendets planerade minimum. Ärendena är märkta ${d.codes ? 'med sina koder' : 'A, B, C … i startordning'}.</p><div class="cases">${d.cases.map(caseChart).join('')}</div>`
      : '<p class="empty">Inga pågående eller sparade ärenden med familjeveckor i perioden.</p>';
  const folded =
    !d.share && d.foldedFamilyWeeks > 0
      ? `<p class="notice">${number.format(d.foldedFamilyWeeks)} familjeveckor i perioden hör till ärenden vars personuppgifter redan gallrats. De ingår i summorna ovan men finns bara i anonyma månadssummor och har inget eget diagram.</p>`
      : '';
  const delivery = `<section id="besok"><h2>Genomförda besök</h2>
${barChart('Genomförda besök per slag', bars(f.delivery.byKind, ['family', 'individual', 'joint'], sv.kind))}
${d.share ? '' : barChart('Familjeveckor efter antal genomförda besök', pfwBars)}
${folded}${caseCharts}</section>`;

  const cancellations = `<section id="avbokningar"><h2>Avbokningar och uteblivna besök</h2>
${barChart('Avbokade besök per vem som avbokade', bars(f.cancellations as unknown as Record<string, unknown>, ['byFamily', 'byTeam', 'noShow'], sv.cancelBy))}
${barChart('Avbokningar per skäl', bars(f.cancellations.byReason, cancelReasons, sv.cancelReason))}</section>`;

  const completion = `<section id="avslut"><h2>Avslut och vårdtid</h2>
${barChart('Avslutade ärenden per avslutstyp', bars(f.cases.byCompletion, completionTypes, sv.completion))}
${rangeChart('Vårdtid för ärenden avslutade i perioden', f.lengthOfStayDays, 'dagar')}</section>`;

  const outcomeCharts = Object.entries(outcomeFields)
    .map(([field, values]) =>
      barChart(sv.outcomeField[field] ?? field, bars((f.outcomes as Record<string, Record<string, unknown>>)[field] ?? {}, values, sv.outcomeValue), {
        width: 640,
      }),
    )
    .join('\n');
  const outcomes = `<section id="resultat"><h2>Resultat av IKB</h2><p class="note">Bedömt vid avslut, för ärenden avslutade i perioden.</p>${outcomeCharts}</section>`;

  const years = Object.keys(f.tallies).sort();
  const tallyRows = (prefix: string, labels: Record<string, string>): string =>
    Object.keys(labels)
      .map(
        (k) =>
          `<tr><td>${escapeHtml(labels[k] ?? k)}</td>${years.map((y) => `<td class="n">${show(f.tallies[y]?.[`${prefix}:${k}`] ?? 0)}</td>`).join('')}</tr>`,
      )
      .join('');
  const tallyHead = `<tr><th></th>${years.map((y) => `<th>${y}</th>`).join('')}</tr>`;
  const tallies = `<section id="remissinnehall"><h2>Remissernas innehåll och diagnosgrupper</h2><p class="note">Avidentifierade årsräkningar (inte kopplade till något ärende), för hela kalenderår. Antal inrapporterade ärenden: ${years.map((y) => `${y}: ${show(f.tallies[y]?.['cases'] ?? 0)}`).join(', ')}.</p>
<div class="two"><table><caption>Innehåll i remisser</caption>${tallyHead}${tallyRows('concern', sv.concern)}</table><table><caption>Diagnosgrupper</caption>${tallyHead}${tallyRows('diagnosis', sv.diagnosis)}</table></div></section>`;

  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>IKB – utvärdering ${escapeHtml(period)}</title><style>${css}</style></head>
<body><header><h1>Intensiv kontextuell behandling (IKB) – utvärdering</h1>
<p class="meta">${escapeHtml(d.teamName)} · ${escapeHtml(period)} · ${d.share ? 'för spridning' : 'internt'}</p>${sharedNote}</header>
${overview}
${referrals}
${youngPeople}
${delivery}
${cancellations}
${completion}
${outcomes}
${tallies}
</body></html>`;
}

import { DateTime } from 'luxon';
import { NotFound } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { ByMonth } from '../domain/figures/contribution.js';
import { contributionByMonth, familyWeeksOf, mergeInto, monthOfIsoWeek } from '../domain/figures/contribution.js';
import type { Figures } from '../domain/figures/finalize.js';
import { finalizeFigures } from '../domain/figures/finalize.js';
import { suppressSmallCells } from '../domain/figures/suppress.js';
import { todayIn } from '../domain/treatment.js';
import type { Inquiry } from '../schemas/inquiry.js';
import type { Team } from '../schemas/team.js';
import type { FiguresQuery } from '../schemas/figures.js';
import type { CaseDelivery, ReportData } from '../domain/figures/report.js';
import { caseLabel } from '../domain/figures/report.js';
import { readTeamFigureItems } from '../store/figures.js';
import { getTeam } from '../store/teams.js';
import { getRetention } from '../store/retention.js';
import { defaultSmallCellThreshold } from '../schemas/retention.js';
import { ownTeam } from './access.js';
import type { Deps } from './deps.js';

export { defaultSmallCellThreshold };

export function inquiryMonths(inquiries: readonly Inquiry[]): ByMonth {
  const out: ByMonth = new Map();
  for (const i of inquiries) {
    const m = i.date.slice(0, 7);
    const counters = out.get(m) ?? {};
    for (const key of [
      'inquiries',
      `inq.kind:${i.kind}`,
      `inq.channel:${i.channel}`,
      `inq.source:${i.source}`,
      `inq.outcome:${i.outcome}`,
      `inq.place:${i.municipality}`,
    ])
      counters[key] = (counters[key] ?? 0) + 1;
    out.set(m, counters);
  }
  return out;
}

export interface TeamFigures extends Figures {
  tallies: Record<string, Record<string, number>>;
}

interface LoadedFigures {
  figures: TeamFigures;
  byMonth: ByMonth;
  cases: Awaited<ReturnType<typeof readTeamFigureItems>>['cases'];
  today: string;
  readCapacity: number;
}

async function loadTeamFigures(deps: Deps, team: Team, period: { from: string; to: string }): Promise<LoadedFigures> {
  const items = await readTeamFigureItems(deps.db, team.id);
  const today = todayIn(team.zone, deps.now());
  const byMonth: ByMonth = new Map();
  mergeInto(byMonth, items.rollups);
  for (const c of items.cases) mergeInto(byMonth, contributionByMonth(c, today));
  mergeInto(byMonth, inquiryMonths(items.inquiries));
  const base = finalizeFigures(byMonth, period, team.places);
  const tallies: Record<string, Record<string, number>> = {};
  for (let y = Number(period.from.slice(0, 4)); y <= Number(period.to.slice(0, 4)); y++)
    tallies[String(y)] = items.tallies.get(String(y)) ?? { cases: 0 };
  return { figures: { ...base, tallies }, byMonth, cases: items.cases, today, readCapacity: items.readCapacity };
}

/** A team's §9 figures: Σ over months of (rollups of folded cases + live cases' contributions), then finalized. One Query, no Scan. */
export async function teamFigures(
  deps: Deps,
  team: Team,
  period: { from: string; to: string },
): Promise<{ figures: TeamFigures; readCapacity: number }> {
  const { figures, readCapacity } = await loadTeamFigures(deps, team, period);
  return { figures, readCapacity };
}

/** The caller's team and, when the figures leave the team, its small-cell threshold (a privacy setting kept with retention). */
async function coordinatorsTeam(deps: Deps, principal: Principal, share: boolean): Promise<{ team: Team; threshold: number }> {
  const teamId = ownTeam(principal);
  const [team, settings] = await Promise.all([getTeam(deps.db, teamId), share ? getRetention(deps.db, teamId) : undefined]);
  if (!team) throw new NotFound('Your team does not exist.');
  return { team, threshold: settings?.smallCellThreshold ?? defaultSmallCellThreshold };
}

/** GET /figures for the caller's team (coordinator); `share` suppresses small cells for use outside the team. */
export async function figuresFor(
  deps: Deps,
  principal: Principal,
  query: { from: string; to: string; share?: 'true' | 'false' | undefined },
): Promise<TeamFigures> {
  const { team, threshold } = await coordinatorsTeam(deps, principal, query.share === 'true');
  const { figures } = await teamFigures(deps, team, { from: query.from, to: query.to });
  return query.share === 'true' ? suppressSmallCells(figures, threshold) : figures;
}

/** The months a period spans, for charts. */
export function periodMonths(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = DateTime.fromISO(`${from}-01`); m.toFormat('yyyy-MM') <= to; m = m.plus({ months: 1 })) out.push(m.toFormat('yyyy-MM'));
  return out;
}

/**
 * GET /figures/report: the same figures as GET /figures, plus what the charts need and the JSON does not expose —
 * started/completed per month, the distribution of done visits per family-week, and (internal report only) each
 * live case's family-weeks in the period, labelled A, B, C… or, when the coordinator asks, by code. Cases already
 * folded into the anonymous rollups by the purge have no per-case data; `foldedFamilyWeeks` says how many
 * family-weeks of the period only the rollups hold. With `share`, every count is suppressed at the team's threshold
 * and no per-case chart is produced (each would be a cell of one family), nor the linked per-year and distribution tables.
 */
export async function reportFor(deps: Deps, principal: Principal, query: FiguresQuery): Promise<ReportData> {
  const share = query.share === 'true';
  const codes = query.codes === 'true';
  const { team, threshold } = await coordinatorsTeam(deps, principal, share);
  const period = { from: query.from, to: query.to };
  const loaded = await loadTeamFigures(deps, team, period);
  const months = periodMonths(period.from, period.to);
  const monthly = {
    started: Object.fromEntries(months.map((m) => [m, loaded.byMonth.get(m)?.['started'] ?? 0])),
    completed: Object.fromEntries(months.map((m) => [m, loaded.byMonth.get(m)?.['completed'] ?? 0])),
  };
  const visitsPerFamilyWeek: Record<string, number> = {};
  for (const m of months) {
    for (const [k, v] of Object.entries(loaded.byMonth.get(m) ?? {}))
      if (k.startsWith('pfw:') && v !== 0) visitsPerFamilyWeek[k.slice(4)] = (visitsPerFamilyWeek[k.slice(4)] ?? 0) + v;
  }
  const yearly: ReportData['yearly'] = {};
  for (let y = Number(period.from.slice(0, 4)); y <= Number(period.to.slice(0, 4)); y++) {
    const from = `${y}-01` < period.from ? period.from : `${y}-01`;
    const to = `${y}-12` > period.to ? period.to : `${y}-12`;
    const f = finalizeFigures(loaded.byMonth, { from, to }, team.places);
    yearly[String(y)] = {
      activeDuring: f.cases.activeDuring,
      started: f.cases.started,
      completed: f.cases.completed,
      referrals: f.referrals.received,
      declined: f.referrals.declined,
      inquiries: f.inquiries.total,
    };
  }
  const inPeriod = (week: string): boolean => {
    const m = monthOfIsoWeek(week);
    return m >= period.from && m <= period.to;
  };
  const live = loaded.cases
    .map((c) => ({ c, weeks: familyWeeksOf(c, loaded.today).filter((w) => inPeriod(w.week)) }))
    .filter(({ weeks }) => weeks.length > 0)
    .sort((a, b) => (a.c.start ?? '').localeCompare(b.c.start ?? '') || a.c.caseId.localeCompare(b.c.caseId));
  const liveFamilyWeeks = live.reduce((n, { weeks }) => n + weeks.length, 0);
  const cases: CaseDelivery[] = share
    ? []
    : live.map(({ c, weeks }, i) => ({
        label: codes ? c.caseId : caseLabel(i),
        minSessions: c.minSessions,
        weeks: weeks.map(({ week, done }) => ({ week, done })),
      }));
  const data: ReportData = {
    teamName: team.name,
    period,
    share,
    codes,
    threshold,
    figures: loaded.figures,
    monthly,
    yearly,
    visitsPerFamilyWeek,
    cases,
    foldedFamilyWeeks: loaded.figures.delivery.familyWeeks - liveFamilyWeeks,
    readCapacity: loaded.readCapacity,
  };
  if (!share) return data;
  // Shared: the per-year table and the visits-per-family-week distribution are left out, not just suppressed — beside
  // the monthly columns and the headline totals they are linked tables (a year = Σ its months; the distribution's top
  // bins ≈ weeksAtTarget), from which a hidden cell could be recovered by subtraction despite each table's own
  // complementary suppression.
  const suppressed = suppressSmallCells({ figures: data.figures, monthly: data.monthly }, threshold);
  return { ...data, ...suppressed, yearly: {}, visitsPerFamilyWeek: {} };
}

import { DateTime } from 'luxon';
import { NotFound } from '../http/errors.js';
import type { Principal } from '../http/principal.js';
import type { ByMonth } from '../domain/figures/contribution.js';
import { contributionByMonth, mergeInto } from '../domain/figures/contribution.js';
import type { Figures } from '../domain/figures/finalize.js';
import { finalizeFigures } from '../domain/figures/finalize.js';
import { suppressSmallCells } from '../domain/figures/suppress.js';
import { todayIn } from '../domain/treatment.js';
import type { Inquiry } from '../schemas/inquiry.js';
import type { Team } from '../schemas/team.js';
import { readTeamFigureItems } from '../store/figures.js';
import { getTeam } from '../store/teams.js';
import { ownTeam } from './access.js';
import type { Deps } from './deps.js';

export const defaultSmallCellThreshold = 3;

export function inquiryMonths(inquiries: readonly Inquiry[]): ByMonth {
  const out: ByMonth = new Map();
  for (const i of inquiries) {
    const m = i.date.slice(0, 7);
    const counters = out.get(m) ?? {};
    for (const key of ['inquiries', `inq.kind:${i.kind}`, `inq.channel:${i.channel}`, `inq.source:${i.source}`, `inq.outcome:${i.outcome}`, `inq.place:${i.municipality}`]) counters[key] = (counters[key] ?? 0) + 1;
    out.set(m, counters);
  }
  return out;
}

export interface TeamFigures extends Figures {
  tallies: Record<string, Record<string, number>>;
}

/** A team's §9 figures: Σ over months of (rollups of folded cases + live cases' contributions), then finalized. One Query, no Scan. */
export async function teamFigures(deps: Deps, team: Team, period: { from: string; to: string }): Promise<{ figures: TeamFigures; readCapacity: number }> {
  const items = await readTeamFigureItems(deps.db, team.id);
  const today = todayIn(team.zone, deps.now());
  const byMonth: ByMonth = new Map();
  mergeInto(byMonth, items.rollups);
  for (const c of items.cases) mergeInto(byMonth, contributionByMonth(c, today));
  mergeInto(byMonth, inquiryMonths(items.inquiries));
  const base = finalizeFigures(byMonth, period, team.places);
  const tallies: Record<string, Record<string, number>> = {};
  for (let y = Number(period.from.slice(0, 4)); y <= Number(period.to.slice(0, 4)); y++) tallies[String(y)] = items.tallies.get(String(y)) ?? { cases: 0 };
  return { figures: { ...base, tallies }, readCapacity: items.readCapacity };
}

/** GET /figures for the caller's team (coordinator); `share` suppresses small cells for use outside the team. */
export async function figuresFor(deps: Deps, principal: Principal, query: { from: string; to: string; share?: 'true' | 'false' | undefined }): Promise<TeamFigures> {
  const teamId = ownTeam(principal);
  const team = await getTeam(deps.db, teamId);
  if (!team) throw new NotFound('Your team does not exist.');
  const { figures } = await teamFigures(deps, team, { from: query.from, to: query.to });
  return query.share === 'true' ? suppressSmallCells(figures, defaultSmallCellThreshold) : figures;
}

/** The months a period spans, for charts. */
export function periodMonths(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = DateTime.fromISO(`${from}-01`); m.toFormat('yyyy-MM') <= to; m = m.plus({ months: 1 })) out.push(m.toFormat('yyyy-MM'));
  return out;
}

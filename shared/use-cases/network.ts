import { Forbidden, NotFound } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { ByMonth } from '../domain/figures/contribution.js';
import { contributionByMonth, mergeInto } from '../domain/figures/contribution.js';
import { finalizeFigures } from '../domain/figures/finalize.js';
import { suppressNetwork } from '../domain/figures/network.js';
import type { NetworkParticipationBody } from '../schemas/network.js';
import type { TeamRetention } from '../schemas/retention.js';
import type { Team } from '../schemas/team.js';
import { todayIn } from '../domain/treatment.js';
import { readTeamFigureItems } from '../store/figures.js';
import { listNetworkTeams, putNetworkParticipation } from '../store/network.js';
import { getTeam } from '../store/teams.js';
import type { Deps } from './deps.js';
import { defaultSmallCellThreshold, inquiryMonths } from './figures.js';
import type { TeamFigures } from './figures.js';
import { assertVersion } from './versions.js';

/** The network view (suppressed: a hidden count is a string such as "≤3" or "x"). */
export interface NetworkFigures {
  period: { from: string; to: string };
  threshold: number;
  teams: { teamId: string; name: string; figures: TeamFigures }[];
  total: TeamFigures;
}

/** How many teams' figure partitions are read at once. */
const parallelReads = 8;

/** The admin for any team, the team's own coordinator for theirs; anyone else: 404, so existence does not leak. */
function assertMayChange(principal: Principal, teamId: string): void {
  if (principal.groups.has('admin')) return;
  if (principal.groups.has('coordinator') && principal.teamId === teamId) return;
  throw new NotFound();
}

/** PUT /teams/{teamId}/network: opt in to or out of the network figures, with the team's version read; audited. */
export async function setNetworkParticipation(deps: Deps, principal: Principal, teamId: string, input: NetworkParticipationBody): Promise<Team> {
  assertMayChange(principal, teamId);
  const current = await getTeam(deps.db, teamId);
  if (!current) throw new NotFound();
  assertVersion(current.version, input.version, 'team');
  if (current.networkFigures === input.participating) return current;
  const at = deps.now().toISOString();
  const next: Team = { ...current, networkFigures: input.participating, version: current.version + 1, updatedAt: at };
  const audit = {
    teamId,
    entity: 'team' as const,
    entityId: teamId,
    action: input.participating ? 'network-opt-in' : 'network-opt-out',
    actor: principal.staffId ?? principal.subject,
    at,
    before: { networkFigures: current.networkFigures, version: current.version },
    after: { networkFigures: next.networkFigures, version: next.version },
  };
  await putNetworkParticipation(deps.db, next, current.version, audit, deps.newId());
  return next;
}

/** A team's own small-cell threshold: the setting kept with its retention settings, else the default (3). */
export const thresholdOf = (settings: TeamRetention | undefined): number => settings?.smallCellThreshold ?? defaultSmallCellThreshold;

/** The small-cell threshold of the network view: the strictest (largest) of the participating teams' own thresholds. */
export function networkThreshold(teamThresholds: readonly number[]): number {
  return Math.max(defaultSmallCellThreshold, ...teamThresholds);
}

/** A team's per-month counters (folded rollups + live cases' contributions + inquiries) and yearly tallies: the same one Query as GET /figures. */
async function teamMonths(deps: Deps, team: Team): Promise<{ byMonth: ByMonth; tallies: Map<string, Record<string, number>>; readCapacity: number }> {
  const items = await readTeamFigureItems(deps.db, team.id);
  const today = todayIn(team.zone, deps.now());
  const byMonth: ByMonth = new Map();
  mergeInto(byMonth, items.rollups);
  for (const c of items.cases) contributionByMonth(c, today, byMonth);
  mergeInto(byMonth, inquiryMonths(items.inquiries));
  return { byMonth, tallies: items.tallies, readCapacity: items.readCapacity };
}

/** The tallies of the years a period touches (a year without any: `{ cases: 0 }`), as GET /figures gives them. */
function talliesOf(tallies: Map<string, Record<string, number>>, period: { from: string; to: string }): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (let y = Number(period.from.slice(0, 4)); y <= Number(period.to.slice(0, 4)); y++) out[String(y)] = tallies.get(String(y)) ?? { cases: 0 };
  return out;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The network figures of a period: one row per participating team and their total, suppressed. A team that has not
 * opted in is not read at all. Reads: one Query of the registry, one BatchGet of the teams, one Query per team.
 */
export async function networkFiguresWithCapacity(
  deps: Deps,
  principal: Principal,
  period: { from: string; to: string },
): Promise<{ figures: NetworkFigures; readCapacity: number }> {
  if (!principal.teamId) throw new Forbidden('Your account belongs to no team.');
  const { teams: participants, readCapacity: registryCapacity } = await listNetworkTeams(deps.db);
  const teams = participants.map((p) => p.team);
  if (!teams.some((t) => t.id === principal.teamId)) {
    throw new Forbidden('Your team does not take part in the network figures; the coordinator can opt in with PUT /teams/{teamId}/network.');
  }
  const months = await mapLimited(teams, parallelReads, (team) => teamMonths(deps, team));
  const totalMonths: ByMonth = new Map();
  const totalTallies = new Map<string, Record<string, number>>();
  const places: string[] = [];
  const rows = teams.map((team, i) => {
    const { byMonth, tallies } = months[i] ?? { byMonth: new Map(), tallies: new Map() };
    mergeInto(totalMonths, byMonth);
    for (const [year, counters] of tallies) {
      const sum = totalTallies.get(year) ?? {};
      for (const [k, v] of Object.entries<number>(counters)) sum[k] = (sum[k] ?? 0) + v;
      totalTallies.set(year, sum);
    }
    for (const p of team.places) if (!places.includes(p)) places.push(p);
    const figures: TeamFigures = { ...finalizeFigures(byMonth, period, team.places), tallies: talliesOf(tallies, period) };
    return { teamId: team.id, name: team.name, figures };
  });
  const total: TeamFigures = { ...finalizeFigures(totalMonths, period, places), tallies: talliesOf(totalTallies, period) };
  const threshold = networkThreshold(participants.map((p) => thresholdOf(p.settings)));
  const suppressed = suppressNetwork(rows, total, threshold);
  const readCapacity = registryCapacity + months.reduce((sum, m) => sum + m.readCapacity, 0);
  return { figures: { period, threshold, teams: suppressed.rows, total: suppressed.total }, readCapacity };
}

/** GET /network/figures for a coordinator of a participating team (others: 403). */
export async function networkFigures(deps: Deps, principal: Principal, period: { from: string; to: string }): Promise<NetworkFigures> {
  return (await networkFiguresWithCapacity(deps, principal, period)).figures;
}

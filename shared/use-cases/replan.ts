import { DateTime } from 'luxon';
import { absenceOverlaps } from '../domain/absence-interval.js';
import { dateRangeInstants, isoWeekOf, weekDates } from '../domain/booking/time.js';
import type { WeekVisit } from '../domain/replan/repair-week.js';
import { repairWeek } from '../domain/replan/repair-week.js';
import { Conflict, Invalid } from '../http/errors.js';
import type { Principal } from '../http/principal.js';
import type { CommitReplanBody, ReplanProposal } from '../schemas/replan.js';
import type { Absence } from '../schemas/staff.js';
import { Visit } from '../schemas/visit.js';
import { listFamilies, getFamily } from '../store/families.js';
import { listAbsences } from '../store/staff.js';
import { getVisits, visitsBetween, visitWrite } from '../store/visits.js';
import { ownTeam } from './access.js';
import type { Deps } from './deps.js';
import { changeNoticeWrites } from './notices.js';
import { buildPlanningProblem, planningStart } from './plan.js';
import { applyScheduleChange } from './schedule.js';
import { auditOf, loadTeam, noticeChannels, outsideTreatment, toInterval, visitPlacement } from './visits.js';
import { answerItems } from '../store/idempotency.js';

const asWeekVisit = (v: Visit): WeekVisit => ({ id: v.id, family: v.family, kind: v.kind, staff: v.staff, place: v.place, start: v.startLocal, end: v.endLocal });
const ref = (v: Visit) => ({ visit: v.id, version: v.version, family: v.family, kind: v.kind, staff: v.staff, startLocal: v.startLocal, endLocal: v.endLocal });

/**
 * A repair proposal for a week after absences (SPEC §4), booking nothing: the planned visits from now on that an
 * absence of one of their staff knocks out, where each can go instead (same kind and staff, inside the family's
 * windows and the staff's hours, every §4 rule kept; every other visit stays exactly where it is; most re-placed,
 * then least extra travel, then closest to the old time), and why the rest cannot be re-placed this week.
 */
export async function proposeReplan(deps: Deps, principal: Principal, week: string): Promise<ReplanProposal> {
  const teamId = ownTeam(principal);
  const team = await loadTeam(deps, teamId);
  const { monday, sunday } = weekDates(week);
  const today = DateTime.fromJSDate(deps.now(), { zone: team.zone }).toFormat('yyyy-MM-dd');
  if (sunday < today) throw new Invalid([{ path: 'path.week', message: `${week} has passed (it ended on ${sunday}); re-plan the current week (${today}) or a later one` }]);
  const range = dateRangeInstants(monday, sunday, team.zone);
  const [base, absences, visits, families] = await Promise.all([
    buildPlanningProblem(deps, teamId, week, { withoutVisits: true }),
    listAbsences(deps.db, teamId),
    visitsBetween(deps.db, teamId, range.from, range.to),
    listFamilies(deps.db, teamId, 'active'),
  ]);
  const now = deps.now().toISOString();
  const blockedBy = (v: Visit): Absence | undefined =>
    v.status === 'planned' && v.start >= now ? absences.find((a) => v.staff.includes(a.staffId) && absenceOverlaps(a, team.zone, v.start, v.end)) : undefined;
  const standing = visits.filter((v) => v.status === 'planned' || v.status === 'done');
  const affected = standing.flatMap((v) => {
    const absence = blockedBy(v);
    return absence ? [{ visit: v, absence }] : [];
  });
  const affectedIds = new Set(affected.map((a) => a.visit.id));
  const kept = standing.filter((v) => !affectedIds.has(v.id));
  // Windows only on the days inside each family's treatment period (a commit outside it would be a 409).
  const byCode = new Map(families.map((f) => [f.code, f]));
  const dated = (weekday: number) => DateTime.fromISO(monday).plus({ days: weekday - 1 }).toFormat('yyyy-MM-dd');
  const problem = {
    ...base,
    families: base.families.map((f) => {
      const family = byCode.get(f.id);
      return family ? { ...f, windows: f.windows.filter((w) => outsideTreatment(family, dated(w.weekday)) === undefined) } : f;
    }),
  };
  const repair = repairWeek(problem, kept.map(asWeekVisit), affected.map((a) => asWeekVisit(a.visit)));
  const byId = new Map(affected.map((a) => [a.visit.id, a.visit]));
  const plannedFrom = monday <= today ? plannedFromOf(deps, team.zone) : undefined;
  return {
    week,
    affected: affected.map(({ visit, absence }) => ({ ...ref(visit), absence: { id: absence.id, staffId: absence.staffId, kind: absence.kind } })),
    moves: repair.moves.flatMap((m) => {
      const v = byId.get(m.visit);
      return v ? [{ ...ref(v), start: m.start, end: m.end, extraTravelMinutes: m.extraTravelMinutes }] : [];
    }),
    unplaced: repair.unplaced.flatMap((u) => {
      const v = byId.get(u.visit);
      return v ? [{ ...ref(v), reason: u.reason }] : [];
    }),
    stats: { affected: repair.stats.affected, moved: repair.stats.moved, unplaced: repair.stats.unplaced, extraTravelMinutes: repair.stats.extraTravelMinutes },
    ...(plannedFrom ? { plannedFrom } : {}),
  };
}

/** In the current week, the local time planning starts from (now rounded up to the quarter hour, as the week plan says). */
function plannedFromOf(deps: Deps, zone: string): string {
  const { today, nowMinutes } = planningStart(deps, zone);
  const next = DateTime.fromISO(today, { zone: 'utc' }).plus({ minutes: nowMinutes });
  return next.toFormat("yyyy-MM-dd'T'HH:mm");
}

/**
 * Books a repair proposal (or the moves the coordinator keeps) in ONE transaction: each visit is moved from the version
 * the proposal read, so if any of them changed meanwhile the whole commit is a 409 naming it and nothing is written;
 * every new time is checked again against the schedule as it is now (collisions, travel, absences, daily maximums).
 */
export async function commitReplan(deps: Deps, principal: Principal, week: string, input: CommitReplanBody): Promise<{ moved: Visit[] }> {
  const teamId = ownTeam(principal);
  const team = await loadTeam(deps, teamId);
  const { days } = weekDates(week);
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  input.moves.forEach((m, i) => {
    if (!days.includes(m.start.slice(0, 10))) problems.push({ path: `moves[${i}].start`, message: `is not in ${week}` });
    if (seen.has(m.visit)) problems.push({ path: `moves[${i}].visit`, message: `visit ${m.visit} is moved twice` });
    seen.add(m.visit);
  });
  const stored = new Map((await getVisits(deps.db, teamId, input.moves.map((m) => m.visit))).map((v) => [v.id, v]));
  input.moves.forEach((m, i) => {
    if (!stored.has(m.visit)) problems.push({ path: `moves[${i}].visit`, message: `no visit ${m.visit} in the team` });
  });
  const intervals = input.moves.map((m, i) => {
    try {
      return toInterval(team, m.start, m.end);
    } catch (error) {
      if (error instanceof Invalid) {
        problems.push(...(error.fields ?? []).map((f) => ({ ...f, path: `moves[${i}].${f.path}` })));
        return undefined;
      }
      throw error;
    }
  });
  if (problems.length) throw new Invalid(problems);
  const at = deps.now().toISOString();
  const familyCodes = [...new Set([...stored.values()].map((v) => v.family))];
  const families = new Map((await Promise.all(familyCodes.map((c) => getFamily(deps.db, teamId, c)))).flatMap((f) => (f ? [[f.code, f] as const] : [])));
  const pairs = input.moves.map((m, i) => {
    const visit = stored.get(m.visit);
    const interval = intervals[i];
    if (!visit || !interval) throw new Invalid([{ path: `moves[${i}].visit`, message: `no visit ${m.visit} in the team` }]);
    if (visit.version !== m.version) throw new Conflict(`visit ${visit.id} (${visit.family} ${visit.startLocal}) is at version ${visit.version}, not ${m.version}: it was changed after the proposal; nothing was moved — propose again`);
    if (visit.status !== 'planned') throw new Conflict(`visit ${visit.id} (${visit.family} ${visit.startLocal}) is ${visit.status}; nothing was moved`);
    const family = families.get(visit.family);
    const outside = family && outsideTreatment(family, m.start.slice(0, 10));
    if (outside) throw new Conflict(outside);
    const moved = Visit.parse({ ...visit, start: interval.start, end: interval.end, startLocal: m.start, endLocal: m.end, week: isoWeekOf(interval.start, team.zone), version: visit.version + 1, updatedAt: at });
    return { visit, moved, maxPerDay: { maxSessionsPerDay: family?.maxSessionsPerDay ?? 1 } };
  });
  const [absences, channels] = await Promise.all([listAbsences(deps.db, teamId), noticeChannels(deps, teamId)]);
  const answer = { moved: pairs.map((p) => p.moved) };
  await applyScheduleChange(deps, team, absences, {
    records: pairs.flatMap(({ visit, moved }) => [visitWrite(moved, visit.version), ...changeNoticeWrites(team, channels, visit, moved, deps.now())]),
    remove: pairs.map(({ visit, maxPerDay }) => visitPlacement(visit, maxPerDay)),
    add: pairs.map(({ moved, maxPerDay }) => visitPlacement(moved, maxPerDay)),
    audits: pairs.map(({ visit, moved }) => ({ entry: auditOf(principal, 'move:replan', visit, moved), id: deps.newId() })),
    extra: answerItems(answer),
  });
  return answer;
}

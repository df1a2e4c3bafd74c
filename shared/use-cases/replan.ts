import { DateTime } from 'luxon';
import { absentStaffOf } from '../domain/absent-staff.js';
import { absenceOverlaps } from '../domain/absence-interval.js';
import { addDays, dateRangeInstants, isoWeekOf, localDateOf, weekDates } from '../domain/booking/time.js';
import type { CoverFamily } from '../domain/replan/absence-repair.js';
import { repairAbsence } from '../domain/replan/absence-repair.js';
import type { WeekVisit } from '../domain/replan/repair-week.js';
import { Conflict, Invalid } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Family } from '../schemas/family.js';
import type { PlanningProblem } from '../schemas/planning.js';
import type { CommitReplanBody, ReplanDecision, ReplanProposal } from '../schemas/replan.js';
import type { Absence } from '../schemas/staff.js';
import { Visit } from '../schemas/visit.js';
import { getFamily, listFamilies } from '../store/families.js';
import { visitFiguresWrite } from '../store/figures.js';
import { listAbsences, listStaff } from '../store/staff.js';
import { getVisits, visitsBetween, visitWrite } from '../store/visits.js';
import { ownTeam } from './access.js';
import type { Deps } from './deps.js';
import { changeNoticeWrites } from './notices.js';
import { buildPlanningProblem, planningStart } from './plan.js';
import type { Placement } from './schedule.js';
import { applyScheduleChange } from './schedule.js';
import { auditOf, loadTeam, noticeChannels, outsideTreatment, toInterval, visitPlacement } from './visits.js';
import { answerItems } from '../store/idempotency.js';

const asWeekVisit = (v: Visit): WeekVisit => ({
  id: v.id,
  family: v.family,
  kind: v.kind,
  staff: v.staff,
  place: v.place,
  start: v.startLocal,
  end: v.endLocal,
});
const ref = (v: Visit) => ({
  visit: v.id,
  version: v.version,
  family: v.family,
  kind: v.kind,
  staff: v.staff,
  startLocal: v.startLocal,
  endLocal: v.endLocal,
});
/** The days of next week a visit may be caught up on: Monday to Wednesday. */
const catchUpWeekdays = 3;
const nextWeekOf = (week: string) => DateTime.fromISO(`${week}-1`, { zone: 'utc' }).plus({ weeks: 1 }).toFormat("kkkk-'W'WW");

/** The problem's family windows kept only on the dates `keep` allows (inside the treatment period, the catch-up days). */
function windowsOn(
  problem: PlanningProblem,
  families: ReadonlyMap<string, Family>,
  keep: (family: Family, date: string, weekday: number) => boolean,
): PlanningProblem {
  const monday = DateTime.fromISO(`${problem.week}-1`, { zone: 'utc' });
  return {
    ...problem,
    families: problem.families.map((f) => {
      const family = families.get(f.id);
      return family
        ? { ...f, windows: f.windows.filter((w) => keep(family, monday.plus({ days: w.weekday - 1 }).toFormat('yyyy-MM-dd'), w.weekday)) }
        : f;
    }),
  };
}

/**
 * A repair proposal for a week after absences (SPEC §4, issue 23), booking nothing: the planned visits from now on
 * that an absence of one of their staff knocks out, and for each the four options — move it (same staff, §4 rules,
 * also with one other visit of the family shifting first, or into the first days of next week), the pair's other
 * therapist covers it, a colleague of the absent person's role covers it, cancel it — with the proposed one (the first
 * possible) and, for each better one, the rule that binds.
 */
export async function proposeReplan(deps: Deps, principal: Principal, week: string): Promise<ReplanProposal> {
  const teamId = ownTeam(principal);
  const team = await loadTeam(deps, teamId);
  const { monday, sunday } = weekDates(week);
  const today = DateTime.fromJSDate(deps.now(), { zone: team.zone }).toFormat('yyyy-MM-dd');
  if (sunday < today)
    throw new Invalid([
      { path: 'path.week', message: `${week} has passed (it ended on ${sunday}); re-plan the current week (${today}) or a later one` },
    ]);
  const next = nextWeekOf(week);
  const nextDays = weekDates(next);
  const range = dateRangeInstants(monday, nextDays.sunday, team.zone);
  const [base, nextBase, absences, visits, families] = await Promise.all([
    buildPlanningProblem(deps, teamId, week, { withoutVisits: true }),
    buildPlanningProblem(deps, teamId, next, { withoutVisits: true }),
    listAbsences(deps.db, teamId),
    visitsBetween(deps.db, teamId, range.from, range.to),
    listFamilies(deps.db, teamId, 'active'),
  ]);
  const now = deps.now().toISOString();
  const standing = visits.filter((v) => v.status === 'planned' || v.status === 'done');
  const thisWeek = standing.filter((v) => v.week === week);
  const blockedBy = (v: Visit): Absence | undefined =>
    v.status === 'planned' && v.start >= now
      ? absences.find((a) => v.staff.includes(a.staffId) && absenceOverlaps(a, team.zone, v.start, v.end))
      : undefined;
  const affected = thisWeek.flatMap((v) => {
    const absence = blockedBy(v);
    return absence ? [{ visit: v, absence, absent: absentStaffOf(v, absences, team.zone) }] : [];
  });
  const affectedIds = new Set(affected.map((a) => a.visit.id));
  const kept = thisWeek.filter((v) => !affectedIds.has(v.id));
  const byCode = new Map(families.map((f) => [f.code, f]));
  const coverFamilies = new Map<string, CoverFamily>(
    families.map((f) => [
      f.code,
      {
        familyTherapist: f.familyTherapist,
        individualTherapist: f.individualTherapist,
        kinds: f.sessions.filter((s) => s.count > 0).map((s) => s.kind),
        maxSessionsPerDay: f.maxSessionsPerDay,
      },
    ]),
  );
  const repair = repairAbsence({
    // Windows only on the days inside each family's treatment period (a commit outside it would be a 409).
    week: windowsOn(base, byCode, (family, date) => outsideTreatment(family, date) === undefined),
    kept: kept.map(asWeekVisit),
    movable: new Set(kept.filter((v) => v.status === 'planned' && v.start > now).map((v) => v.id)),
    affected: affected.map((a) => ({ ...asWeekVisit(a.visit), absent: a.absent })),
    next: {
      problem: windowsOn(nextBase, byCode, (family, date, weekday) => weekday <= catchUpWeekdays && outsideTreatment(family, date) === undefined),
      kept: standing.filter((v) => v.week === next).map(asWeekVisit),
      days: `${nextDays.monday}–${addDays(nextDays.monday, catchUpWeekdays - 1)}`,
    },
    families: coverFamilies,
  });
  const byId = new Map(visits.map((v) => [v.id, v]));
  const affectedById = new Map(affected.map((a) => [a.visit.id, a]));
  const decisions = repair.decisions.flatMap((d) => {
    const a = affectedById.get(d.visit);
    if (!a) return [];
    const options: ReplanProposal['decisions'][number]['options'] = d.options.map((o) => {
      const { chain, ...rest } = o;
      return chain === undefined
        ? rest
        : {
            ...rest,
            chain: chain.flatMap((c) => {
              const other = byId.get(c.visit);
              return other ? [{ ...ref(other), start: c.start, end: c.end }] : [];
            }),
          };
    });
    return [
      {
        ...ref(a.visit),
        absentStaff: a.absent,
        absence: { id: a.absence.id, staffId: a.absence.staffId, kind: a.absence.kind },
        proposed: d.proposed,
        options,
      },
    ];
  });
  const moves = decisions.flatMap((d) => {
    const move = d.options[0];
    if (d.proposed !== 'move' || !move?.start || !move.end) return [];
    const own = byId.get(d.visit);
    return [
      ...(move.chain ?? []).map((c) => ({ ...c, extraTravelMinutes: 0 })),
      ...(own ? [{ ...ref(own), start: move.start, end: move.end, extraTravelMinutes: move.extraTravelMinutes ?? 0 }] : []),
    ];
  });
  const unplaced = decisions.flatMap((d) => {
    const own = affectedById.get(d.visit)?.visit;
    return d.proposed === 'move' || !own ? [] : [{ ...ref(own), reason: d.options[0]?.reason ?? '' }];
  });
  const plannedFrom = monday <= today ? plannedFromOf(deps, team.zone) : undefined;
  return {
    week,
    affected: affected.map(({ visit, absence }) => ({ ...ref(visit), absence: { id: absence.id, staffId: absence.staffId, kind: absence.kind } })),
    moves,
    unplaced,
    decisions,
    stats: {
      affected: repair.stats.affected,
      moved: repair.stats.moved,
      unplaced: unplaced.length,
      extraTravelMinutes: repair.stats.extraTravelMinutes,
      chained: repair.stats.chained,
      movedToNextWeek: repair.stats.movedToNextWeek,
      coveredByPartner: repair.stats.coveredByPartner,
      coveredByColleague: repair.stats.coveredByColleague,
      cancelled: repair.stats.cancelled,
    },
    ...(plannedFrom ? { plannedFrom } : {}),
  };
}

/** In the current week, the local time planning starts from (now rounded up to the quarter hour, as the week plan says). */
function plannedFromOf(deps: Deps, zone: string): string {
  const { today, nowMinutes } = planningStart(deps, zone);
  const next = DateTime.fromISO(today, { zone: 'utc' }).plus({ minutes: nowMinutes });
  return next.toFormat("yyyy-MM-dd'T'HH:mm");
}

type Problem = { path: string; message: string };
type Decided = { path: string; decision: ReplanDecision };

/** DynamoDB's limit of items in one transaction. */
const transactionItems = 100;

/**
 * Commits a re-plan (issue 23) in ONE transaction: moves (the earlier `moves` form, or `decisions` with action move),
 * covers by the partner or a confirmed colleague, cancellations by the team for the staff absence, and restores of such
 * cancellations after an absence was shortened. Each visit is changed from the version the proposal read, so if any of
 * them changed meanwhile the whole commit is a 409 naming it and nothing is written; every new placement is checked
 * again against the schedule as it is now (collisions, travel, absences, daily maximums). Change notices go once to the
 * visit's staff, the family's other therapist and the coordinators — never to the absent.
 */
export async function commitReplan(
  deps: Deps,
  principal: Principal,
  week: string,
  input: CommitReplanBody,
): Promise<{ moved: Visit[]; covered: Visit[]; cancelled: Visit[]; restored: Visit[] }> {
  const teamId = ownTeam(principal);
  const team = await loadTeam(deps, teamId);
  const { days } = weekDates(week);
  const allowedMoveDays = [...days, ...weekDates(nextWeekOf(week)).days];
  const decided: Decided[] = [
    ...(input.moves ?? []).map((m, i) => ({ path: `moves[${i}]`, decision: { ...m, action: 'move' as const } })),
    ...(input.decisions ?? []).map((decision, i) => ({ path: `decisions[${i}]`, decision })),
  ];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const { path, decision } of decided) {
    if (decision.action === 'move' && !allowedMoveDays.includes(decision.start.slice(0, 10)))
      problems.push({ path: `${path}.start`, message: `is not in ${week} or the week after` });
    if (seen.has(decision.visit)) problems.push({ path: `${path}.visit`, message: `visit ${decision.visit} has more than one decision` });
    seen.add(decision.visit);
  }
  const [storedList, staff, absences, channels] = await Promise.all([
    getVisits(
      deps.db,
      teamId,
      decided.map((d) => d.decision.visit),
    ),
    listStaff(deps.db, teamId),
    listAbsences(deps.db, teamId),
    noticeChannels(deps, teamId),
  ]);
  const stored = new Map(storedList.map((v) => [v.id, v]));
  const intervals = new Map<string, { start: string; end: string }>();
  for (const { path, decision } of decided) {
    const visit = stored.get(decision.visit);
    if (!visit) {
      problems.push({ path: `${path}.visit`, message: `no visit ${decision.visit} in the team` });
      continue;
    }
    if (decision.action !== 'move' && visit.week !== week)
      problems.push({ path: `${path}.visit`, message: `visit ${visit.id} is in ${visit.week}, not ${week}` });
    if (decision.action === 'colleague') {
      const colleague = staff.find((s) => s.id === decision.staff);
      const absentRoles = new Set(absentStaffOf(visit, absences, team.zone).map((id) => staff.find((s) => s.id === id)?.role));
      if (!colleague || !colleague.active || colleague.role === 'coordinator')
        problems.push({ path: `${path}.staff`, message: `no active therapist ${decision.staff} in the team` });
      else if (absentRoles.size > 0 && !absentRoles.has(colleague.role))
        problems.push({
          path: `${path}.staff`,
          message: `${decision.staff} is a ${colleague.role.replace('_', ' ')}; the absent ${[...absentRoles].join(', ').replace('_', ' ')} is covered by a colleague of the same role`,
        });
    }
    if (decision.action === 'move') {
      try {
        intervals.set(visit.id, toInterval(team, decision.start, decision.end));
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        problems.push(...(error.fields ?? []).map((f) => ({ ...f, path: `${path}.${f.path}` })));
      }
    }
  }
  if (problems.length) throw new Invalid(problems);

  const familyCodes = [...new Set(storedList.map((v) => v.family))];
  const families = new Map(
    (await Promise.all(familyCodes.map((c) => getFamily(deps.db, teamId, c)))).flatMap((f) => (f ? [[f.code, f] as const] : [])),
  );
  const coordinators = staff.filter((s) => s.active && s.role === 'coordinator').map((s) => s.id);
  const at = deps.now().toISOString();
  const change = {
    records: [] as ReturnType<typeof visitWrite>[],
    remove: [] as Placement[],
    add: [] as Placement[],
    audits: [] as { entry: ReturnType<typeof auditOf>; id: string }[],
    extra: [] as NonNullable<ReturnType<typeof visitFiguresWrite>>[],
  };
  const out = { moved: [] as Visit[], covered: [] as Visit[], cancelled: [] as Visit[], restored: [] as Visit[] };
  for (const { decision } of decided) {
    const visit = stored.get(decision.visit);
    if (!visit) continue;
    const family = families.get(visit.family);
    const maxPerDay = { maxSessionsPerDay: family?.maxSessionsPerDay ?? 1 };
    const label = `visit ${visit.id} (${visit.family} ${visit.startLocal})`;
    if (visit.version !== decision.version)
      throw new Conflict(
        `${label} is at version ${visit.version}, not ${decision.version}: it was changed after the proposal; nothing was changed — propose again`,
      );
    const expected = decision.action === 'restore' ? 'cancelled' : 'planned';
    if (visit.status !== expected) throw new Conflict(`${label} is ${visit.status}; nothing was changed`);
    const absent = absentStaffOf(visit, absences, team.zone);
    const next = { version: visit.version + 1, updatedAt: at };
    let after: Visit;
    let action: string;
    if (decision.action === 'move') {
      const interval = intervals.get(visit.id);
      const outside = family && outsideTreatment(family, decision.start.slice(0, 10));
      if (outside) throw new Conflict(outside);
      if (!interval) continue;
      after = Visit.parse({
        ...visit,
        ...next,
        start: interval.start,
        end: interval.end,
        startLocal: decision.start,
        endLocal: decision.end,
        week: isoWeekOf(interval.start, team.zone),
      });
      action = 'move:replan';
      out.moved.push(after);
    } else if (decision.action === 'restore') {
      if (visit.cancelReason !== 'staff_absence') throw new Conflict(`${label} was not cancelled for a staff absence; book it again instead`);
      const { cancelledBy: _by, cancelReason: _reason, ...rest } = visit;
      after = Visit.parse({ ...rest, ...next, status: 'planned' });
      action = 'restore:absence-shortened';
      out.restored.push(after);
    } else {
      if (absent.length === 0) throw new Conflict(`none of ${label}'s staff (${visit.staff.join(', ')}) is absent at its time; nothing was changed`);
      if (decision.action === 'cancel') {
        after = Visit.parse({ ...visit, ...next, status: 'cancelled', cancelledBy: 'team', cancelReason: 'staff_absence' });
        action = 'cancel:staff-absence';
        out.cancelled.push(after);
      } else {
        const cover = decision.action === 'partner' ? partnerCover(visit, family, absent) : colleagueCover(visit, absent, decision.staff, staff);
        if (typeof cover === 'string') throw new Conflict(`${label}: ${cover}; nothing was changed`);
        after = Visit.parse({
          ...visit,
          ...next,
          kind: cover.kind,
          staff: cover.staff,
          cover: {
            by: decision.action,
            plannedKind: visit.cover?.plannedKind ?? visit.kind,
            plannedStaff: visit.cover?.plannedStaff ?? visit.staff,
            absent,
            ...(decision.action === 'colleague' ? { continuityBreak: true } : {}),
          },
        });
        action = `cover:${decision.action}`;
        out.covered.push(after);
      }
    }
    const pair = family ? [family.familyTherapist, family.individualTherapist] : [];
    const absentThen = new Set([...absent, ...absentStaffOf(after, absences, team.zone)]);
    // A visit the absence knocked out: the family's other therapist and the coordinators hear of it too (issue 23).
    const recipients = absent.length === 0 ? after.staff : [...new Set([...visit.staff, ...after.staff, ...pair, ...coordinators])];
    change.records.push(visitWrite(after, visit.version));
    if (decision.action !== 'restore')
      change.records.push(
        ...changeNoticeWrites(
          team,
          channels,
          visit,
          after,
          deps.now(),
          recipients.filter((s) => !absentThen.has(s)),
        ),
      );
    if (visit.status === 'planned') change.remove.push(visitPlacement(visit, maxPerDay));
    if (after.status === 'planned') change.add.push(visitPlacement(after, maxPerDay));
    change.audits.push({ entry: auditOf(principal, action, visit, after), id: deps.newId() });
    const figures = visitFiguresWrite(deps.db, visit, after);
    if (figures) change.extra.push(figures);
  }
  // One transaction holds at most 100 items: the records, audits, figure items and the days they change.
  const dayKeys = new Set(
    [...change.remove, ...change.add].flatMap((p) => {
      const dates = new Set([localDateOf(p.engagement.start, team.zone), localDateOf(p.engagement.end, team.zone)]);
      return [...dates].flatMap((date) => [...p.staff.map((s) => `staff#${s}#${date}`), `family#${p.family?.code ?? ''}#${date}`]);
    }),
  );
  const items = change.records.length + change.audits.length + change.extra.length + dayKeys.size + 1;
  if (items > transactionItems) {
    throw new Invalid([
      {
        path: input.decisions ? 'decisions' : 'moves',
        message: `these decisions need about ${items} writes, more than one transaction holds (${transactionItems}); commit them in two parts (e.g. day by day)`,
      },
    ]);
  }
  // With an Idempotency-Key, the key's record completes with this answer in the same transaction (issue 24 §1).
  await applyScheduleChange(deps, team, absences, { ...change, extra: [...change.extra, ...answerItems(out)] });
  return out;
}

/** The pair's other therapist takes it: a joint visit with them alone, a one-therapist visit as their kind where the mix has it. */
function partnerCover(visit: Visit, family: Family | undefined, absent: readonly string[]): { staff: string[]; kind: Visit['kind'] } | string {
  if (!family) return `${visit.family} is not a case of the team`;
  const partner = [family.familyTherapist, family.individualTherapist].find(
    (s) => !absent.includes(s) && (visit.kind === 'joint' ? visit.staff.includes(s) : !visit.staff.includes(s)),
  );
  if (!partner) return `no one of ${visit.family}'s pair is there to take it`;
  const kind = partner === family.familyTherapist ? 'family' : 'individual';
  if (visit.kind !== 'joint' && !family.sessions.some((s) => s.kind === kind && s.count > 0))
    return `${visit.family}'s session mix has no ${kind} sessions`;
  return { staff: [partner], kind };
}

/** A colleague of the absent person's role takes their place on the visit. */
function colleagueCover(
  visit: Visit,
  absent: readonly string[],
  colleague: string,
  staff: readonly { id: string; role: string }[],
): { staff: string[]; kind: Visit['kind'] } | string {
  if (absent.length !== 1) return `${absent.join(' and ')} are all absent; a colleague can stand in for one`;
  const role = staff.find((s) => s.id === absent[0])?.role;
  const other = staff.find((s) => s.id === colleague);
  if (!other || other.role !== role) return `${colleague} is not a ${String(role).replace('_', ' ')} like ${absent[0] ?? ''}`;
  if (visit.staff.includes(colleague)) return `${colleague} already gives it`;
  return { staff: [...visit.staff.filter((s) => !absent.includes(s)), colleague].sort(), kind: visit.kind };
}

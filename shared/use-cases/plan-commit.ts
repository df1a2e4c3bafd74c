import { dateRangeInstants, weekDates } from '../domain/booking/time.js';
import { Invalid } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { AlreadyBooked, CommitPlanBody, ProposalSummary } from '../schemas/plan-proposal.js';
import { listFamilies } from '../store/families.js';
import { visitsBetween } from '../store/visits.js';
import { ownTeam } from './access.js';
import type { Deps } from './deps.js';
import type { CommitOutcome } from './visits.js';
import { commitPlan, loadTeam } from './visits.js';

// Apart from plan.ts so that the commit function's bundle holds no planner or solver.

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What the week already holds for the families active in it (issue 21: a week already booked proposed 0 visits with
 * no word why): per family the sessions booked (planned or done) by kind and the sessions of its weekly mix left to
 * place — the same count the planning problem asks for — a summary, and a sentence when anything is booked.
 * `planned` narrows it to the families a planning problem holds.
 */
export async function weekBookings(
  deps: Deps,
  teamId: string,
  zone: string,
  week: string,
  planned?: ReadonlySet<string>,
): Promise<{ alreadyBooked: AlreadyBooked[]; summary: ProposalSummary; note?: string }> {
  const { monday, sunday } = weekDates(week);
  const range = dateRangeInstants(monday, sunday, zone);
  const [families, visits] = await Promise.all([listFamilies(deps.db, teamId, 'active'), visitsBetween(deps.db, teamId, range.from, range.to)]);
  const booked = visits.filter((v) => v.status === 'planned' || v.status === 'done');
  const inWeek = families.filter(
    (f) => (f.treatmentStart ?? monday) <= sunday && (f.treatmentEnd ?? sunday) >= monday && (!planned || planned.has(f.code)),
  );
  const alreadyBooked = inWeek
    .map((f) => {
      const own = booked.filter((v) => v.family === f.code);
      const ofKind = (kind: string) => own.filter((v) => v.kind === kind).length;
      const toPlace = f.sessions.reduce((n, s) => n + Math.max(0, s.count - ofKind(s.kind)), 0);
      return {
        family: f.code,
        booked: own.length,
        byKind: { family: ofKind('family'), individual: ofKind('individual'), joint: ofKind('joint') },
        toPlace,
      };
    })
    .sort((a, b) => a.family.localeCompare(b.family));
  const sessionsBooked = alreadyBooked.reduce((n, f) => n + f.booked, 0);
  const sessionsToPlace = alreadyBooked.reduce((n, f) => n + f.toPlace, 0);
  const summary = { sessionsBooked, sessionsToPlace, alreadyPlanned: sessionsBooked > 0 && sessionsToPlace === 0 };
  if (sessionsBooked === 0) return { alreadyBooked, summary };
  const familiesBooked = alreadyBooked.filter((f) => f.booked > 0).length;
  const note = summary.alreadyPlanned
    ? `${week} is already planned: ${count(sessionsBooked, 'session', 'sessions')} of ${count(familiesBooked, 'family', 'families')} booked, nothing left to place`
    : `${count(sessionsBooked, 'session', 'sessions')} already booked in ${week} ${sessionsBooked === 1 ? 'is' : 'are'} kept; ${sessionsToPlace} left to place`;
  return { alreadyBooked, summary, note };
}

/**
 * Books a proposal as POST /weeks/{week}/plan returned it (or its `result`, or `{ visits }`), all of it or the
 * families chosen. Field errors name the visit where the client sent it (`result.visits[3].start`). Nothing to book is
 * a 400 that says why — the week already planned, or what is left to place — instead of "Too small" (issue 21).
 */
export async function commitProposal(deps: Deps, principal: Principal, week: string, body: CommitPlanBody): Promise<CommitOutcome> {
  const teamId = ownTeam(principal);
  const visitsPath = body.result ? 'result.visits' : 'visits';
  const all = body.result?.visits ?? body.visits ?? [];
  const problems: { path: string; message: string }[] = [];
  if (body.week !== undefined && body.week !== week) problems.push({ path: 'week', message: `the proposal is for ${body.week}, not ${week}` });
  if (body.result && body.result.week !== week)
    problems.push({ path: 'result.week', message: `the proposal is for ${body.result.week}, not ${week}` });
  body.families?.forEach((code, i) => {
    if (!all.some((v) => v.family === code)) problems.push({ path: `families[${i}]`, message: `the proposal has no visits of ${code}` });
  });
  if (problems.length) throw new Invalid(problems);
  const chosen = body.families ? all.filter((v) => body.families?.includes(v.family)) : all;
  if (chosen.length === 0) {
    const team = await loadTeam(deps, teamId);
    const { summary, note } = await weekBookings(deps, teamId, team.zone, week);
    const why = summary.alreadyPlanned
      ? `nothing to book: ${note ?? `${week} is already planned`}`
      : `nothing to book: the proposal holds no visits (${note ? `${note}; ` : ''}${summary.sessionsToPlace} sessions to place: propose ${week} again)`;
    throw new Invalid([{ path: visitsPath, message: why }], 'Nothing was booked.');
  }
  try {
    return await commitPlan(deps, principal, week, { visits: chosen });
  } catch (error) {
    // commitPlan names a visit by its place in `chosen`: name it where the client sent it.
    if (!(error instanceof Invalid)) throw error;
    const renamed = (error.fields ?? []).map((f) => {
      const m = /^visits\[(\d+)\](.*)$/.exec(f.path);
      const visit = m ? chosen[Number(m[1])] : undefined;
      return m && visit ? { ...f, path: `${visitsPath}[${all.indexOf(visit)}]${m[2] ?? ''}` } : f;
    });
    throw new Invalid(renamed, error.message);
  }
}

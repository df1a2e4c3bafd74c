import type { TransactItem } from '../store/client.js';
import { Conflict } from '../domain/errors.js';
import type { Engagement } from '../schemas/engagement.js';
import type { AuditEntry } from '../schemas/family.js';
import type { Absence } from '../schemas/staff.js';
import type { Team } from '../schemas/team.js';
import { absenceOverlaps } from '../domain/absence-interval.js';
import { findFamilyCollision, findStaffCollision, withEngagement, withoutEngagement } from '../domain/booking/conflicts.js';
import { instantToLocal, localDateOf } from '../domain/booking/time.js';
import { travelLookup } from '../domain/planning/rules.js';
import type { DayRef, RecordWrite } from '../store/schedule.js';
import { commitBooking, DaysChangedError, dayRefKey, readDays, StaleRecordError } from '../store/schedule.js';
import { withRetries } from '../store/retry.js';
import { listAbsences } from '../store/staff.js';
import type { Deps } from './deps.js';

/** Something that occupies staff (and maybe a family) for a while: a visit or a meeting occurrence. */
export interface Placement {
  engagement: Engagement;
  staff: readonly string[];
  family?: { code: string; maxPerDay: number } | undefined;
}

/** A change to the shared schedule: records to write, placements to take off and to put on, audit entries. */
export interface ScheduleChange {
  records: RecordWrite[];
  remove: Placement[];
  add: Placement[];
  audits: { entry: AuditEntry; id: string }[];
  /** Further writes in the same transaction (the case's figure item). */
  extra?: TransactItem[];
}

const maxAttempts = 8;

function daysOf(team: Team, placement: Placement): DayRef[] {
  const dates = [...new Set([localDateOf(placement.engagement.start, team.zone), localDateOf(placement.engagement.end, team.zone)])];
  return dates.flatMap((date) => [
    ...placement.staff.map((id): DayRef => ({ owner: 'staff', id, date })),
    ...(placement.family ? [{ owner: 'family', id: placement.family.code, date } as DayRef] : []),
  ]);
}

const hhmm = (instant: string, zone: string) => instantToLocal(instant, zone).slice(11);

function describe(e: Engagement, zone: string): string {
  const what = e.type === 'visit' ? `a visit (${e.family ?? ''}, ${e.place})` : `a meeting (${e.place})`;
  return `${what} ${instantToLocal(e.start, zone).slice(0, 10)} ${hhmm(e.start, zone)}–${hhmm(e.end, zone)}`;
}

/** A staff absence the placement falls into: a whole-day one on any of its days, a part-day one overlapping its time. */
function absenceCollision(placement: Placement, absences: readonly Absence[], zone: string): Absence | undefined {
  const first = localDateOf(placement.engagement.start, zone);
  const last = localDateOf(placement.engagement.end, zone);
  return absences.find(
    (a) =>
      placement.staff.includes(a.staffId) &&
      (a.start !== undefined ? absenceOverlaps(a, zone, placement.engagement.start, placement.engagement.end) : a.from <= last && first <= a.to),
  );
}

/**
 * Applies a schedule change atomically. Each attempt reads the affected days, checks every new placement
 * against them (travel time between places included) and commits everything in one transaction guarded by
 * the days' versions. A concurrent change to one of those days makes the commit fail; the attempt is then
 * re-run on fresh data, so a booking that no longer fits gets a 409 and one that still fits goes through.
 */
export async function applyScheduleChange(deps: Deps, team: Team, absences: readonly Absence[], change: ScheduleChange): Promise<void> {
  const travel = travelLookup(team.travelMinutes);
  const refs = [...change.remove, ...change.add].flatMap((p) => daysOf(team, p));
  const attemptChange = async (attempt: number): Promise<void> => {
    // Recording an absence bumps the days it covers, so a booking racing it fails its day condition and
    // lands here again, where the fresh list of absences refuses it.
    const currentAbsences = attempt === 1 || change.add.length === 0 ? absences : await listAbsences(deps.db, team.id);
    for (const placement of change.add) {
      const absent = absenceCollision(placement, currentAbsences, team.zone);
      if (absent)
        throw new Conflict(
          `${absent.staffId} is absent (${absent.kind}) ${absent.startLocal !== undefined ? `${absent.startLocal}–${absent.endLocal ?? ''}` : `${absent.from}–${absent.to}`}`,
        );
    }
    const days = await readDays(deps.db, team.id, refs);
    const next = new Map([...days].map(([key, day]) => [key, day.engagements]));
    for (const placement of change.remove) {
      for (const ref of daysOf(team, placement))
        next.set(dayRefKey(ref), withoutEngagement(next.get(dayRefKey(ref)) ?? [], placement.engagement.ref));
    }
    for (const placement of change.add) {
      for (const ref of daysOf(team, placement)) {
        const key = dayRefKey(ref);
        const current = next.get(key) ?? [];
        if (ref.owner === 'staff') {
          const collision = findStaffCollision(current, placement.engagement, travel);
          if (collision) {
            const travelNote =
              collision.neededGapMinutes > 0
                ? ` (travel between ${collision.with.place} and ${placement.engagement.place} takes ${collision.neededGapMinutes} min)`
                : '';
            throw new Conflict(`${ref.id} already has ${describe(collision.with, team.zone)}${travelNote}`);
          }
        } else if (placement.family) {
          const collision = findFamilyCollision(current, placement.engagement, placement.family.maxPerDay);
          if (collision === 'overlap') throw new Conflict(`family ${ref.id} already has a visit at that time on ${ref.date}`);
          if (collision === 'max-per-day')
            throw new Conflict(`family ${ref.id} already has ${placement.family.maxPerDay} visit(s) on ${ref.date}, its maximum`);
        }
        next.set(key, withEngagement(current, placement.engagement));
      }
    }
    const dayWrites = [...days].flatMap(([key, day]) => {
      const engagements = next.get(key) ?? [];
      const ref = refs.find((r) => dayRefKey(r) === key);
      if (!ref || JSON.stringify(engagements) === JSON.stringify(day.engagements)) return [];
      return [{ ref, day: { ...day, engagements, version: day.version + 1, changedAt: deps.now().toISOString() }, expectedVersion: day.version }];
    });
    try {
      await commitBooking(deps.db, team.id, change.records, dayWrites, change.audits, change.extra);
    } catch (error) {
      if (error instanceof StaleRecordError) throw new Conflict('it was changed by someone else meanwhile; reload and try again');
      throw error;
    }
  };
  try {
    // Someone changed one of these days meanwhile: back off a little and re-check on fresh data.
    await withRetries(attemptChange, { attempts: maxAttempts, retryOn: (error) => error instanceof DaysChangedError });
  } catch (error) {
    if (error instanceof DaysChangedError) throw new Conflict('the schedule is changing too fast right now; try again');
    throw error;
  }
}

import type { Principal } from '../domain/principal.js';
import { absentAllDay, partDayEngagements } from '../domain/absence-interval.js';
import { findAlternatives } from '../domain/booking/alternatives.js';
import type { StaffDayView } from '../domain/booking/alternatives.js';
import { addDays, localToInstant, weekDates } from '../domain/booking/time.js';
import { travelLookup } from '../domain/planning/rules.js';
import { holidaysBetween } from '../domain/holidays.js';
import { listFamilies } from '../store/families.js';
import type { DayRef } from '../store/schedule.js';
import { dayRefKey, readDays } from '../store/schedule.js';
import { getStaff, listAbsences } from '../store/staff.js';
import { ownTeam } from './access.js';
import type { Deps } from './deps.js';
import { loadTeam } from './visits.js';

export interface HandoverProposal {
  family: string;
  treatmentEnd: string;
  receivingUnit: 'socialtjanst' | 'bup';
  staff: string[];
  slots: { start: string; end: string }[];
}

/**
 * Families entering their last two weeks of treatment in `week`, each with up to three 60-minute slots that week
 * when both therapists are free (working hours, travel from and to their other engagements, absences, holidays),
 * for a handover meeting with the receiving unit (BUP or socialtjänsten). Booking one is POST /meetings, kind handover.
 */
export async function handoverProposals(deps: Deps, principal: Principal, week: string): Promise<HandoverProposal[]> {
  const teamId = ownTeam(principal);
  const team = await loadTeam(deps, teamId);
  const { days, monday } = weekDates(week);
  const lastTwoWeeksStartBy = addDays(monday, 13);
  const families = (await listFamilies(deps.db, teamId, 'active')).filter(
    (f) => f.treatmentEnd !== undefined && f.treatmentEnd >= monday && f.treatmentEnd <= lastTwoWeeksStartBy,
  );
  const holidays = new Set(holidaysBetween(days[0] ?? '', days[6] ?? '', team.holidayCalendar).map((h) => h.date));
  const absences = await listAbsences(deps.db, teamId);
  const travel = travelLookup(team.travelMinutes);
  const now = deps.now().toISOString();
  const proposals: HandoverProposal[] = [];
  for (const family of families) {
    const pair = [family.familyTherapist, family.individualTherapist];
    const staffRecords = (await Promise.all(pair.map((id) => getStaff(deps.db, teamId, id)))).flatMap((s) => (s ? [s] : []));
    const refs = days.flatMap((date) => pair.map((id): DayRef => ({ owner: 'staff', id, date })));
    const stored = await readDays(deps.db, teamId, refs);
    const staff: StaffDayView[] = staffRecords.map((s) => ({
      id: s.id,
      base: s.base,
      workingHours: s.workingHours,
      maxVisitsPerDay: Number.MAX_SAFE_INTEGER,
      days: new Map(
        days.map((d) => [
          d,
          [
            ...(stored.get(dayRefKey({ owner: 'staff', id: s.id, date: d }))?.engagements ?? []),
            ...partDayEngagements(absences, s.id, d, team.zone, s.base),
          ],
        ]),
      ),
      absentDates: new Set(days.filter((d) => absences.some((a) => a.staffId === s.id && absentAllDay(a, d)))),
    }));
    const base = staffRecords[0]?.base ?? family.place;
    const slots = findAlternatives({
      ref: `handover:${family.code}`,
      place: base,
      minutes: 60,
      originalStart: localToInstant(`${monday}T00:00`, team.zone) ?? now,
      dates: days,
      holidays,
      zone: team.zone,
      slotMinutes: 30,
      familyWindows: staffRecords[0]?.workingHours ?? [],
      familyDays: new Map(),
      familyMaxPerDay: Number.MAX_SAFE_INTEGER,
      staff,
      travel,
      notBefore: now,
      limit: 3,
      perDay: 1,
    });
    proposals.push({
      family: family.code,
      treatmentEnd: family.treatmentEnd ?? '',
      receivingUnit: family.receivingUnit ?? family.referral.source,
      staff: pair,
      slots: slots.map(({ start, end }) => ({ start, end })),
    });
  }
  return proposals;
}

import { DateTime } from 'luxon';

/**
 * SPEC §9 written out a second time, as plainly as possible, from the raw records (family records, visits, inquiries):
 * the rollup property test compares GET /figures with this. It shares no code with shared/domain/figures on purpose.
 */
export interface RawFamily {
  code: string;
  status: string;
  place: string;
  referral: { source: string; date: string };
  ageAtStart: number;
  gender?: string | undefined;
  minSessions: number;
  declineReason?: string | undefined;
  treatmentStart?: string | undefined;
  treatmentEnd?: string | undefined;
  completion?: { type: string; outcomes?: Record<string, string> | undefined } | undefined;
}
export interface RawVisit {
  family: string;
  kind: string;
  status: string;
  startLocal: string;
  cancelledBy?: string | undefined;
  cancelReason?: string | undefined;
}
export interface RawInquiry {
  date: string;
  kind: string;
  channel: string;
  source: string;
  municipality: string;
  outcome: string;
}

const date = (d: string) => DateTime.fromISO(d, { zone: 'utc' });
const inPeriod = (d: string, from: string, to: string) => d.slice(0, 7) >= from && d.slice(0, 7) <= to;
const daysBetween = (a: string, b: string) => Math.round(date(b).diff(date(a), 'days').days);
const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const countBy = (keys: readonly string[], values: string[]) => {
  const out: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};

const outcomeValues: Record<string, string[]> = {
  schoolAttendance: ['increased', 'started', 'unchanged', 'decreased', 'unknown'],
  kaa: ['yes', 'no', 'unknown'],
  continuedCare: ['bup', 'socialtjanst', 'both', 'none', 'unknown'],
  livingAtHome: ['yes', 'no', 'unknown'],
  mentalHealth: ['better', 'unchanged', 'worse', 'unknown'],
  conflictLevel: ['better', 'unchanged', 'worse', 'unknown'],
  opennessToCare: ['better', 'unchanged', 'worse', 'unknown'],
  symptoms: ['better', 'unchanged', 'worse', 'unknown'],
  mutualUnderstanding: ['better', 'unchanged', 'worse', 'unknown'],
};

/** The §9 figures of `from..to` (whole months) as of `today` (yyyy-mm-dd in the team's zone). */
export function oracleFigures(
  families: RawFamily[],
  visits: RawVisit[],
  inquiries: RawInquiry[],
  period: { from: string; to: string },
  today: string,
  places: string[],
) {
  const { from, to } = period;
  const hasStarted = (f: RawFamily) => (f.status === 'active' || f.status === 'completed') && f.treatmentStart !== undefined;
  const endOf = (f: RawFamily) => (f.status === 'completed' ? f.treatmentEnd : undefined);
  const started = families.filter((f) => hasStarted(f) && inPeriod(f.treatmentStart as string, from, to));
  const completed = families.filter(
    (f) => f.status === 'completed' && f.treatmentEnd !== undefined && hasStarted(f) && inPeriod(f.treatmentEnd, from, to),
  );
  const periodStart = `${from}-01`;
  const periodEnd = date(`${to}-01`).endOf('month').toFormat('yyyy-MM-dd');
  const activeDuring = families.filter(
    (f) => hasStarted(f) && (f.treatmentStart as string) <= periodEnd && (endOf(f) === undefined || (endOf(f) as string) >= periodStart),
  );
  const received = families.filter((f) => inPeriod(f.referral.date, from, to));
  const declined = received.filter((f) => f.status === 'declined');
  const waits = started.map((f) => daysBetween(f.referral.date, f.treatmentStart as string));

  // Family-weeks: ISO weeks wholly inside the treatment; a week's month is its Thursday's.
  const yesterday = date(today).minus({ days: 1 }).toFormat('yyyy-MM-dd');
  const weekOfVisit = (v: RawVisit) => DateTime.fromISO(v.startLocal, { zone: 'utc' }).toFormat("kkkk-'W'WW");
  const perWeek: number[] = [];
  const doneByKind: Record<string, number> = { family: 0, individual: 0, joint: 0 };
  let atTarget = 0;
  for (const f of families.filter(hasStarted)) {
    const last = f.status === 'completed' ? f.treatmentEnd : yesterday;
    if (!last) continue;
    for (
      let monday = date(f.treatmentStart as string).startOf('week');
      monday.plus({ days: 6 }).toFormat('yyyy-MM-dd') <= last;
      monday = monday.plus({ weeks: 1 })
    ) {
      if (monday.toFormat('yyyy-MM-dd') < (f.treatmentStart as string)) continue;
      const thursday = monday.plus({ days: 3 }).toFormat('yyyy-MM-dd');
      if (!inPeriod(thursday, from, to)) continue;
      const week = monday.toFormat("kkkk-'W'WW");
      const done = visits.filter((v) => v.family === f.code && v.status === 'done' && weekOfVisit(v) === week);
      for (const v of done) doneByKind[v.kind] = (doneByKind[v.kind] ?? 0) + 1;
      perWeek.push(done.length);
      if (done.length >= f.minSessions) atTarget += 1;
    }
  }
  const visitsDone = perWeek.reduce((a, b) => a + b, 0);
  const startingInPeriod = visits.filter((v) => inPeriod(v.startLocal, from, to));
  const cancelled = startingInPeriod.filter((v) => v.status === 'cancelled');
  const stays = completed.map((f) => daysBetween(f.treatmentStart as string, f.treatmentEnd as string));
  const genders = ['girl', 'boy', 'other', 'unknown'];
  const ageRange = (g: string): [number, number] | null => {
    const ages = started.filter((f) => (f.gender ?? 'unknown') === g).map((f) => f.ageAtStart);
    return ages.length ? [Math.min(...ages), Math.max(...ages)] : null;
  };
  const inquiriesIn = inquiries.filter((i) => inPeriod(i.date, from, to));

  return {
    period,
    cases: {
      started: started.length,
      activeDuring: activeDuring.length,
      completed: completed.length,
      byCompletion: countBy(
        ['as_planned', 'ended_early_family', 'ended_early_team', 'moved', 'other'],
        completed.map((f) => f.completion?.type ?? 'other'),
      ),
    },
    referrals: {
      received: received.length,
      bySource: countBy(
        ['socialtjanst', 'bup'],
        received.map((f) => f.referral.source),
      ),
      byPlace: countBy(
        places,
        received.map((f) => f.place),
      ),
      accepted: received.filter((f) => ['accepted', 'active', 'completed'].includes(f.status)).length,
      declined: declined.length,
      pending: received.filter((f) => f.status === 'referred').length,
      declinedByReason: countBy(
        ['outside_target_group', 'family_declined', 'other_care_more_suitable', 'no_capacity', 'other'],
        declined.map((f) => f.declineReason ?? 'other'),
      ),
      waitingDays: { median: median(waits), max: waits.length ? Math.max(...waits) : null },
    },
    inquiries: {
      total: inquiriesIn.length,
      byKind: countBy(
        ['inquiry', 'consultation', 'information'],
        inquiriesIn.map((i) => i.kind),
      ),
      byChannel: countBy(
        ['in_passing', 'phone', 'meeting', 'email', 'video'],
        inquiriesIn.map((i) => i.channel),
      ),
      bySource: countBy(
        ['socialtjanst', 'bup', 'school', 'other'],
        inquiriesIn.map((i) => i.source),
      ),
      byOutcome: countBy(
        ['referral_expected', 'advice_given', 'not_target_group', 'other'],
        inquiriesIn.map((i) => i.outcome),
      ),
      byPlace: countBy(
        places,
        inquiriesIn.map((i) => i.municipality),
      ),
    },
    youngPeople: {
      byGender: countBy(
        genders,
        started.map((f) => f.gender ?? 'unknown'),
      ),
      byAgeBand: countBy(
        ['12-13', '14-15', '16-18'],
        started.map((f) => (f.ageAtStart <= 13 ? '12-13' : f.ageAtStart <= 15 ? '14-15' : '16-18')),
      ),
      ageRangeByGender: Object.fromEntries(genders.map((g) => [g, ageRange(g)])),
      byPlace: countBy(
        places,
        started.map((f) => f.place),
      ),
      bySource: countBy(
        ['socialtjanst', 'bup'],
        started.map((f) => f.referral.source),
      ),
    },
    delivery: {
      familyWeeks: perWeek.length,
      visitsDone,
      byKind: doneByKind,
      perFamilyWeek: { mean: perWeek.length ? Math.round((visitsDone / perWeek.length) * 100) / 100 : null, median: median(perWeek) },
      weeksAtTarget: atTarget,
      weeksBelowTarget: perWeek.length - atTarget,
    },
    cancellations: {
      byFamily: cancelled.filter((v) => v.cancelledBy === 'family').length,
      byTeam: cancelled.filter((v) => v.cancelledBy === 'team').length,
      noShow: startingInPeriod.filter((v) => v.status === 'no_show').length,
      byReason: countBy(
        [
          'illness',
          'family_unavailable',
          'staff_unavailable',
          'crisis',
          'weather_travel',
          'rescheduled',
          'treatment_ended',
          'staff_absence',
          'other',
        ],
        cancelled.map((v) => v.cancelReason ?? 'other'),
      ),
    },
    lengthOfStayDays: { median: median(stays), min: stays.length ? Math.min(...stays) : null, max: stays.length ? Math.max(...stays) : null },
    outcomes: Object.fromEntries(
      Object.entries(outcomeValues).map(([field, values]) => [
        field,
        countBy(
          values,
          completed.map((f) => f.completion?.outcomes?.[field] ?? 'unknown'),
        ),
      ]),
    ),
  };
}

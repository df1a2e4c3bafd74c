import { DateTime } from 'luxon';
import { kalmarMunicipalities, kalmarTravelMatrix } from '../../shared/domain/kalmar-county.js';
import type { Principal } from '../../shared/domain/principal.js';
import type { CreateFamilyBody } from '../../shared/schemas/family.js';
import type * as z from 'zod';
import { CreateStaffBody } from '../../shared/schemas/staff.js';
import { CreateTeamBody } from '../../shared/schemas/team.js';
import { listSeries } from '../../shared/store/meetings.js';
import { getTeam } from '../../shared/store/teams.js';
import * as families from '../../shared/use-cases/families.js';
import * as meetings from '../../shared/use-cases/meetings.js';
import * as plan from '../../shared/use-cases/plan.js';
import * as visits from '../../shared/use-cases/visits.js';
import { CreateSeriesBody } from '../../shared/schemas/meeting.js';
import * as staff from '../../shared/use-cases/staff.js';
import * as teams from '../../shared/use-cases/teams.js';
import type { StaffDeps } from '../../shared/use-cases/sign-ins.js';
import { reconcileTeamSignIns } from '../../shared/use-cases/sign-ins.js';
import type { DevIdentity } from './dev-tokens.js';
import { seedPilotHistory } from './seed-pilot.js';

export const demoTeamId = 'kalmar';

const weekdays = (start: string, end: string, days = [1, 2, 3, 4, 5]) => days.map((weekday) => ({ weekday, start, end }));

/** The demo team's staff, modelled on the Kalmar pilot: one coordinator, two family and two individual therapists. */
export const demoStaff: z.input<typeof CreateStaffBody>[] = [
  {
    id: 'sara',
    name: 'Sara (samordnare)',
    role: 'coordinator',
    base: 'Kalmar',
    email: 'sara@ikb.example',
    mobile: '+46700000001',
    workingHours: weekdays('08:00', '17:00'),
    maxVisitsPerDay: 3,
  },
  {
    id: 'anna',
    name: 'Anna (familjeterapeut)',
    role: 'family_therapist',
    base: 'Kalmar',
    email: 'anna@ikb.example',
    mobile: '+46700000002',
    workingHours: weekdays('09:00', '20:00'),
    maxVisitsPerDay: 3,
  },
  {
    id: 'erik',
    name: 'Erik (familjeterapeut)',
    role: 'family_therapist',
    base: 'Kalmar',
    email: 'erik@ikb.example',
    mobile: '+46700000003',
    workingHours: weekdays('09:00', '20:00'),
    maxVisitsPerDay: 3,
  },
  {
    id: 'bo',
    name: 'Bo (individualterapeut)',
    role: 'individual_therapist',
    base: 'Kalmar',
    email: 'bo@ikb.example',
    mobile: '+46700000004',
    workingHours: weekdays('09:00', '20:00'),
    maxVisitsPerDay: 3,
  },
  {
    id: 'lina',
    name: 'Lina (individualterapeut)',
    role: 'individual_therapist',
    base: 'Kalmar',
    email: 'lina@ikb.example',
    mobile: '+46700000005',
    workingHours: weekdays('09:00', '20:00'),
    maxVisitsPerDay: 3,
  },
];

const mix = [
  { kind: 'family' as const, count: 2, minutes: 90 },
  { kind: 'individual' as const, count: 2, minutes: 60 },
  { kind: 'joint' as const, count: 1, minutes: 90 },
];

/** Eight pseudonymous families across Kalmar, Emmaboda, Torsås and Borgholm. */
export function demoFamilies(): { body: CreateFamilyBody; status: 'referred' | 'accepted' | 'active'; startWeeksAgo?: number }[] {
  const afterSchool = weekdays('15:00', '20:00');
  const pairs = [
    ['anna', 'bo'],
    ['erik', 'lina'],
  ] as const;
  const places = ['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm', 'Kalmar', 'Emmaboda', 'Borgholm', 'Torsås'];
  return places.map((place, i) => {
    const [familyTherapist, individualTherapist] = pairs[i % 2] ?? pairs[0];
    const status = i < 6 ? 'active' : i === 6 ? 'accepted' : 'referred';
    return {
      body: {
        code: `KAL-2026-${String(i + 1).padStart(2, '0')}`,
        place,
        referral: {
          source: i % 3 === 0 ? 'bup' : 'socialtjanst',
          date:
            DateTime.now()
              .minus({ weeks: 10 - i })
              .toISODate() ?? '2026-09-01',
        },
        ageAtStart: 12 + (i % 7),
        familyTherapist,
        individualTherapist,
        sessions: i === 3 ? mix.map((s) => (s.kind === 'joint' ? { ...s, count: 0 } : s)) : mix,
        minSessions: 4,
        windows: i % 4 === 1 ? [...weekdays('15:00', '20:00', [1, 2, 3, 4]), { weekday: 5, start: '13:00', end: '18:00' }] : afterSchool,
        maxSessionsPerDay: 1,
        treatmentWeeks: 16,
        receivingUnit: i % 2 === 0 ? 'bup' : 'socialtjanst',
      },
      status,
      ...(status === 'active' ? { startWeeksAgo: i + 1 } : {}),
    };
  });
}

/** Sign-in identities for the demo: the platform admin and every staff member. */
export function demoIdentities(): DevIdentity[] {
  return [
    { subject: 'admin', groups: ['admin'] },
    ...demoStaff.map((s): DevIdentity => ({
      subject: s.id,
      teamId: demoTeamId,
      staffId: s.id,
      groups: [s.role === 'coordinator' ? 'coordinator' : 'therapist'],
    })),
  ];
}

/** The platform administrator's sign-in (no team). */
export const demoAdminEmail = 'admin@ikb.example.org';

/**
 * The demo's sign-ins: the administrator and every staff member of the demo team as their record says (enabled in the
 * group of their role, or disabled if deactivated). Run at every start, so a `.local` whose sign-ins file is missing
 * (an older one, or deleted) gets them back; the ones that exist keep their `sub`.
 */
export async function ensureDemoSignIns(deps: StaffDeps): Promise<void> {
  if (!deps.signIns) return;
  await deps.signIns.ensure({ email: demoAdminEmail, group: 'admin' });
  await reconcileTeamSignIns(deps, demoTeamId);
}

/** The coordinator the demo data is created as. */
export const demoSeeder: Principal = { subject: 'seed', teamId: demoTeamId, staffId: 'sara', groups: new Set(['coordinator']) };

/** Creates the demo team and its staff (the part of the demo the pilot history needs). */
export async function seedDemoTeam(deps: StaffDeps): Promise<void> {
  const seeder = demoSeeder;
  await teams.createTeam(
    deps,
    CreateTeamBody.parse({
      id: demoTeamId,
      name: 'IKB Kalmar län',
      zone: 'Europe/Stockholm',
      places: [...kalmarMunicipalities],
      travelMinutes: kalmarTravelMatrix(),
      holidayCalendar: { country: 'SE', extraDaysOff: [], workingDays: [] },
      defaultWorkingHours: weekdays('08:00', '17:00'),
    }),
  );
  for (const member of demoStaff) await staff.createStaff(deps, seeder, CreateStaffBody.parse(member));
}

/**
 * Seeds the demo team through the same use cases the API runs (so audit records exist too): the team and staff, the
 * pilot's history 2023–2025 (seed-pilot.ts), and the current families with this week's and next week's schedule.
 * Idempotent: an existing team is left alone. `pilot: false` leaves the pilot history out: a first `npm start` loads it
 * after the API answers (seed-pilot-background.ts); it only adds items, so the order makes no difference.
 */
export async function seedDemo(deps: StaffDeps, options: { pilot?: boolean } = {}): Promise<'seeded' | 'already-seeded' | 'incomplete'> {
  // The meeting series are seeded last: a team without them is a first start stopped while seeding.
  if (await getTeam(deps.db, demoTeamId)) {
    await ensureDemoSignIns(deps);
    return (await listSeries(deps.db, demoTeamId)).length >= 3 ? 'already-seeded' : 'incomplete';
  }
  const seeder = demoSeeder;
  await seedDemoTeam(deps);
  if (options.pilot ?? true) await seedPilotHistory(deps, seeder);
  const monday = DateTime.now().setZone('Europe/Stockholm').startOf('week');
  for (const family of demoFamilies()) {
    const created = await families.createFamily(deps, seeder, family.body);
    if (family.status === 'referred') continue;
    const accepted = await families.transitionFamily(deps, seeder, created.code, { to: 'accepted', version: created.version });
    if (family.status === 'accepted') continue;
    const startDate = monday.minus({ weeks: family.startWeeksAgo ?? 0 }).toISODate() ?? undefined;
    await families.transitionFamily(deps, seeder, created.code, { to: 'active', version: accepted.version, ...(startDate ? { startDate } : {}) });
  }
  // A schedule to look at: this week's and next week's visits as the planner proposes them, and the
  // coordinator's recurring meetings (municipality every other week, weekly BUP information, national check-in).
  for (const week of [monday, monday.plus({ weeks: 1 })].map((d) => d.toFormat("kkkk-'W'WW"))) {
    const { result } = await plan.proposeWeek(deps, seeder, week);
    if (result.visits.length > 0) await visits.commitPlan(deps, seeder, week, { visits: result.visits });
  }
  const startDate = monday.toISODate() ?? '';
  const series = [
    {
      title: 'Kommunmöte Emmaboda',
      kind: 'municipality',
      recurrence: { freq: 'weekly', interval: 2, weekday: 2, time: '13:00' },
      durationMinutes: 60,
      mode: 'online',
      videoLink: 'https://video.example/emmaboda',
      external: [{ name: 'Kontakt Emmaboda', email: 'kontakt@emmaboda.example', organisation: 'Emmaboda kommun' }],
    },
    {
      title: 'Information till BUP',
      kind: 'bup_information',
      recurrence: { freq: 'weekly', interval: 1, weekday: 4, time: '08:30' },
      durationMinutes: 45,
      mode: 'onsite',
      place: 'Kalmar',
      address: 'BUP Kalmar, Lasarettsvägen',
      external: [],
    },
    {
      title: 'Nationell IKB-avstämning',
      kind: 'national_checkin',
      recurrence: { freq: 'monthly', nth: 2, weekday: 2, time: '10:00' },
      durationMinutes: 60,
      mode: 'online',
      videoLink: 'https://video.example/ikb-nationellt',
      external: [],
    },
  ] as const;
  for (const s of series) {
    const { recurrence, durationMinutes, ...fields } = s;
    await meetings.createSeries(
      deps,
      seeder,
      CreateSeriesBody.parse({ ...fields, staff: ['sara'], spec: { recurrence, durationMinutes, startDate, holidayPolicy: 'next_working_day' } }),
    );
  }
  await ensureDemoSignIns(deps);
  return 'seeded';
}

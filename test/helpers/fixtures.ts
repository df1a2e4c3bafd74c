import { kalmarTravelMatrix } from '../../shared/domain/kalmar-county.js';
import type { Caller } from './api.js';
import { admin, call, coordinatorOf } from './api.js';

const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start, end }));

export const teamBody = (id: string) => ({
  id,
  name: `IKB ${id}`,
  places: ['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm'],
  travelMinutes: kalmarTravelMatrix(['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm']),
  defaultWorkingHours: weekdays('08:00', '17:00'),
});

export const staffBody = (id: string, role: 'coordinator' | 'family_therapist' | 'individual_therapist') => ({
  id,
  name: `Staff ${id}`,
  role,
  base: 'Kalmar',
  email: `${id}@ikb.example`,
  mobile: '+46701234567',
  workingHours: weekdays('09:00', '19:00'),
});

export const familyBody = (code: string, familyTherapist = 'anna', individualTherapist = 'bo') => ({
  code,
  place: 'Emmaboda',
  referral: { source: 'socialtjanst', date: '2026-10-01' },
  ageAtStart: 15,
  familyTherapist,
  individualTherapist,
  sessions: [
    { kind: 'family', count: 2, minutes: 90 },
    { kind: 'individual', count: 2, minutes: 60 },
    { kind: 'joint', count: 1, minutes: 90 },
  ],
  minSessions: 4,
  windows: weekdays('15:00', '20:00'),
});

/** A team with a coordinator, a family therapist `anna` and an individual therapist `bo`. */
export async function seedTeam(teamId: string): Promise<{ coordinator: Caller }> {
  const created = await call('POST', '/teams', { as: admin, body: teamBody(teamId) });
  if (created.status !== 201) throw new Error(`team: ${created.text}`);
  const coordinator = coordinatorOf(teamId);
  for (const [id, role] of [
    ['coord', 'coordinator'],
    ['anna', 'family_therapist'],
    ['bo', 'individual_therapist'],
    ['erik', 'family_therapist'],
    ['lina', 'individual_therapist'],
  ] as const) {
    const res = await call('POST', '/staff', { as: coordinator, body: staffBody(id, role) });
    if (res.status !== 201) throw new Error(`staff: ${res.text}`);
  }
  return { coordinator };
}

/** Registers a family and walks it to active; treatment starts 2026-11-02 unless `startDate` is given. */
export async function activeFamily(
  coordinator: Caller,
  code: string,
  familyTherapist = 'anna',
  individualTherapist = 'bo',
  options: Record<string, unknown> = {},
): Promise<void> {
  const { startDate = '2026-11-02', ...overrides } = options;
  const created = await call('POST', '/families', {
    as: coordinator,
    body: { ...familyBody(code, familyTherapist, individualTherapist), ...overrides },
  });
  if (created.status !== 201) throw new Error(`family: ${created.text}`);
  await call('POST', `/families/${code}/status`, { as: coordinator, body: { to: 'accepted', version: 1 } });
  const active = await call('POST', `/families/${code}/status`, { as: coordinator, body: { to: 'active', version: 2, startDate } });
  if (active.status !== 200) throw new Error(`activate: ${active.text}`);
}

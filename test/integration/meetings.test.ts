import { beforeAll, describe, expect, it } from 'vitest';
import { dbFromEnv } from '../../shared/store/client.js';
import { staffDaysBetween } from '../../shared/store/schedule.js';
import type { Caller } from '../helpers/api.js';
import { call, fieldPaths, therapistOf, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

useTable();
let coordinator: Caller;
const team = 'meet-team';

interface MeetingOut {
  id: string;
  version: number;
  sequence: number;
  status: string;
  start: string;
  startLocal: string;
  detached: boolean;
  occurrenceKey?: string;
  seriesId?: string;
}
interface SeriesOut {
  series: { id: string; version: number; spec: { untilDate?: string; startDate: string }; status: string; replacedBy?: string };
  booked: MeetingOut[];
  conflicts: { date: string; reason: string }[];
  cancelled?: number;
}

const onsite = {
  title: 'Kommunmöte Emmaboda',
  kind: 'municipality',
  mode: 'onsite',
  place: 'Emmaboda',
  address: 'Storgatan 1, Emmaboda',
  staff: ['coord'],
  external: [{ name: 'Eva Kommun', email: 'eva@emmaboda.example', organisation: 'Emmaboda kommun' }],
};
const online = { title: 'Nationell avstämning', kind: 'national_checkin', mode: 'online', videoLink: 'https://video.example/ikb', staff: ['coord'] };

beforeAll(async () => {
  ({ coordinator } = await seedTeam(team));
  await activeFamily(coordinator, 'MEE-2026-01', 'anna', 'bo', { place: 'Kalmar' });
});

describe('single meetings', () => {
  it('books on site and online meetings, and refuses one that double-books an attendee (travel included)', async () => {
    const first = await call('POST', '/meetings', { as: coordinator, body: { ...onsite, start: '2026-12-02T10:00', end: '2026-12-02T11:00' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'planned', sequence: 0, version: 1, start: '2026-12-02T09:00:00.000Z' });
    // Emmaboda → Kalmar takes 45 minutes: an on-site meeting in Kalmar at 11:30 is unreachable.
    const tooClose = await call('POST', '/meetings', {
      as: coordinator,
      body: { ...onsite, place: 'Kalmar', address: 'Regionhuset', start: '2026-12-02T11:30', end: '2026-12-02T12:00' },
    });
    expect(tooClose.status).toBe(409);
    // Online meetings count at the attendee's base (Kalmar), 45 minutes from Emmaboda.
    expect(
      (await call('POST', '/meetings', { as: coordinator, body: { ...online, start: '2026-12-02T11:45', end: '2026-12-02T12:30' } })).status,
    ).toBe(201);
  });

  it('names bad fields: an on-site meeting without address, an online one without link, unknown attendees', async () => {
    const res = await call('POST', '/meetings', {
      as: coordinator,
      body: { ...onsite, address: undefined, start: '2026-12-03T10:00', end: '2026-12-03T11:00' },
    });
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toEqual(['address']);
    const noLink = await call('POST', '/meetings', {
      as: coordinator,
      body: { ...online, videoLink: 'http://insecure.example', start: '2026-12-03T10:00', end: '2026-12-03T11:00' },
    });
    expect(fieldPaths(noLink.body)).toEqual(['videoLink']);
    const ghost = await call('POST', '/meetings', {
      as: coordinator,
      body: { ...online, staff: ['coord', 'ghost'], start: '2026-12-03T10:00', end: '2026-12-03T11:00' },
    });
    expect(ghost.status).toBe(400);
    expect(fieldPaths(ghost.body)).toEqual(['staff[1]']);
  });

  it('moves, adds attendees (conflict-checked), cancels; stale versions are 409', async () => {
    const visit = await call('POST', '/visits', {
      as: coordinator,
      body: { family: 'MEE-2026-01', kind: 'family', start: '2026-12-04T14:00', end: '2026-12-04T15:30' },
    });
    expect(visit.status).toBe(201);
    const meeting = (await call('POST', '/meetings', { as: coordinator, body: { ...online, start: '2026-12-04T14:30', end: '2026-12-04T15:00' } }))
      .body as MeetingOut;
    const addAnna = await call('PATCH', `/meetings/${meeting.id}`, { as: coordinator, body: { version: 1, staff: ['coord', 'anna'] } });
    expect(addAnna.status).toBe(409);
    expect((addAnna.body as { error: { message: string } }).error.message).toMatch(/anna already has a visit/);
    const moved = await call('PATCH', `/meetings/${meeting.id}`, {
      as: coordinator,
      body: { version: 1, staff: ['coord', 'anna'], start: '2026-12-04T09:00', end: '2026-12-04T09:30' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ version: 2, sequence: 1, startLocal: '2026-12-04T09:00', detached: false });
    expect((await call('PATCH', `/meetings/${meeting.id}`, { as: coordinator, body: { version: 1, title: 'x' } })).status).toBe(409);
    const cancelled = await call('POST', `/meetings/${meeting.id}/cancel`, { as: coordinator, body: { version: 2 } });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', sequence: 2 });
    const days = await staffDaysBetween(dbFromEnv(), team, 'anna', '2026-12-04', '2026-12-04');
    expect(days[0]?.engagements.map((e) => e.type)).toEqual(['visit']);
    expect((await call('POST', `/meetings/${meeting.id}/cancel`, { as: coordinator, body: { version: 3 } })).status).toBe(409);
    expect((await call('GET', '/meetings/00000000-0000-0000-0000-000000000000', { as: coordinator })).status).toBe(404);
  });
});

describe('meeting series', () => {
  it('books every other Tuesday at 13:00 for 26 weeks, keeping local time across the March DST change', async () => {
    const res = await call('POST', '/meeting-series', {
      as: coordinator,
      body: {
        ...onsite,
        spec: {
          recurrence: { freq: 'weekly', interval: 2, weekday: 2, time: '13:00' },
          durationMinutes: 90,
          startDate: '2026-12-01',
          holidayPolicy: 'skip',
        },
      },
    });
    expect(res.status).toBe(201);
    const { booked, conflicts } = res.body as SeriesOut;
    expect(conflicts).toEqual([]);
    expect(booked.map((m) => m.occurrenceKey).slice(0, 4)).toEqual(['2026-12-01', '2026-12-15', '2026-12-29', '2027-01-12']);
    expect(booked.every((m) => m.startLocal.endsWith('T13:00'))).toBe(true);
    const march = booked.find((m) => m.occurrenceKey === '2027-03-23');
    const april = booked.find((m) => m.occurrenceKey === '2027-04-06');
    expect(march?.start).toBe('2027-03-23T12:00:00.000Z');
    expect(april?.start).toBe('2027-04-06T11:00:00.000Z');
  });

  it('applies the holiday policy at Christmas and New Year: skip, or the next working day', async () => {
    const spec = (holidayPolicy: string) => ({
      recurrence: { freq: 'weekly', interval: 1, weekday: 4, time: '09:00' },
      durationMinutes: 60,
      startDate: '2026-12-17',
      untilDate: '2027-01-08',
      holidayPolicy,
    });
    const skip = (
      await call('POST', '/meeting-series', {
        as: coordinator,
        body: { ...online, title: 'BUP-information', kind: 'bup_information', spec: spec('skip') },
      })
    ).body as SeriesOut;
    expect(skip.booked.map((m) => m.startLocal.slice(0, 10))).toEqual(['2026-12-17', '2027-01-07']);
    const next = (
      await call('POST', '/meeting-series', {
        as: coordinator,
        body: { ...online, title: 'BUP-information 2', kind: 'bup_information', staff: ['erik'], spec: spec('next_working_day') },
      })
    ).body as SeriesOut;
    expect(next.booked.map((m) => m.startLocal.slice(0, 10))).toEqual(['2026-12-17', '2026-12-28', '2027-01-04', '2027-01-07']);
  });

  it('books a monthly "second Tuesday" national check-in', async () => {
    const res = (
      await call('POST', '/meeting-series', {
        as: coordinator,
        body: {
          ...online,
          staff: ['lina'],
          spec: {
            recurrence: { freq: 'monthly', nth: 2, weekday: 2, time: '10:00' },
            durationMinutes: 60,
            startDate: '2026-12-01',
            untilDate: '2027-05-31',
            holidayPolicy: 'skip',
          },
        },
      })
    ).body as SeriesOut;
    expect(res.booked.map((m) => m.startLocal)).toEqual([
      '2026-12-08T10:00',
      '2027-01-12T10:00',
      '2027-02-09T10:00',
      '2027-03-09T10:00',
      '2027-04-13T10:00',
      '2027-05-11T10:00',
    ]);
  });

  it('reports occurrences that collide with existing bookings instead of double-booking', async () => {
    const visit = await call('POST', '/visits', {
      as: coordinator,
      body: { family: 'MEE-2026-01', kind: 'individual', start: '2027-01-20T10:00', end: '2027-01-20T11:00' },
    });
    expect(visit.status).toBe(201);
    const res = (
      await call('POST', '/meeting-series', {
        as: coordinator,
        body: {
          ...online,
          title: 'Konsultation',
          kind: 'consultation',
          staff: ['bo'],
          spec: {
            recurrence: { freq: 'weekly', interval: 1, weekday: 3, time: '10:30' },
            durationMinutes: 60,
            startDate: '2027-01-13',
            untilDate: '2027-01-27',
            holidayPolicy: 'skip',
          },
        },
      })
    ).body as SeriesOut;
    expect(res.booked.map((m) => m.occurrenceKey)).toEqual(['2027-01-13', '2027-01-27']);
    expect(res.conflicts).toEqual([{ date: '2027-01-20', reason: expect.stringMatching(/bo already has a visit/) }]);
  });

  it('moves one occurrence apart from its series, and changes the series from an occurrence on', async () => {
    const created = (
      await call('POST', '/meeting-series', {
        as: coordinator,
        body: {
          ...online,
          title: 'Kommunmöte Torsås',
          kind: 'municipality',
          staff: ['anna'],
          spec: {
            recurrence: { freq: 'weekly', interval: 2, weekday: 1, time: '08:00' },
            durationMinutes: 60,
            startDate: '2026-12-07',
            holidayPolicy: 'skip',
          },
        },
      })
    ).body as SeriesOut;
    const first = created.booked[0];
    if (!first) throw new Error('no occurrence');
    const moved = await call('PATCH', `/meetings/${first.id}`, {
      as: coordinator,
      body: { version: 1, start: '2026-12-08T08:00', end: '2026-12-08T09:00' },
    });
    expect(moved.body).toMatchObject({ detached: true, sequence: 1, occurrenceKey: '2026-12-07' });

    const changed = await call('POST', `/meeting-series/${created.series.id}/change`, {
      as: coordinator,
      body: { version: 1, fromDate: '2027-01-04', recurrence: { freq: 'weekly', interval: 2, weekday: 1, time: '09:00' } },
    });
    expect(changed.status).toBe(200);
    const outcome = changed.body as SeriesOut;
    expect(outcome.booked[0]?.startLocal).toBe('2027-01-04T09:00');
    expect(outcome.booked.every((m) => m.startLocal.endsWith('T09:00'))).toBe(true);
    const before = created.booked.filter((m) => (m.occurrenceKey ?? '') < '2027-01-04').length;
    expect(outcome.cancelled).toBe(created.booked.length - before);
    const old = (await call('GET', `/meeting-series/${created.series.id}`, { as: coordinator })).body as SeriesOut['series'];
    expect(old).toMatchObject({ spec: { untilDate: '2027-01-03' }, replacedBy: outcome.series.id, version: 2 });
    const anna = (await call('GET', '/meetings', { as: coordinator, query: { from: '2027-01-04', to: '2027-01-04', staff: 'anna' } })).body as {
      meetings: MeetingOut[];
    };
    expect(anna.meetings.map((m) => m.startLocal)).toEqual(['2027-01-04T09:00']);
    expect(
      (
        await call('POST', `/meeting-series/${created.series.id}/change`, {
          as: coordinator,
          body: { version: 1, fromDate: '2027-02-01', durationMinutes: 30 },
        })
      ).status,
    ).toBe(409);
    const bad = await call('POST', `/meeting-series/${outcome.series.id}/change`, {
      as: coordinator,
      body: { version: 1, fromDate: '2026-01-01', recurrence: { freq: 'weekly', interval: 9, weekday: 1, time: '09:00' } },
    });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(['recurrence.interval']);
  });

  it('lists a person’s and the team’s meetings; a therapist sees only their own', async () => {
    const teamList = (await call('GET', '/meetings', { as: coordinator, query: { from: '2026-12-01', to: '2026-12-31' } })).body as {
      meetings: MeetingOut[];
    };
    expect(teamList.meetings.length).toBeGreaterThan(5);
    const lina = therapistOf(team, 'lina');
    const own = (await call('GET', '/meetings', { as: lina, query: { from: '2026-12-01', to: '2027-06-01' } })).body as { meetings: MeetingOut[] };
    expect(own.meetings.length).toBe(6);
    expect((await call('GET', '/meetings', { as: lina, query: { from: '2026-12-01', to: '2026-12-31', staff: 'coord' } })).status).toBe(404);
    const bad = await call('GET', '/meetings', { as: coordinator, query: { from: '2026-12-31', to: '2026-12-01' } });
    expect(fieldPaths(bad.body)).toEqual(['query.to']);
    expect((await call('POST', '/meetings', { as: lina, body: { ...online, start: '2026-12-03T10:00', end: '2026-12-03T11:00' } })).status).toBe(403);
  });
});

describe('handover', () => {
  it('proposes a handover slot for the pair when a family enters its last two weeks', async () => {
    // MEE-2026-01 started 2026-11-02 and ends 16 weeks later, on 2027-02-21.
    const res = await call('GET', '/handovers', { as: coordinator, query: { week: '2027-W06' } });
    expect(res.status).toBe(200);
    const proposals = (
      res.body as { proposals: { family: string; treatmentEnd: string; staff: string[]; receivingUnit: string; slots: { start: string }[] }[] }
    ).proposals;
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ family: 'MEE-2026-01', treatmentEnd: '2027-02-21', staff: ['anna', 'bo'], receivingUnit: 'socialtjanst' });
    expect(proposals[0]?.slots.length).toBeGreaterThan(0);
    for (const slot of proposals[0]?.slots ?? []) expect(slot.start >= '2027-02-08' && slot.start < '2027-02-15').toBe(true);
    expect(((await call('GET', '/handovers', { as: coordinator, query: { week: '2026-W50' } })).body as { proposals: unknown[] }).proposals).toEqual(
      [],
    );
  });
});

describe('the daily series job', () => {
  it('books occurrences that enter the 26-week horizon, once', async () => {
    const { core } = await import('../../functions/extend-meeting-series.js');
    const { defaultDeps } = await import('../../shared/use-cases/deps.js');
    const created = (
      await call('POST', '/meeting-series', {
        as: coordinator,
        body: {
          ...online,
          title: 'Veckomöte',
          kind: 'information',
          staff: ['erik'],
          spec: {
            recurrence: { freq: 'weekly', interval: 1, weekday: 5, time: '08:00' },
            durationMinutes: 30,
            startDate: '2026-11-27',
            holidayPolicy: 'skip',
          },
        },
      })
    ).body as SeriesOut;
    const last = created.booked.at(-1)?.occurrenceKey ?? '';
    expect(last <= '2027-05-24').toBe(true);
    const eightWeeksLater = { ...defaultDeps(), now: () => new Date('2027-01-18T08:00:00.000Z') };
    const first = await core(eightWeeksLater);
    expect(first.booked).toBeGreaterThanOrEqual(7);
    const again = await core(eightWeeksLater);
    expect(again.booked).toBe(0);
    const later = (await call('GET', '/meetings', { as: coordinator, query: { from: '2027-05-25', to: '2027-07-31', staff: 'erik' } })).body as {
      meetings: MeetingOut[];
    };
    // Fridays 28 May–16 July 2027, without Midsummer Eve (25 June).
    expect(later.meetings.map((m) => m.startLocal.slice(0, 10))).toEqual([
      '2027-05-28',
      '2027-06-04',
      '2027-06-11',
      '2027-06-18',
      '2027-07-02',
      '2027-07-09',
      '2027-07-16',
    ]);
  });
});

describe('meeting input checks', () => {
  it('refuses the same external address twice (one invitation each), field by field', async () => {
    const twice = [
      { name: 'A', email: 'a@kommun.example', organisation: 'K' },
      { name: 'A2', email: 'A@kommun.example', organisation: 'K' },
    ];
    const res = await call('POST', '/meetings', {
      as: coordinator,
      body: { ...online, external: twice, start: '2026-12-11T10:00', end: '2026-12-11T11:00' },
    });
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toEqual(['external[1].email']);
  });

  it('a series change keeps the every-other-week rhythm, and cannot rewrite meetings already held', async () => {
    const created = (
      await call('POST', '/meeting-series', {
        as: coordinator,
        body: {
          ...online,
          title: 'Kommunmöte Nybro',
          kind: 'municipality',
          staff: ['lina'],
          spec: {
            recurrence: { freq: 'weekly', interval: 2, weekday: 2, time: '15:00' },
            durationMinutes: 60,
            startDate: '2026-12-01',
            untilDate: '2027-02-28',
            holidayPolicy: 'skip',
          },
        },
      })
    ).body as SeriesOut;
    expect(created.booked.map((m) => m.occurrenceKey).slice(0, 3)).toEqual(['2026-12-01', '2026-12-15', '2026-12-29']);
    const past = await call('POST', `/meeting-series/${created.series.id}/change`, {
      as: coordinator,
      body: { version: 1, fromDate: '2026-11-01', title: 'x' },
    });
    expect(past.status).toBe(400);
    // A title change from a Wednesday on: the successor still meets on 15 and 29 December, not 9 and 23.
    const changed = (
      await call('POST', `/meeting-series/${created.series.id}/change`, {
        as: coordinator,
        body: { version: 1, fromDate: '2026-12-02', title: 'Samverkansmöte Nybro' },
      })
    ).body as SeriesOut;
    expect(changed.booked.map((m) => m.occurrenceKey).slice(0, 2)).toEqual(['2026-12-15', '2026-12-29']);
    expect(changed.booked.every((m) => (m as MeetingOut & { title?: string }).title === 'Samverkansmöte Nybro')).toBe(true);
  });
});

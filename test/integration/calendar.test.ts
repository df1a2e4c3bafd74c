import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { dbFromEnv } from '../../shared/store/client.js';
import type { ApiResponse, Caller } from '../helpers/api.js';
import { call, coordinatorOf, therapistOf, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';

useTable();

const anna = therapistOf('cal', 'anna');
const bo = therapistOf('cal', 'bo');
let coordinator: Caller;

/** Every DynamoDB command the handlers send from now on, by name. */
const sent: string[] = [];
beforeAll(() => {
  dbFromEnv().doc.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'calendarTestCommandLog' },
  );
});

interface StoredRecord {
  id: string;
  start: string;
  end: string;
  version: number;
  sequence?: number;
}

interface ParsedEvent {
  uid: string;
  start: string;
  end: string;
  summary: string;
  location: string | undefined;
  sequence: number;
  propertyNames: string[];
  utc: boolean;
}

/** Parses a feed with Mozilla's ical.js; times are read back as instants. */
function parseFeed(text: string): { calendar: ICAL.Component; events: Map<string, ParsedEvent> } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = new Map<string, ParsedEvent>();
  for (const vevent of calendar.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    const location = vevent.getFirstPropertyValue('location');
    events.set(event.uid, {
      uid: event.uid,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      summary: event.summary,
      location: typeof location === 'string' ? location : undefined,
      sequence: event.sequence,
      propertyNames: vevent.getAllProperties().map((p) => p.name),
      utc: event.startDate.zone.tzid === 'UTC' && event.endDate.zone.tzid === 'UTC',
    });
  }
  return { calendar, events };
}

const iso = (instant: string) => new Date(instant).toISOString();

async function book(as: Caller, family: string, kind: 'family' | 'individual' | 'joint', start: string, end: string): Promise<StoredRecord> {
  const res = await call('POST', '/visits', { as, body: { family, kind, start, end } });
  if (res.status !== 201) throw new Error(`visit ${start}: ${res.text}`);
  return res.body as StoredRecord;
}

async function issue(as: Caller, staffId: string, body: Record<string, unknown> = {}): Promise<ApiResponse & { path: string; token: string }> {
  const res = await call('POST', `/staff/${staffId}/calendar-token`, { as, body });
  const issued = res.body as { path?: string; token?: string } | undefined;
  return { ...res, path: issued?.path ?? '', token: issued?.token ?? '' };
}

const feed = (path: string, headers: Record<string, string> = {}) => call('GET', path, { headers });

function expectEmpty404(res: ApiResponse): void {
  expect(res.status).toBe(404);
  expect(res.text).toBe('');
  expect(res.headers['content-type']).toBeUndefined();
}

// Test clock: Monday 2026-11-23 09:00 in Stockholm. The feed window is 2026-10-26 … 2027-05-24.
const visits: Record<string, StoredRecord> = {};
let onlineMeeting: StoredRecord;
let onsiteMeeting: StoredRecord;

beforeAll(async () => {
  ({ coordinator } = await seedTeam('cal'));
  await activeFamily(coordinator, 'KAL-2026-07', 'anna', 'bo', { startDate: '2026-10-19', treatmentWeeks: 26 }); // treatment spans both DST changes
  await activeFamily(coordinator, 'KAL-2026-08', 'erik', 'lina', { place: 'Torsås' });
  await activeFamily(coordinator, 'KAL-2027-01', 'anna', 'bo', { startDate: '2027-01-04', treatmentWeeks: 26 }); // still in treatment after the feed window
  // The day after the autumn change (CET, UTC+1) and the days around the spring change (CET → CEST on 28 March 2027).
  visits.afterAutumn = await book(coordinator, 'KAL-2026-07', 'family', '2026-10-26T15:00', '2026-10-26T16:30');
  visits.autumnWeek = await book(coordinator, 'KAL-2026-07', 'individual', '2026-10-29T17:00', '2026-10-29T18:00');
  visits.beforeSpring = await book(coordinator, 'KAL-2026-07', 'joint', '2027-03-26T15:00', '2027-03-26T16:30');
  visits.springDay = await book(coordinator, 'KAL-2026-07', 'family', '2027-03-28T15:00', '2027-03-28T16:30');
  visits.afterSpring = await book(coordinator, 'KAL-2026-07', 'family', '2027-03-29T15:00', '2027-03-29T16:30');
  visits.soon = await book(coordinator, 'KAL-2026-07', 'family', '2026-11-25T15:00', '2026-11-25T16:30');
  visits.toCancel = await book(coordinator, 'KAL-2026-07', 'family', '2026-12-02T15:00', '2026-12-02T16:30');
  visits.otherPair = await book(coordinator, 'KAL-2026-08', 'family', '2026-11-26T15:00', '2026-11-26T16:30');
  // Outside the window: the DST change day itself (2026-10-25, 29 days back) and the day after the last one.
  visits.tooEarly = await book(coordinator, 'KAL-2026-07', 'family', '2026-10-25T15:00', '2026-10-25T16:30');
  visits.tooLate = await book(coordinator, 'KAL-2027-01', 'family', '2027-05-25T15:00', '2027-05-25T16:30');
  const online = await call('POST', '/meetings', {
    as: coordinator,
    body: {
      title: 'Konsultation BUP',
      kind: 'consultation',
      mode: 'online',
      videoLink: 'https://meet.example/ikb-42',
      staff: ['anna', 'erik'],
      start: '2026-11-24T10:00',
      end: '2026-11-24T11:00',
    },
  });
  const onsite = await call('POST', '/meetings', {
    as: coordinator,
    body: {
      title: 'Kommunmöte Emmaboda',
      kind: 'municipality',
      mode: 'onsite',
      place: 'Emmaboda',
      address: 'Storgatan 1, Emmaboda',
      staff: ['anna'],
      start: '2027-03-30T09:00',
      end: '2027-03-30T10:00',
    },
  });
  expect([online.status, onsite.status]).toEqual([201, 201]);
  onlineMeeting = online.body as StoredRecord;
  onsiteMeeting = onsite.body as StoredRecord;
});

describe('a staff member’s feed', () => {
  it('shows each visit and meeting at exactly its stored instants, in UTC, DST weeks included, within 4 weeks back to 26 ahead', async () => {
    const { path } = await issue(anna, 'anna');
    const res = await feed(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(res.headers['etag']).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const { calendar, events } = parseFeed(res.text);
    expect(calendar.getFirstPropertyValue('x-published-ttl')?.toString()).toBe('PT1H');
    expect(calendar.getFirstPropertyValue('refresh-interval')?.toString()).toBe('PT1H');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('IKB – anna');
    expect(calendar.getAllSubcomponents('vtimezone')).toEqual([]);

    // anna is the family therapist: family and joint visits (the individual one is bo's alone).
    const expected = [visits.afterAutumn, visits.beforeSpring, visits.springDay, visits.afterSpring, visits.soon, visits.toCancel];
    expect([...events.keys()].sort()).toEqual(
      [
        ...expected.map((v) => `visit-${v?.id}@ikb-planner`),
        `meeting-${onlineMeeting.id}@ikb-planner`,
        `meeting-${onsiteMeeting.id}@ikb-planner`,
      ].sort(),
    );
    for (const visit of expected) {
      if (!visit) throw new Error('missing visit');
      const stored = (await call('GET', `/visits/${visit.id}`, { as: coordinator })).body as StoredRecord;
      const event = events.get(`visit-${visit.id}@ikb-planner`);
      expect(event, visit.id).toMatchObject({ start: iso(stored.start), end: iso(stored.end), utc: true, sequence: stored.version - 1 });
    }
    // The wall clock stays 15:00 in Stockholm across both changes: 14:00Z in winter time, 13:00Z in summer time.
    expect(events.get(`visit-${visits.afterAutumn?.id}@ikb-planner`)?.start).toBe('2026-10-26T14:00:00.000Z');
    expect(events.get(`visit-${visits.beforeSpring?.id}@ikb-planner`)?.start).toBe('2027-03-26T14:00:00.000Z');
    expect(events.get(`visit-${visits.springDay?.id}@ikb-planner`)?.start).toBe('2027-03-28T13:00:00.000Z');
    expect(events.get(`visit-${visits.afterSpring?.id}@ikb-planner`)).toMatchObject({
      start: '2027-03-29T13:00:00.000Z',
      end: '2027-03-29T14:30:00.000Z',
    });

    expect(events.get(`visit-${visits.afterAutumn?.id}@ikb-planner`)).toMatchObject({
      summary: 'Besök KAL-2026-07 (familj) – Emmaboda',
      location: 'Emmaboda',
    });
    expect(events.get(`visit-${visits.beforeSpring?.id}@ikb-planner`)?.summary).toBe('Besök KAL-2026-07 (gemensam) – Emmaboda');
    expect(events.get(`meeting-${onlineMeeting.id}@ikb-planner`)).toMatchObject({
      summary: 'Konsultation BUP',
      location: 'https://meet.example/ikb-42',
      start: iso(onlineMeeting.start),
      end: iso(onlineMeeting.end),
      sequence: 0,
    });
    expect(events.get(`meeting-${onsiteMeeting.id}@ikb-planner`)).toMatchObject({
      summary: 'Kommunmöte Emmaboda',
      location: 'Storgatan 1, Emmaboda',
      start: '2027-03-30T07:00:00.000Z',
    });
  });

  it('holds nothing beyond the allowed fields: no names, no addresses on visits, only UID/DTSTAMP/DTSTART/DTEND/SUMMARY/LOCATION/SEQUENCE/LAST-MODIFIED', async () => {
    const { path } = await issue(coordinator, 'anna');
    const { calendar, events } = parseFeed((await feed(path)).text);
    expect(
      calendar
        .getAllProperties()
        .map((p) => p.name)
        .sort(),
    ).toEqual(['name', 'prodid', 'refresh-interval', 'version', 'x-published-ttl', 'x-wr-calname']);
    expect(
      calendar
        .getAllSubcomponents()
        .map((c) => c.name)
        .every((n) => n === 'vevent'),
    ).toBe(true);
    const allowed = ['uid', 'dtstamp', 'dtstart', 'dtend', 'summary', 'location', 'sequence', 'last-modified'];
    const staff = (await call('GET', '/staff', { as: coordinator })).body as {
      staff: { id: string; name: string; email: string; mobile?: string }[];
    };
    expect(staff.staff.length).toBeGreaterThan(3);
    expect(events.size).toBeGreaterThan(5);
    for (const event of events.values()) {
      expect(
        event.propertyNames.filter((n) => !allowed.includes(n)),
        event.uid,
      ).toEqual([]);
      expect(new Set(event.propertyNames).size).toBe(event.propertyNames.length);
      for (const text of [event.summary, event.location ?? '']) {
        for (const person of staff.staff) {
          for (const personal of [person.name, person.email, person.mobile ?? '+none']) expect(text, event.uid).not.toContain(personal);
        }
      }
      if (event.uid.startsWith('visit-')) {
        expect(event.summary).toMatch(/^Besök KAL-\d{4}-\d{2} \((familj|individuell|gemensam)\) – [A-Za-zÅÄÖåäö ]+$/);
        expect(['Kalmar', 'Emmaboda', 'Torsås', 'Borgholm']).toContain(event.location);
      }
    }
  });

  it('answers 304 to a current If-None-Match, and a changed visit changes the ETag and raises its SEQUENCE', async () => {
    const { path } = await issue(anna, 'anna');
    const first = await feed(path);
    const etag = first.headers['etag'] ?? '';
    const again = await feed(path);
    expect(again.headers['etag']).toBe(etag);
    expect(again.text).toBe(first.text);

    const unchanged = await feed(path, { 'If-None-Match': etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers['etag']).toBe(etag);
    expect((await feed(path, { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);
    expect((await feed(path, { 'If-None-Match': '"stale"' })).status).toBe(200);

    const visit = visits.soon;
    if (!visit) throw new Error('missing visit');
    const before = parseFeed(first.text).events.get(`visit-${visit.id}@ikb-planner`);
    const moved = await call('PATCH', `/visits/${visit.id}`, {
      as: coordinator,
      body: { version: visit.version, start: '2026-11-25T16:00', end: '2026-11-25T17:30' },
    });
    expect(moved.status).toBe(200);
    const changed = await feed(path, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers['etag']).not.toBe(etag);
    const after = parseFeed(changed.text).events.get(`visit-${visit.id}@ikb-planner`);
    expect(after?.sequence).toBe((before?.sequence ?? 0) + 1);
    expect(after).toMatchObject({ uid: before?.uid, start: '2026-11-25T15:00:00.000Z', end: '2026-11-25T16:30:00.000Z' });
    visits.soon = moved.body as StoredRecord;
  });

  it('drops a cancelled visit and a cancelled meeting', async () => {
    const { path } = await issue(anna, 'anna');
    const visit = visits.toCancel;
    if (!visit) throw new Error('missing visit');
    const uids = () => feed(path).then((r) => [...parseFeed(r.text).events.keys()]);
    expect(await uids()).toContain(`visit-${visit.id}@ikb-planner`);
    expect(
      (await call('POST', `/visits/${visit.id}/cancel`, { as: coordinator, body: { version: visit.version, by: 'family', reason: 'illness' } }))
        .status,
    ).toBe(200);
    expect((await call('POST', `/meetings/${onsiteMeeting.id}/cancel`, { as: coordinator, body: { version: onsiteMeeting.version } })).status).toBe(
      200,
    );
    const after = await uids();
    expect(after).not.toContain(`visit-${visit.id}@ikb-planner`);
    expect(after).not.toContain(`meeting-${onsiteMeeting.id}@ikb-planner`);
  });

  it('costs two Queries (the days, the holder’s absences) and the token and holder GetItems per feed, and one GetItem for any unknown token', async () => {
    const { path } = await issue(anna, 'anna');
    sent.length = 0;
    await feed(path);
    // The absences: a visit inside the holder's own absence is left out of their feed (issue 23).
    expect(sent.sort()).toEqual(['GetItemCommand', 'GetItemCommand', 'QueryCommand', 'QueryCommand']);
    sent.length = 0;
    await feed(`/calendar/${'A'.repeat(43)}.ics`);
    await feed('/calendar/short.ics');
    expect(sent).toEqual(['GetItemCommand', 'GetItemCommand']);
  });
});

describe('feed tokens', () => {
  it('rotating makes the old URL 404 at once (empty body) and the new one work; revoking kills it', async () => {
    const first = await issue(anna, 'anna');
    expect(first.status).toBe(201);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.path).toBe(`/calendar/${first.token}.ics`);
    expect((first.body as { url: string }).url).toMatch(new RegExp(`^https?://[^/]+/calendar/${first.token}\\.ics$`));
    expect((await feed(first.path)).status).toBe(200);

    const second = await issue(anna, 'anna');
    expect(second.token).not.toBe(first.token);
    expectEmpty404(await feed(first.path));
    expect((await feed(second.path)).status).toBe(200);

    expect((await call('DELETE', '/staff/anna/calendar-token', { as: anna })).status).toBe(204);
    expectEmpty404(await feed(second.path));
    expect((await call('DELETE', '/staff/anna/calendar-token', { as: anna })).status).toBe(204);
  });

  it('answers 404 with an empty body for every malformed or unknown token', async () => {
    const { token } = await issue(anna, 'anna');
    for (const file of [
      token,
      `${token}.ical`,
      `${token}x.ics`,
      `${token.slice(1)}.ics`,
      `${token.slice(0, 42)}!.ics`,
      'x.ics',
      '.ics',
      `${'A'.repeat(43)}.ics`,
      `${'a'.repeat(500)}.ics`,
      encodeURIComponent(`${token}/.ics`),
    ]) {
      expectEmpty404(await feed(`/calendar/${file}`));
    }
    expect((await feed(`/calendar/${token}.ics`)).status).toBe(200);
  });

  it('stores the token only as its SHA-256 hash', async () => {
    const { token } = await issue(anna, 'anna');
    const out = await dbFromEnv().doc.send(new ScanCommand({ TableName: dbFromEnv().tableName }));
    const everything = JSON.stringify(out.Items ?? []);
    expect(everything).not.toContain(token);
    expect(everything).toContain(createHash('sha256').update(token).digest('hex'));
  });

  it('a therapist gets only their own feed (another’s is 404, the team feed 403); a coordinator may issue anyone’s and the team’s', async () => {
    expect((await issue(anna, 'bo')).status).toBe(404);
    expect((await issue(bo, 'anna')).status).toBe(404);
    expect((await call('DELETE', '/staff/bo/calendar-token', { as: anna })).status).toBe(404);
    expect((await issue(anna, 'anna', { scope: 'team' })).status).toBe(403);
    expect((await issue(anna, 'nobody')).status).toBe(404);
    expect((await issue(coordinator, 'nobody')).status).toBe(404);
    expect((await issue(coordinator, 'anna', { scope: 'team' })).status).toBe(400);
    expect((await issue(anna, 'anna', { scope: 'everyone' })).status).toBe(400);

    const forBo = await issue(coordinator, 'bo');
    expect(forBo.status).toBe(201);
    const { events } = parseFeed((await feed(forBo.path)).text);
    // bo is the individual therapist: the individual and joint visits, not the family ones.
    expect([...events.values()].map((e) => e.summary).sort()).toEqual([
      'Besök KAL-2026-07 (gemensam) – Emmaboda',
      'Besök KAL-2026-07 (individuell) – Emmaboda',
    ]);
    expect((await feed(forBo.path)).text).toContain('X-WR-CALNAME:IKB – bo');
  });

  it('the coordinator’s team feed holds every live visit and meeting of the team, from one index query', async () => {
    const team = await issue(coordinator, 'coord', { scope: 'team' });
    expect(team.status).toBe(201);
    const staffFeed = await issue(coordinator, 'coord');
    expect((await feed(staffFeed.path)).status).toBe(200);
    sent.length = 0;
    const res = await feed(team.path);
    expect(sent.sort()).toEqual(['GetItemCommand', 'GetItemCommand', 'QueryCommand']);
    const { calendar, events } = parseFeed(res.text);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('IKB – team cal');
    const live = [visits.afterAutumn, visits.autumnWeek, visits.beforeSpring, visits.springDay, visits.afterSpring, visits.soon, visits.otherPair];
    expect([...events.keys()].sort()).toEqual([...live.map((v) => `visit-${v?.id}@ikb-planner`), `meeting-${onlineMeeting.id}@ikb-planner`].sort());
    for (const visit of live) {
      const stored = (await call('GET', `/visits/${visit?.id}`, { as: coordinator })).body as StoredRecord;
      expect(events.get(`visit-${stored.id}@ikb-planner`)).toMatchObject({
        start: iso(stored.start),
        end: iso(stored.end),
        sequence: stored.version - 1,
        utc: true,
      });
    }
    expect(events.get(`visit-${visits.otherPair?.id}@ikb-planner`)).toMatchObject({
      summary: 'Besök KAL-2026-08 (familj) – Torsås',
      location: 'Torsås',
    });
    // The same visit reads the same, byte for byte, in the team feed and in its staff member's feed.
    const annaFeed = (await feed((await issue(anna, 'anna')).path)).text;
    for (const visit of [visits.afterAutumn, visits.soon, visits.springDay]) {
      const uid = `visit-${visit?.id}@ikb-planner`;
      const inTeam = res.text.split('BEGIN:VEVENT').find((b) => b.includes(`UID:${uid}`));
      const inStaff = annaFeed.split('BEGIN:VEVENT').find((b) => b.includes(`UID:${uid}`));
      expect(inTeam).toBeDefined();
      expect(inTeam?.replace(/END:VCALENDAR\s*$/, '')).toBe(inStaff?.replace(/END:VCALENDAR\s*$/, ''));
    }
    // The team feed and the staff feed are separate tokens: rotating one leaves the other alive.
    await issue(coordinator, 'coord');
    expect((await feed(team.path)).status).toBe(200);
    expect((await call('DELETE', '/staff/coord/calendar-token', { as: coordinator, query: { scope: 'team' } })).status).toBe(204);
    expectEmpty404(await feed(team.path));
  });

  it('a deactivated staff member’s feed answers 404 at once; a team feed needs a coordinator behind it', async () => {
    const forLina = await issue(coordinator, 'lina');
    expect((await feed(forLina.path)).status).toBe(200);
    expect((await call('POST', '/staff/lina/deactivate', { as: coordinator, body: { version: 1 } })).status).toBe(200);
    expectEmpty404(await feed(forLina.path));
    expect((await issue(coordinator, 'lina')).status).toBe(409);
    expect((await call('DELETE', '/staff/lina/calendar-token', { as: coordinator })).status).toBe(204);

    const team = await issue(coordinator, 'coord', { scope: 'team' });
    expect((await feed(team.path)).status).toBe(200);
    const coord = (await call('GET', '/staff/coord', { as: coordinator })).body as { version: number };
    expect((await call('PATCH', '/staff/coord', { as: coordinator, body: { version: coord.version, role: 'family_therapist' } })).status).toBe(200);
    expectEmpty404(await feed(team.path));
    expect((await call('PATCH', '/staff/coord', { as: coordinator, body: { version: coord.version + 1, role: 'coordinator' } })).status).toBe(200);
    expect((await feed(team.path)).status).toBe(200);
  });

  it('another team’s tokens never show this team’s data', async () => {
    const other = await seedTeam('cal-other');
    await activeFamily(other.coordinator, 'KAL-2026-99');
    const theirs = await book(other.coordinator, 'KAL-2026-99', 'family', '2026-11-27T15:00', '2026-11-27T16:30');
    const ours = new Set(Object.values(visits).map((v) => `visit-${v.id}@ikb-planner`));
    for (const issued of [
      await issue(therapistOf('cal-other', 'anna'), 'anna'),
      await issue(coordinatorOf('cal-other'), 'coord', { scope: 'team' }),
    ]) {
      expect(issued.status).toBe(201);
      const { events } = parseFeed((await feed(issued.path)).text);
      expect([...events.keys()]).toEqual([`visit-${theirs.id}@ikb-planner`]);
      for (const uid of events.keys()) expect(ours.has(uid)).toBe(false);
    }
    // Issuing "anna" in the other team touches that team's anna only: ours still works.
    const mine = await issue(anna, 'anna');
    await issue(therapistOf('cal-other', 'anna'), 'anna');
    expect((await feed(mine.path)).status).toBe(200);
  });
});

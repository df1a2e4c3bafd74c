import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Last-Modified has one-second resolution and is withheld while the latest change is less than 2 s old, so these tests
// need a clock that moves, which the suite's pinned clock (test/setup-env.ts) never does. They take the pin off and
// control Date itself instead: it starts at the suite's "now" and moves only when a test moves it (`settle`), never
// with the machine's speed. Timers stay real, so the AWS SDK and the HTTP server work as usual.
import { handlers } from '../../infra/local/handlers.js';
import { createApiServer } from '../../infra/local/server.js';
import { allRoutes } from '../../shared/http/routes.js';
import { calendarFeed } from '../../shared/use-cases/calendar.js';
import { defaultDeps, setDefaultClock } from '../../shared/use-cases/deps.js';
import type { ApiResponse, Caller } from '../helpers/api.js';
import { call, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';
import { parseWithPythonIcalendar } from '../helpers/ical-clients.js';

useTable();
// The production wiring's clock back to the system's, whose Date the tests fake (beforeAll).
setDefaultClock(undefined);

const zone = 'Europe/Stockholm';
/** Monday 23 November 2026, 09:00 in Stockholm: the suite's "now" (test/setup-env.ts). */
const start = DateTime.fromISO('2026-11-23T08:00:00.000Z');
/** Lets the latest change become older than the 2 s Last-Modified waits for: the controlled clock moves 2.1 s. */
const settle = () => vi.setSystemTime(Date.now() + 2_100);
let coordinator: Caller;
let annaFeed: string;
let annaFeedCreatedAt: string;
let teamFeed: string;
let server: Server;
let base: string;

interface StoredVisit {
  id: string;
  start: string;
  end: string;
  version: number;
  updatedAt: string;
}

/** A local date-time next week (30 Nov – 4 Dec 2026): inside the family's treatment and the feed window. */
const nextWeek = (weekday: 1 | 2 | 3 | 4 | 5, time: string) => `${start.setZone(zone).plus({ weeks: 1 }).set({ weekday }).toISODate()}T${time}`;

async function book(weekday: 1 | 2 | 3 | 4 | 5): Promise<StoredVisit> {
  const res = await call('POST', '/visits', {
    as: coordinator,
    body: { family: 'KAL-2026-07', kind: 'family', start: nextWeek(weekday, '15:00'), end: nextWeek(weekday, '16:30') },
  });
  if (res.status !== 201) throw new Error(res.text);
  return res.body as StoredVisit;
}

const httpDate = (instant: string) => DateTime.fromISO(instant).toUTC().startOf('second').toHTTP() ?? '';
const head = (path: string, headers: Record<string, string> = {}) => call('HEAD', path, { headers });
const get = (path: string, headers: Record<string, string> = {}) => call('GET', path, { headers });
const validators = (res: ApiResponse) => ({
  etag: res.headers['etag'],
  lastModified: res.headers['last-modified'],
  cacheControl: res.headers['cache-control'],
  contentType: res.headers['content-type'],
});

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: start.toJSDate() });
  ({ coordinator } = await seedTeam('feedhttp'));
  await activeFamily(coordinator, 'KAL-2026-07', 'anna', 'bo', { startDate: start.setZone(zone).toISODate() });
  await book(1);
  const staff = await call('POST', '/staff/anna/calendar-token', { as: coordinator, body: {} });
  const team = await call('POST', '/staff/coord/calendar-token', { as: coordinator, body: { scope: 'team' } });
  annaFeed = (staff.body as { path: string }).path;
  annaFeedCreatedAt = (staff.body as { createdAt: string }).createdAt;
  teamFeed = (team.body as { path: string }).path;
  server = createApiServer({ routes: allRoutes, handlers, key: new Uint8Array(32) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  settle();
});

afterAll(async () => {
  vi.useRealTimers();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('HEAD on a calendar feed', () => {
  it('answers like GET without the body, through the real handler', async () => {
    // Arrange
    const full = await get(annaFeed);

    // Act
    const res = await head(annaFeed);
    const unknown = await head('/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics');

    // Assert
    expect(full.status).toBe(200);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(validators(res)).toEqual(validators(full));
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(full.text)));
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe('');
  });

  it('answers over the local HTTP server (it was a 404), and GET’s body is the same feed, read by python3-icalendar', async () => {
    // Act
    const headRes = await fetch(`${base}${annaFeed}`, { method: 'HEAD' });
    const getRes = await fetch(`${base}${annaFeed}`);
    const body = await getRes.text();
    const direct = await get(annaFeed);

    // Assert
    expect(headRes.status).toBe(200);
    expect(await headRes.text()).toBe('');
    for (const name of ['etag', 'last-modified', 'cache-control', 'content-type', 'content-length'])
      expect(headRes.headers.get(name), name).toBe(getRes.headers.get(name));
    expect(body).toBe(direct.text);
    const parsed = parseWithPythonIcalendar(body);
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]?.summary).toBe('Besök KAL-2026-07 (familj) – Emmaboda');
  });

  it('is a separate route only for the feed: HEAD elsewhere stays 404 on the local server', async () => {
    // Act
    const res = await fetch(`${base}/health`, { method: 'HEAD' });

    // Assert
    expect(res.status).toBe(404);
  });
});

describe('Last-Modified and If-Modified-Since', () => {
  it('names the latest change in the feed and answers 304 to If-Modified-Since at or after it, also to HEAD', async () => {
    // Arrange
    const visits = (await call('GET', `/visits?family=KAL-2026-07`, { as: coordinator })).body as { visits: StoredVisit[] };
    // The feed's token is part of it too: it was issued after the visit was booked.
    const latest = [...visits.visits.map((v) => v.updatedAt), annaFeedCreatedAt].sort().at(-1) ?? '';
    const first = await get(annaFeed);
    const lastModified = first.headers['last-modified'] ?? '';

    // Act
    const same = await get(annaFeed, { 'if-modified-since': lastModified });
    const later = await get(annaFeed, { 'if-modified-since': DateTime.fromHTTP(lastModified).plus({ hours: 1 }).toHTTP() ?? '' });
    const earlier = await get(annaFeed, { 'if-modified-since': DateTime.fromHTTP(lastModified).minus({ seconds: 1 }).toHTTP() ?? '' });
    const garbage = await get(annaFeed, { 'if-modified-since': 'yesterday' });
    const headSame = await head(annaFeed, { 'if-modified-since': lastModified });

    // Assert
    expect(lastModified).toBe(httpDate(latest));
    expect([same.status, same.text, same.headers['etag'], same.headers['last-modified']]).toEqual([304, '', first.headers['etag'], lastModified]);
    expect(later.status).toBe(304);
    expect(earlier.status).toBe(200);
    expect(garbage.status).toBe(200);
    expect(headSame.status).toBe(304);
  });

  it('lets If-None-Match take precedence (RFC 9110 §13.2.2): a stale ETag is a 200 even with a current date, a current one a 304 with an old date', async () => {
    // Arrange
    const first = await get(annaFeed);
    const etag = first.headers['etag'] ?? '';
    const lastModified = first.headers['last-modified'] ?? '';

    // Act
    const staleTag = await get(annaFeed, { 'if-none-match': '"stale"', 'if-modified-since': lastModified });
    const currentTag = await get(annaFeed, { 'if-none-match': etag, 'if-modified-since': 'Thu, 01 Jan 2015 00:00:00 GMT' });

    // Assert
    expect(staleTag.status).toBe(200);
    expect(currentTag.status).toBe(304);
  });

  it('moves forward when a visit is booked or cancelled (a removal counts), in the staff and the team feed', async () => {
    // Arrange
    const before = { staff: await get(annaFeed), team: await get(teamFeed) };
    const visit = await book(3);
    settle();
    const afterBooking = {
      staff: await get(annaFeed, { 'if-modified-since': before.staff.headers['last-modified'] ?? '' }),
      team: await get(teamFeed, { 'if-modified-since': before.team.headers['last-modified'] ?? '' }),
    };

    // Act
    const cancelled = await call('POST', `/visits/${visit.id}/cancel`, {
      as: coordinator,
      body: { version: visit.version, by: 'team', reason: 'staff_unavailable' },
    });
    settle();
    const afterCancel = {
      staff: await get(annaFeed, { 'if-modified-since': afterBooking.staff.headers['last-modified'] ?? '' }),
      team: await get(teamFeed, { 'if-modified-since': afterBooking.team.headers['last-modified'] ?? '' }),
    };

    // Assert
    expect(cancelled.status).toBe(200);
    for (const feed of ['staff', 'team'] as const) {
      expect(afterBooking[feed].status, feed).toBe(200);
      expect(afterBooking[feed].headers['last-modified'], feed).toBe(httpDate(visit.updatedAt));
      expect(afterCancel[feed].status, feed).toBe(200);
      expect(afterCancel[feed].text, feed).toBe(before[feed].text);
      expect(
        DateTime.fromHTTP(afterCancel[feed].headers['last-modified'] ?? '') > DateTime.fromHTTP(afterBooking[feed].headers['last-modified'] ?? ''),
        feed,
      ).toBe(true);
    }
  });

  it('moves to local midnight when the window shifts past an event (it left the feed), and back once that day is behind the window', async () => {
    // Arrange: Monday next week holds a visit; 29 days later that day is the day before the window (4 weeks back).
    const monday = DateTime.fromISO(nextWeek(1, '00:00'), { zone });
    const shiftDay = monday.plus({ days: 29 });
    const at = (day: DateTime) => ({ ...defaultDeps(), now: () => day.set({ hour: 12 }).toJSDate() });
    const file = (path: string) => path.slice('/calendar/'.length);

    // Act
    const left = {
      staff: await calendarFeed(at(shiftDay), file(annaFeed), undefined),
      team: await calendarFeed(at(shiftDay), file(teamFeed), undefined),
    };
    const dayAfter = {
      staff: await calendarFeed(at(shiftDay.plus({ days: 1 })), file(annaFeed), undefined),
      team: await calendarFeed(at(shiftDay.plus({ days: 1 })), file(teamFeed), undefined),
    };

    // Assert
    for (const feed of ['staff', 'team'] as const) {
      expect(left[feed].kind === 'feed' ? left[feed].lastModified : 'x', feed).toBe(shiftDay.startOf('day').toHTTP());
      expect(dayAfter[feed].kind === 'feed' ? dayAfter[feed].lastModified : 'x', feed).not.toBe(shiftDay.plus({ days: 1 }).startOf('day').toHTTP());
      expect(DateTime.fromHTTP((dayAfter[feed].kind === 'feed' ? dayAfter[feed].lastModified : undefined) ?? '') < shiftDay, feed).toBe(true);
    }
  });

  it('is withheld, and If-Modified-Since ignored, while the latest change is under 2 s old (one-second resolution)', async () => {
    // Arrange: the feed as it is read a moment after its latest change.
    const { headers } = await get(annaFeed);
    const latest = DateTime.fromHTTP(headers['last-modified'] ?? '');
    const deps = { ...defaultDeps(), now: () => latest.plus({ milliseconds: 1_500 }).toJSDate() };

    // Act
    const fresh = await calendarFeed(deps, annaFeed.slice('/calendar/'.length), undefined, headers['last-modified']);

    // Assert
    expect(fresh.kind).toBe('feed');
    expect(fresh.kind === 'feed' ? fresh.lastModified : 'x').toBeUndefined();
  });
});

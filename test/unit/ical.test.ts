import fc from 'fast-check';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../shared/domain/ical.js';
import { etagOf, eventOfEngagement, eventOfMeeting, eventOfVisit, notModified, renderFeed, visitSummary } from '../../shared/domain/ical.js';
import { feedWindow } from '../../shared/use-cases/calendar.js';

const parse = (text: string) => new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
const utcOf = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Stockholm' }).toUTC().toISO() ?? '';

const event = (overrides: Partial<FeedEvent> = {}): FeedEvent => ({
  uid: 'visit-1@ikb-planner',
  start: '2026-11-25T14:00:00.000Z',
  end: '2026-11-25T15:30:00.000Z',
  summary: 'Besök KAL-2026-07 (familj) – Emmaboda',
  location: 'Emmaboda',
  sequence: 0,
  updatedAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

describe('feed rendering', () => {
  it('writes UTC times (no floating times, no TZID) that read back as the same instants across both DST changes', () => {
    const walls = [
      '2026-10-24T15:00',
      '2026-10-25T01:30',
      '2026-10-25T02:30',
      '2026-10-26T15:00',
      '2027-03-27T15:00',
      '2027-03-28T01:30',
      '2027-03-28T03:30',
      '2027-03-29T15:00',
    ];
    const events = walls.map((wall, i) =>
      event({ uid: `visit-${i}@ikb-planner`, start: utcOf(wall), end: DateTime.fromISO(utcOf(wall)).plus({ minutes: 90 }).toUTC().toISO() ?? '' }),
    );
    const text = renderFeed('IKB – anna', events);
    expect(text).not.toMatch(/TZID|VTIMEZONE/);
    for (const line of text.split('\r\n').filter((l) => /^DT(START|END)/.test(l))) expect(line).toMatch(/^DT(START|END):\d{8}T\d{6}Z$/);
    const parsed = parse(text);
    expect(parsed).toHaveLength(walls.length);
    for (const [i, wall] of walls.entries()) {
      const back = parsed.find((e) => e.uid === `visit-${i}@ikb-planner`);
      expect(back?.startDate.toJSDate().toISOString()).toBe(new Date(utcOf(wall)).toISOString());
      // …and in Stockholm it is the wall time that was booked.
      expect(DateTime.fromJSDate(back?.startDate.toJSDate() ?? new Date(0), { zone: 'Europe/Stockholm' }).toFormat("yyyy-MM-dd'T'HH:mm")).toBe(wall);
    }
  });

  it('renders the same bytes for the same schedule in any order, one event per UID, and DTSTAMP from the data, not the clock', () => {
    const a = event({ uid: 'visit-a@ikb-planner', start: '2026-11-25T14:00:00.000Z' });
    const b = event({ uid: 'meeting-b@ikb-planner', start: '2026-11-24T09:00:00.000Z', summary: 'Konsultation', location: 'https://meet.example/x' });
    const c = event({ uid: 'visit-c@ikb-planner', start: '2026-11-25T14:00:00.000Z' });
    const once = renderFeed('IKB – anna', [a, b, c]);
    expect(renderFeed('IKB – anna', [c, a, b, a])).toBe(once);
    expect(parse(once).map((e) => e.uid)).toEqual(['meeting-b@ikb-planner', 'visit-a@ikb-planner', 'visit-c@ikb-planner']);
    expect(once).toContain('DTSTAMP:20261120T100000Z');
    expect(once).toContain('LAST-MODIFIED:20261120T100000Z');
    expect(once).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
    expect(once).toContain('X-PUBLISHED-TTL:PT1H');
  });

  it('round-trips any summary and location text through ical.js (escaping, folding, non-ASCII)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 10_000 }),
        (summary, location, sequence) => {
          const [back] = parse(renderFeed('IKB', [event({ summary, location, sequence })]));
          expect(back?.summary).toBe(summary);
          expect(back?.location).toBe(location);
          expect(back?.sequence).toBe(sequence);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('names a visit by code, Swedish kind and municipality only; meetings by title with their link or address', () => {
    expect(visitSummary('KAL-2026-07', 'family', 'Emmaboda')).toBe('Besök KAL-2026-07 (familj) – Emmaboda');
    expect(visitSummary('KAL-2026-07', 'individual', 'Kalmar')).toBe('Besök KAL-2026-07 (individuell) – Kalmar');
    expect(visitSummary('KAL-2026-07', 'joint', 'Torsås')).toBe('Besök KAL-2026-07 (gemensam) – Torsås');
    const visit = {
      id: 'v1',
      family: 'KAL-2026-07',
      kind: 'joint',
      place: 'Torsås',
      start: '2026-11-25T14:00:00.000Z',
      end: '2026-11-25T15:00:00.000Z',
      version: 3,
      updatedAt: '2026-11-20T10:00:00.000Z',
      staff: ['anna', 'bo'],
    } as const;
    expect(eventOfVisit(visit)).toEqual({
      uid: 'visit-v1@ikb-planner',
      start: visit.start,
      end: visit.end,
      summary: 'Besök KAL-2026-07 (gemensam) – Torsås',
      location: 'Torsås',
      sequence: 2,
      updatedAt: visit.updatedAt,
    });
    const meeting = {
      id: 'm1',
      title: 'Kommunmöte',
      mode: 'onsite' as 'onsite' | 'online',
      address: 'Storgatan 1',
      videoLink: undefined as string | undefined,
      start: visit.start,
      end: visit.end,
      sequence: 4,
      updatedAt: visit.updatedAt,
    };
    expect(eventOfMeeting(meeting)).toMatchObject({ uid: 'meeting-m1@ikb-planner', summary: 'Kommunmöte', location: 'Storgatan 1', sequence: 4 });
    expect(eventOfMeeting({ ...meeting, mode: 'online', videoLink: 'https://meet.example/y' }).location).toBe('https://meet.example/y');
    const engagement = {
      ref: 'visit:v1',
      type: 'visit',
      start: visit.start,
      end: visit.end,
      place: 'Torsås',
      version: 3,
      updatedAt: visit.updatedAt,
      family: 'KAL-2026-07',
      visitKind: 'joint',
    } as const;
    expect(eventOfEngagement(engagement)).toEqual(eventOfVisit(visit));
    expect(
      eventOfEngagement({
        ref: 'meeting:m1',
        type: 'meeting',
        start: visit.start,
        end: visit.end,
        place: 'Kalmar',
        version: 9,
        updatedAt: visit.updatedAt,
        title: 'Kommunmöte',
        location: 'Storgatan 1',
        sequence: 4,
      }),
    ).toMatchObject({ uid: 'meeting-m1@ikb-planner', sequence: 4, location: 'Storgatan 1' });
    expect(eventOfEngagement({ ...engagement, family: undefined })).toBeUndefined();
  });
});

describe('ETag and If-None-Match', () => {
  it('is a strong tag that changes with any byte of the body', () => {
    const body = renderFeed('IKB', [event()]);
    expect(etagOf(body)).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(etagOf(body)).toBe(etagOf(renderFeed('IKB', [event()])));
    expect(etagOf(renderFeed('IKB', [event({ sequence: 1 })]))).not.toBe(etagOf(body));
    expect(etagOf(renderFeed('IKB', [event({ updatedAt: '2026-11-20T10:00:01.000Z' })]))).not.toBe(etagOf(body));
  });

  it('matches a listed tag, a weak form of ours, or *; nothing else', () => {
    const tag = '"abc"';
    expect(notModified(undefined, tag)).toBe(false);
    expect(notModified('"abc"', tag)).toBe(true);
    expect(notModified('"x", "abc"', tag)).toBe(true);
    expect(notModified('W/"abc"', tag)).toBe(true);
    expect(notModified('*', tag)).toBe(true);
    expect(notModified('"abcd"', tag)).toBe(false);
    expect(notModified('abc', tag)).toBe(false);
    expect(notModified('', tag)).toBe(false);
  });
});

describe('feed window', () => {
  it('runs from 4 weeks back to 26 weeks ahead in the team’s local dates', () => {
    expect(feedWindow(new Date('2026-11-23T08:00:00Z'), 'Europe/Stockholm')).toEqual({ from: '2026-10-26', to: '2027-05-24' });
    // 23:30 UTC on the 22nd is already the 23rd in Stockholm.
    expect(feedWindow(new Date('2026-11-22T23:30:00Z'), 'Europe/Stockholm').from).toBe('2026-10-26');
  });
});

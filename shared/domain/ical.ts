import { createHash } from 'node:crypto';
import ical from 'ical-generator';
import type { Engagement } from '../schemas/engagement.js';
import type { Meeting } from '../schemas/meeting.js';
import type { Visit } from '../schemas/visit.js';

/** One calendar entry as a feed shows it: family code, kind, place — nothing more (§6, §7). */
export interface FeedEvent {
  uid: string;
  /** UTC instants as stored. */
  start: string;
  end: string;
  summary: string;
  location: string | undefined;
  sequence: number;
  /** DTSTAMP and LAST-MODIFIED: the record's own update time, so an unchanged schedule renders byte-identical. */
  updatedAt: string;
}

/** How long clients should wait before polling again: REFRESH-INTERVAL and X-PUBLISHED-TTL. */
export const feedTtlSeconds = 3600;

const visitKindSv = { family: 'familj', individual: 'individuell', joint: 'gemensam' } as const;
type VisitKind = keyof typeof visitKindSv;

/** Stable for the life of the record, never reused: UIDs derive from the record id only. */
export const visitUid = (id: string): string => `visit-${id}@ikb-planner`;
export const meetingUid = (id: string): string => `meeting-${id}@ikb-planner`;

/** `Besök KAL-2026-07 (familj) – Emmaboda`: code, kind in Swedish, municipality. */
export const visitSummary = (family: string, kind: VisitKind, place: string): string => `Besök ${family} (${visitKindSv[kind]}) – ${place}`;

/** SEQUENCE of a visit: its version less one, so a new visit is 0 (RFC 5545's default) and every change raises it. */
const visitSequence = (version: number): number => Math.max(0, version - 1);

/** A staff member's engagement (from their day items) as a feed event; undefined if it lacks what a visit entry needs. */
export function eventOfEngagement(engagement: Engagement): FeedEvent | undefined {
  const [, id] = /^(?:visit|meeting):(.+)$/.exec(engagement.ref) ?? [];
  if (id === undefined) return undefined;
  if (engagement.type === 'visit') {
    if (engagement.family === undefined || engagement.visitKind === undefined) return undefined;
    return {
      uid: visitUid(id),
      start: engagement.start,
      end: engagement.end,
      summary: visitSummary(engagement.family, engagement.visitKind, engagement.place),
      location: engagement.place,
      sequence: visitSequence(engagement.version),
      updatedAt: engagement.updatedAt,
    };
  }
  return {
    uid: meetingUid(id),
    start: engagement.start,
    end: engagement.end,
    summary: engagement.title ?? 'Möte',
    location: engagement.location,
    sequence: engagement.sequence ?? visitSequence(engagement.version),
    updatedAt: engagement.updatedAt,
  };
}

export function eventOfVisit(visit: Pick<Visit, 'id' | 'family' | 'kind' | 'place' | 'start' | 'end' | 'version' | 'updatedAt'>): FeedEvent {
  return {
    uid: visitUid(visit.id),
    start: visit.start,
    end: visit.end,
    summary: visitSummary(visit.family, visit.kind, visit.place),
    location: visit.place,
    sequence: visitSequence(visit.version),
    updatedAt: visit.updatedAt,
  };
}

export function eventOfMeeting(
  meeting: Pick<Meeting, 'id' | 'title' | 'mode' | 'address' | 'videoLink' | 'start' | 'end' | 'sequence' | 'updatedAt'>,
): FeedEvent {
  return {
    uid: meetingUid(meeting.id),
    start: meeting.start,
    end: meeting.end,
    summary: meeting.title,
    location: meeting.mode === 'online' ? meeting.videoLink : meeting.address,
    sequence: meeting.sequence,
    updatedAt: meeting.updatedAt,
  };
}

/**
 * Renders a feed as RFC 5545 text with ical-generator. Times are UTC (`…Z`), so no client can read them as
 * floating and no VTIMEZONE is needed; events are sorted and deduplicated by UID so the same schedule
 * always renders the same bytes (the ETag depends on it).
 */
export function renderFeed(name: string, events: readonly FeedEvent[]): string {
  const unique = [...new Map(events.map((e) => [e.uid, e])).values()].sort((a, b) =>
    a.start === b.start ? (a.uid < b.uid ? -1 : 1) : a.start < b.start ? -1 : 1,
  );
  const calendar = ical({ name, prodId: { company: 'ikb-planner', product: 'calendar', language: 'SV' }, ttl: feedTtlSeconds });
  for (const event of unique) {
    const updated = new Date(event.updatedAt);
    calendar.createEvent({
      id: event.uid,
      start: new Date(event.start),
      end: new Date(event.end),
      summary: event.summary,
      ...(event.location ? { location: event.location } : {}),
      sequence: event.sequence,
      stamp: updated,
      lastModified: updated,
    });
  }
  return calendar.toString();
}

/** A strong entity tag: the SHA-256 of the exact body, so it changes exactly when the bytes do. */
export const etagOf = (body: string): string => `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`;

/** If-None-Match (RFC 9110 §13.1.2): `*` or any listed tag equal to ours under weak comparison means "not modified". */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const tags = ifNoneMatch
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return tags.some((t) => t === '*' || t.replace(/^W\//, '') === etag);
}

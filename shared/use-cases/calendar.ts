import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DateTime } from 'luxon';
import { Conflict, Forbidden, Invalid, NotFound } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { absentStaffOf } from '../domain/absent-staff.js';
import { addDays, dateRangeInstants } from '../domain/booking/time.js';
import type { FeedEvent } from '../domain/ical.js';
import { etagOf, eventOfEngagement, eventOfMeeting, eventOfVisit, notModified, renderFeed } from '../domain/ical.js';
import { feedDaysAhead, feedDaysBack } from '../schemas/calendar.js';
import type { CalendarToken, FeedScope, IssuedCalendarToken } from '../schemas/calendar.js';
import {
  FeedChangedError,
  deleteCalendarToken,
  getCalendarFeed,
  getCalendarToken,
  replaceCalendarToken,
  teamCalendarBetween,
} from '../store/calendar.js';
import { staffDaysBetween } from '../store/schedule.js';
import { getStaff, listAbsences } from '../store/staff.js';
import { getTeam } from '../store/teams.js';
import { assertSelfOrCoordinator, isCoordinator, ownTeam } from './access.js';
import type { Deps } from './deps.js';

/** 32 bytes from the CSPRNG, base64url: 256 bits, 43 URL-safe characters. */
const newToken = (): string => randomBytes(32).toString('base64url');
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;
const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const noHash = Buffer.alloc(32);

/** The feed window: 4 weeks back to 26 weeks ahead, in the team's local dates. */
export function feedWindow(now: Date, zone: string): { from: string; to: string } {
  const today = DateTime.fromJSDate(now, { zone }).toISODate() ?? '';
  return { from: addDays(today, -feedDaysBack), to: addDays(today, feedDaysAhead) };
}

/** Who may hold which feed: their own (or, for a coordinator, anyone's in the team); the team feed only a coordinator. */
async function assertFeedHolder(deps: Deps, principal: Principal, staffId: string, scope: FeedScope): Promise<string> {
  const teamId = ownTeam(principal);
  assertSelfOrCoordinator(principal, staffId);
  if (scope === 'team' && !isCoordinator(principal)) throw new Forbidden('Only a coordinator has a team feed.');
  const staff = await getStaff(deps.db, teamId, staffId);
  if (!staff) throw new NotFound();
  if (scope === 'team' && staff.role !== 'coordinator') throw new Invalid([{ path: 'scope', message: 'a team feed belongs to a coordinator' }]);
  if (!staff.active) throw new Conflict(`staff member ${staffId} is deactivated`);
  return teamId;
}

/**
 * Issues (or rotates) a feed token and returns it — the only time it is ever shown; only its SHA-256 is
 * stored. Rotation deletes the old token in the same transaction, so the old URL is dead at once.
 */
export async function issueCalendarToken(
  deps: Deps,
  principal: Principal,
  staffId: string,
  scope: FeedScope,
  baseUrl: string,
): Promise<IssuedCalendarToken> {
  const teamId = await assertFeedHolder(deps, principal, staffId, scope);
  const team = await getTeam(deps.db, teamId);
  if (!team) throw new NotFound('Your team does not exist.');
  const token = newToken();
  const createdAt = deps.now().toISOString();
  const next: CalendarToken = { tokenHash: sha256Hex(token), teamId, staffId, scope, zone: team.zone, createdAt };
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await getCalendarFeed(deps.db, teamId, staffId, scope);
    try {
      await replaceCalendarToken(deps.db, current, next);
      const path = `/calendar/${token}.ics`;
      return { staffId, scope, token, path, url: `${baseUrl}${path}`, createdAt };
    } catch (error) {
      if (!(error instanceof FeedChangedError)) throw error;
    }
  }
  throw new Conflict('the feed token was changed by another request; try again');
}

/** Revokes a feed: its URL answers 404 from now on. Revoking a feed that has no token is a no-op. */
export async function revokeCalendarToken(deps: Deps, principal: Principal, staffId: string, scope: FeedScope): Promise<void> {
  const teamId = await assertFeedHolderForRevoke(deps, principal, staffId, scope);
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await getCalendarFeed(deps.db, teamId, staffId, scope);
    if (!current) return;
    try {
      await deleteCalendarToken(deps.db, current);
      return;
    } catch (error) {
      if (!(error instanceof FeedChangedError)) throw error;
    }
  }
  throw new Conflict('the feed token was changed by another request; try again');
}

/** Revoking must work for a deactivated staff member too (that is when it matters most). */
async function assertFeedHolderForRevoke(deps: Deps, principal: Principal, staffId: string, scope: FeedScope): Promise<string> {
  const teamId = ownTeam(principal);
  assertSelfOrCoordinator(principal, staffId);
  if (scope === 'team' && !isCoordinator(principal)) throw new Forbidden('Only a coordinator has a team feed.');
  if (!(await getStaff(deps.db, teamId, staffId))) throw new NotFound();
  return teamId;
}

/** `lastModified` is an HTTP-date, absent while the latest change is too recent to be told apart at one-second resolution. */
export type FeedResult =
  | { kind: 'not-found' }
  | { kind: 'not-modified'; etag: string; lastModified?: string }
  | { kind: 'feed'; body: string; etag: string; lastModified?: string };

/**
 * Looks a token up by its hash and does the same work whether it is well-formed, known or not: always one
 * hash, one GetItem and one constant-time comparison, so response time says nothing about which tokens exist.
 */
async function lookUpToken(deps: Deps, file: string): Promise<CalendarToken | undefined> {
  const token = file.endsWith('.ics') ? file.slice(0, -4) : file;
  const wellFormed = file.endsWith('.ics') && tokenPattern.test(token);
  const hash = sha256Hex(token.slice(0, 64));
  const stored = await getCalendarToken(deps.db, hash);
  const same = timingSafeEqual(Buffer.from(hash, 'hex'), stored ? Buffer.from(stored.tokenHash, 'hex') : noHash);
  return wellFormed && same ? stored : undefined;
}

/**
 * The feed's events and the instant of the latest change to anything in it (`latest`, an ISO instant): the token's
 * creation, every event's `updatedAt`, every change of a day it reads (so a cancelled, moved or erased visit counts:
 * its removal rewrote the day), the team feed's cancelled and no-show records (still in the index), and the last
 * shift of the window (local midnight today) when an event left it at the start or entered it at the end. The
 * Query reaches one day further back than the window to see what left it.
 */
async function feedEvents(deps: Deps, token: CalendarToken): Promise<{ events: FeedEvent[]; latest: string }> {
  const now = deps.now();
  const window = feedWindow(now, token.zone);
  const shiftedAt = DateTime.fromJSDate(now, { zone: token.zone }).startOf('day').toUTC().toISO() ?? '';
  const dayBefore = addDays(window.from, -1);
  const changes: string[] = [token.createdAt];
  if (token.scope === 'staff') {
    const [days, absences] = await Promise.all([
      staffDaysBetween(deps.db, token.teamId, token.staffId, dayBefore, window.to),
      listAbsences(deps.db, token.teamId, token.staffId),
    ]);
    const inWindow = days.filter((day) => day.date >= window.from);
    for (const day of inWindow) changes.push(day.changedAt ?? '', ...day.engagements.map((e) => e.updatedAt));
    changes.push(...absences.flatMap((a) => [a.createdAt, a.updatedAt ?? '']));
    if (days.some((day) => (day.date === dayBefore || day.date === window.to) && day.engagements.length > 0)) changes.push(shiftedAt);
    // A visit inside the holder's own absence is left out of their feed, not shown as tentative (issue 23, README).
    const mine = inWindow
      .flatMap((day) => day.engagements)
      .filter((e) => e.type !== 'visit' || absentStaffOf({ staff: [token.staffId], start: e.start, end: e.end }, absences, token.zone).length === 0);
    return { events: mine.flatMap((e) => eventOfEngagement(e) ?? []), latest: latestOf(changes) };
  }
  const { from, to } = dateRangeInstants(window.from, window.to, token.zone);
  const lastDay = dateRangeInstants(window.to, window.to, token.zone).from;
  const read = await teamCalendarBetween(deps.db, token.teamId, dateRangeInstants(dayBefore, dayBefore, token.zone).from, to);
  const visits = read.visits.filter((v) => v.start >= from);
  const meetings = read.meetings.filter((m) => m.start >= from);
  changes.push(...visits.map((v) => v.updatedAt), ...meetings.map((m) => m.updatedAt));
  if ([...read.visits, ...read.meetings].some((r) => r.start < from || r.start >= lastDay)) changes.push(shiftedAt);
  // The same entries the staff feeds show: a cancelled visit or meeting and a no-show leave the calendar.
  const events = [
    ...visits.filter((v) => v.status === 'planned' || v.status === 'done').map(eventOfVisit),
    ...meetings.filter((m) => m.status === 'planned').map(eventOfMeeting),
  ];
  return { events, latest: latestOf(changes) };
}

const latestOf = (instants: readonly string[]): string =>
  instants.reduce((a, b) => (Date.parse(b) > Date.parse(a) || Number.isNaN(Date.parse(a)) ? b : a), '');

/** How long a change must be past before its second may be named: one-second HTTP-dates, and clocks of different functions. */
const lastModifiedSettleMs = 2_000;

/** Last-Modified (RFC 9110 §8.8.2): the latest change, to the second; withheld while it is under 2 s old (or ahead of this clock). */
function lastModifiedOf(latest: string, now: Date): DateTime | undefined {
  const at = DateTime.fromISO(latest, { zone: 'utc' });
  if (!at.isValid || now.getTime() - at.toMillis() < lastModifiedSettleMs) return undefined;
  return at.startOf('second');
}

/** If-Modified-Since (RFC 9110 §13.1.3): only without If-None-Match, only a valid HTTP-date, "not modified" when nothing changed after it. */
function unmodifiedSince(ifModifiedSince: string | undefined, lastModified: DateTime | undefined): boolean {
  if (ifModifiedSince === undefined || lastModified === undefined) return false;
  const since = DateTime.fromHTTP(ifModifiedSince.trim(), { zone: 'utc' });
  return since.isValid && lastModified <= since;
}

/**
 * A calendar feed for `<token>.ics`: 404 for any token that is not a live one; 304 when the client's ETag is current,
 * or, when it sends no If-None-Match (which takes precedence, RFC 9110 §13.2.2), when nothing changed after its If-Modified-Since.
 */
export async function calendarFeed(deps: Deps, file: string, ifNoneMatch: string | undefined, ifModifiedSince?: string): Promise<FeedResult> {
  const token = await lookUpToken(deps, file);
  if (!token) return { kind: 'not-found' };
  // The holder is read alongside the schedule (no added latency): a deactivated person's feeds, and a team
  // feed whose holder is no longer a coordinator, stop at once without anyone having to remember to revoke them.
  const [holder, { events, latest }] = await Promise.all([getStaff(deps.db, token.teamId, token.staffId), feedEvents(deps, token)]);
  if (!holder?.active || (token.scope === 'team' && holder.role !== 'coordinator')) return { kind: 'not-found' };
  const name = token.scope === 'team' ? `IKB – team ${token.teamId}` : `IKB – ${token.staffId}`;
  const body = renderFeed(name, events);
  const etag = etagOf(body);
  const modified = lastModifiedOf(latest, deps.now());
  const lastModified = modified?.toHTTP() ?? undefined;
  const current = ifNoneMatch !== undefined ? notModified(ifNoneMatch, etag) : unmodifiedSince(ifModifiedSince, modified);
  return current
    ? { kind: 'not-modified', etag, ...(lastModified ? { lastModified } : {}) }
    : { kind: 'feed', body, etag, ...(lastModified ? { lastModified } : {}) };
}

import * as z from 'zod';
import { Slug, TimeZone } from './common.js';

/** The calendar feed's window (§7): this many days back and ahead of today, in the team's local dates. */
export const feedDaysBack = 28;
export const feedDaysAhead = 26 * 7;

/** Whose schedule a feed shows: one staff member's, or (for a coordinator) the whole team's. */
export const FeedScope = /* @__PURE__ */ (() => z.enum(['staff', 'team']))();
export type FeedScope = z.infer<typeof FeedScope>;

export const CalendarTokenBody = /* @__PURE__ */ (() => z.strictObject({ scope: FeedScope.default('staff') }))();
export const CalendarTokenQuery = /* @__PURE__ */ (() => z.strictObject({ scope: FeedScope.default('staff') }))();

/** The one response that ever shows a feed token: it is stored only as a hash. */
export const IssuedCalendarToken = /* @__PURE__ */ (() =>
  z.object({
    staffId: Slug,
    scope: FeedScope,
    token: z.string(),
    path: z.string(),
    url: z.string(),
    createdAt: z.string(),
  }))();
export type IssuedCalendarToken = z.infer<typeof IssuedCalendarToken>;

/**
 * The feed path's only parameter. Deliberately loose: a malformed file name must get the same empty 404 as
 * a wrong token, never a 400 that tells a prober the shape was off.
 */
export const CalendarFileParams = /* @__PURE__ */ (() => z.object({ file: z.string() }))();

/** A stored token: everything a feed request needs besides the schedule, so the feed is one GetItem and one Query. */
export const CalendarToken = /* @__PURE__ */ (() =>
  z.object({
    tokenHash: z.string().regex(/^[a-f0-9]{64}$/),
    teamId: Slug,
    staffId: Slug,
    scope: FeedScope,
    /** The team's zone when the token was issued: the feed window is counted in its local dates. */
    zone: TimeZone,
    createdAt: z.string(),
  }))();
export type CalendarToken = z.infer<typeof CalendarToken>;

/** Points at the current token of one staff member's feed of one scope. */
export const CalendarFeedRef = /* @__PURE__ */ (() => z.object({ teamId: Slug, staffId: Slug, scope: FeedScope, tokenHash: z.string() }))();
export type CalendarFeedRef = z.infer<typeof CalendarFeedRef>;

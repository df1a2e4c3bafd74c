import * as z from 'zod';
import { IsoDate, Slug } from './common.js';

/**
 * How long a team keeps personal data (SPEC §10). Reminder records are also removed by the table's TTL at
 * 90 days after sending, a fixed ceiling, so a team can shorten that but not lengthen it.
 */
export const RetentionSettings = /* @__PURE__ */ (() =>
  z.strictObject({
    /** Months after treatment end for a completed case and everything about it. */
    caseMonths: z.number().int().min(1).max(120).default(12),
    /** Months after a referral was declined. */
    declinedMonths: z.number().int().min(1).max(120).default(6),
    /** Months after a meeting for the meeting and its external attendees. */
    meetingMonths: z.number().int().min(1).max(120).default(24),
    /** Months after deactivation for a staff member's name, e-mail, mobile number and feed tokens (id and role stay). */
    staffMonths: z.number().int().min(0).max(60).default(3),
    /** Days after sending for reminder records (at most 90: the table's TTL removes them then anyway). */
    reminderDays: z.number().int().min(1).max(90, 'at most 90: the table’s TTL removes reminder records 90 days after sending').default(90),
  }))();
export type RetentionSettings = z.infer<typeof RetentionSettings>;
export const defaultRetention: RetentionSettings = /* @__PURE__ */ (() => RetentionSettings.parse({}))();

/**
 * Disclosure control, kept with the retention settings (the team's privacy settings, one item): figures marked for
 * sharing outside the team (`?share=true`) show every count from 1 to this threshold as `<threshold`.
 */
export const SmallCellThreshold = /* @__PURE__ */ (() => z.number().int().min(1).max(10))();
export const defaultSmallCellThreshold = 3;

/** The stored settings of a team; version 0 = never set (the defaults). */
export const TeamRetention = /* @__PURE__ */ (() =>
  RetentionSettings.extend({
    smallCellThreshold: SmallCellThreshold.default(defaultSmallCellThreshold),
    teamId: Slug,
    version: z.number().int().min(0),
    updatedAt: z.string().optional(),
    updatedBy: z.string().optional(),
  }))();
export type TeamRetention = z.infer<typeof TeamRetention>;

/** A change of the settings, guarded by the version read (0 while the defaults apply). */
export const UpdateRetentionBody = /* @__PURE__ */ (() =>
  z.strictObject({
    version: z.number().int().min(0),
    caseMonths: RetentionSettings.shape.caseMonths.removeDefault().optional(),
    declinedMonths: RetentionSettings.shape.declinedMonths.removeDefault().optional(),
    meetingMonths: RetentionSettings.shape.meetingMonths.removeDefault().optional(),
    staffMonths: RetentionSettings.shape.staffMonths.removeDefault().optional(),
    reminderDays: RetentionSettings.shape.reminderDays.removeDefault().optional(),
    smallCellThreshold: SmallCellThreshold.optional(),
  }))();
export type UpdateRetentionBody = z.infer<typeof UpdateRetentionBody>;

/** How many items of each kind a purge or erasure removed or scrubbed: the receipt, never a copy. */
export const PurgeCounts = /* @__PURE__ */ (() =>
  z.object({
    cases: z.number().int(),
    declinedReferrals: z.number().int(),
    erasedCases: z.number().int(),
    figuresFolded: z.number().int(),
    figuresDiscarded: z.number().int(),
    visits: z.number().int(),
    dayItems: z.number().int(),
    reminders: z.number().int(),
    auditEntries: z.number().int(),
    meetings: z.number().int(),
    series: z.number().int(),
    meetingsScrubbed: z.number().int(),
    staffContacts: z.number().int(),
    feedTokens: z.number().int(),
  }))();
export type PurgeCounts = z.infer<typeof PurgeCounts>;
export const noPurgeCounts = (): PurgeCounts => ({
  cases: 0,
  declinedReferrals: 0,
  erasedCases: 0,
  figuresFolded: 0,
  figuresDiscarded: 0,
  visits: 0,
  dayItems: 0,
  reminders: 0,
  auditEntries: 0,
  meetings: 0,
  series: 0,
  meetingsScrubbed: 0,
  staffContacts: 0,
  feedTokens: 0,
});

/** The audit record of one purge run or erasure: when, by whom or which job, how many of each kind. No codes, names or addresses. */
export const PurgeReceipt = /* @__PURE__ */ (() =>
  z.object({
    teamId: Slug,
    id: z.string(),
    kind: z.enum(['purge', 'erasure']),
    actor: z.string(),
    at: z.string(),
    asOf: IsoDate,
    figures: z.enum(['fold', 'discard']).optional(),
    /** What the run removed so far: each count is written in the same transaction as the removal it counts, so the receipts of all runs add up even after a crash. */
    counts: PurgeCounts,
    /** When the run ended. Absent: it stopped before the end (killed) or is still running; its counts are what it did, and a later run's receipt holds the rest. */
    finishedAt: z.string().optional(),
  }))();
export type PurgeReceipt = z.infer<typeof PurgeReceipt>;

/** Erasure on request: the case's version read, and whether its contribution to the figures stays (fold) or goes (discard). */
export const EraseFamilyBody = /* @__PURE__ */ (() =>
  z.strictObject({
    version: z.number().int().min(1),
    figures: z.enum(['fold', 'discard']),
  }))();
export type EraseFamilyBody = z.infer<typeof EraseFamilyBody>;

export const RetentionParams = /* @__PURE__ */ (() => z.object({ teamId: Slug }))();
export const PurgePreviewQuery = /* @__PURE__ */ (() => z.strictObject({ asOf: IsoDate.optional() }))();

/** One thing with a purge date. `code` only in the coordinator's view (never in the operator's CLI output or a log). */
export const PurgePreviewEntry = /* @__PURE__ */ (() =>
  z.object({
    kind: z.enum(['case', 'declinedReferral', 'meeting', 'series', 'staffContacts', 'reminder']),
    code: z.string().optional(),
    staffId: z.string().optional(),
    /** The date the retention is counted from: treatment end, decline, meeting end, deactivation, sending. */
    since: IsoDate,
    /** The first day the purge removes it. */
    purgeOn: IsoDate,
    due: z.boolean(),
  }))();
export type PurgePreviewEntry = z.infer<typeof PurgePreviewEntry>;
export const PurgePreview = /* @__PURE__ */ (() =>
  z.object({ teamId: Slug, asOf: IsoDate, settings: RetentionSettings, entries: z.array(PurgePreviewEntry) }))();
export type PurgePreview = z.infer<typeof PurgePreview>;

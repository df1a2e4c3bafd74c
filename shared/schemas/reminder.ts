import * as z from 'zod';
import { Slug } from './common.js';

export const ReminderStatus = /* @__PURE__ */ (() => z.enum(['pending', 'sending', 'sent', 'failed', 'dropped', 'unknown']))();
export type ReminderStatus = z.infer<typeof ReminderStatus>;

/**
 * The delivery record of one message. Derived reminders (visit, agenda, external) are created when claimed;
 * change notices and invitations are queued as `pending` in the same transaction as the change. Contact details
 * are not stored: they are read from the current staff record or meeting at send time.
 */
export const Reminder = /* @__PURE__ */ (() =>
  z.object({
    teamId: Slug,
    id: z.string(),
    kind: z.enum(['visit', 'agenda', 'meeting_external', 'change', 'invitation']),
    channel: z.enum(['sms', 'email']),
    staffId: z.string().optional(),
    /** External attendee's address (invitations and external reminders: the meeting holds it anyway). */
    email: z.string().optional(),
    /** For a cancellation sent to someone taken off a meeting (they are no longer on it to look up). */
    attendeeName: z.string().optional(),
    method: z.literal('CANCEL').optional(),
    visitId: z.string().optional(),
    meetingId: z.string().optional(),
    /** A series invitation (one VEVENT with RRULE for the whole series): the series it is about; `aboutVersion` is its sequence. */
    seriesId: z.string().optional(),
    /** The visit version or meeting sequence the message is about; a newer one makes it stale. */
    aboutVersion: z.number().int().optional(),
    previousStart: z.string().optional(),
    status: ReminderStatus,
    attempts: z.number().int().min(0),
    dueAt: z.string(),
    nextAttemptAt: z.string().optional(),
    usefulUntil: z.string(),
    sentAt: z.string().optional(),
    failedAt: z.string().optional(),
    lastError: z.string().optional(),
    /** Why a message was dropped unsent, when it lost its point before anyone sent it (a daily agenda after its day began). */
    droppedReason: z.string().optional(),
    providerId: z.string().optional(),
    /** A claim (`sending`) is the claimer's until then; after it a later run takes the message over. */
    leaseUntil: z.string().optional(),
    /** Written just before the provider call: from here the message may have been handed over and is never re-sent. */
    handingOverAt: z.string().optional(),
    version: z.number().int().min(1),
    createdAt: z.string(),
    updatedAt: z.string(),
  }))();
export type Reminder = z.infer<typeof Reminder>;

export const ReminderListQuery = /* @__PURE__ */ (() => z.strictObject({ status: z.enum(['failed', 'pending', 'sent', 'dropped', 'unknown']) }))();

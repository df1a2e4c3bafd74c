import * as z from 'zod';
import { freeText } from './free-text.js';
import { Instant, IsoDate, IsoWeek, LocalDateTime, Place, RecordMeta, Slug } from './common.js';
import { FamilyCode } from './family.js';
import { SeriesSpec } from './recurrence.js';

export const MeetingKind = /* @__PURE__ */ (() =>
  z.enum(['municipality', 'bup_information', 'national_checkin', 'consultation', 'information', 'handover', 'other']))();
export const MeetingMode = /* @__PURE__ */ (() => z.enum(['onsite', 'online']))();

/** A partner outside the team: a municipality or BUP contact, invited by e-mail. Never a family member. */
export const ExternalAttendee = /* @__PURE__ */ (() =>
  z.strictObject({
    name: freeText({ max: 100 }),
    email: z.email(),
    organisation: freeText({ max: 100 }),
  }))();

/** External attendees, each address once (case-insensitive): one invitation each. */
const ExternalAttendees = /* @__PURE__ */ (() =>
  z
    .array(ExternalAttendee)
    .max(20)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((a, i) => {
        const key = a.email.toLowerCase();
        if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `${a.email} is listed twice`, path: [i, 'email'] });
        seen.add(key);
      });
    }))();

const MeetingFields = /* @__PURE__ */ (() => ({
  /** A short title for staff and partners, e.g. "Kommunmöte Emmaboda". No family data. */
  title: freeText({ max: 80 }).describe(
    'A short title, e.g. "Kommunmöte Emmaboda". It goes into e-mail subjects, invitations to partners and calendar feeds, so it must not hold names (of a young person or family members) or other family data; a personal identity or coordination number is refused with a 400.',
  ),
  kind: MeetingKind,
  mode: MeetingMode,
  /** The municipality an on-site meeting is held in (for travel); online meetings count at each attendee's base. */
  place: Place.optional(),
  address: freeText({ max: 200 })
    .describe(
      'Where an on-site meeting is held (a street address, not a family’s home). No names; a personal identity or coordination number is refused.',
    )
    .optional(),
  videoLink: z.url({ protocol: /^https$/, error: 'must be an https:// link' }).optional(),
  staff: z.array(Slug).min(1).max(10),
  external: ExternalAttendees.default([]),
  /** The family a handover meeting is about (pseudonymous code). */
  family: FamilyCode.optional(),
}))();

type Where = {
  mode: 'onsite' | 'online';
  place?: string | undefined;
  address?: string | undefined;
  videoLink?: string | undefined;
  staff?: string[] | undefined;
};
function checkWhere(m: Where, ctx: z.RefinementCtx): void {
  if (m.mode === 'onsite' && !m.place) ctx.addIssue({ code: 'custom', message: 'an on-site meeting needs its municipality', path: ['place'] });
  if (m.mode === 'onsite' && !m.address) ctx.addIssue({ code: 'custom', message: 'an on-site meeting needs an address', path: ['address'] });
  if (m.mode === 'online' && !m.videoLink) ctx.addIssue({ code: 'custom', message: 'an online meeting needs a video link', path: ['videoLink'] });
  if (m.staff && new Set(m.staff).size !== m.staff.length)
    ctx.addIssue({ code: 'custom', message: 'a staff member is listed twice', path: ['staff'] });
}

export const CreateMeetingBody = /* @__PURE__ */ (() =>
  z
    .strictObject({ ...MeetingFields, start: LocalDateTime, end: LocalDateTime })
    .superRefine(checkWhere)
    .refine((m) => m.end > m.start, { message: 'end must be after start', path: ['end'] }))();
export type CreateMeetingBody = z.infer<typeof CreateMeetingBody>;

/** What a change may touch on a meeting or a series (each optional), guarded by the version read. */
const MeetingChanges = /* @__PURE__ */ (() => ({
  version: z.number().int().min(1),
  title: MeetingFields.title.optional(),
  mode: MeetingMode.optional(),
  place: Place.optional(),
  address: MeetingFields.address,
  videoLink: MeetingFields.videoLink,
  staff: MeetingFields.staff.optional(),
  external: ExternalAttendees.optional(),
}))();

export const UpdateMeetingBody = /* @__PURE__ */ (() =>
  z
    .strictObject({
      ...MeetingChanges,
      start: LocalDateTime.optional(),
      end: LocalDateTime.optional(),
    })
    .refine((m) => (m.start === undefined) === (m.end === undefined), { message: 'give both start and end to move a meeting', path: ['end'] }))();
export type UpdateMeetingBody = z.infer<typeof UpdateMeetingBody>;

export const Meeting = /* @__PURE__ */ (() =>
  z.object({
    teamId: Slug,
    id: z.string(),
    seriesId: z.string().optional(),
    /** The series rule's original date for this occurrence (stable, even when moved). */
    occurrenceKey: IsoDate.optional(),
    ...MeetingFields,
    start: Instant,
    end: Instant,
    startLocal: LocalDateTime,
    endLocal: LocalDateTime,
    status: z.enum(['planned', 'cancelled']),
    /** Moved or edited apart from its series. */
    detached: z.boolean(),
    /** iCalendar SEQUENCE: raised on every change an attendee should see. */
    sequence: z.number().int().min(0),
    /** The coordinator who booked it: the invitations' ORGANIZER and Reply-To (absent on records from before it was kept). */
    organizerStaffId: Slug.optional(),
    ...RecordMeta.shape,
  }))();
export type Meeting = z.infer<typeof Meeting>;

export const CreateSeriesBody = /* @__PURE__ */ (() => z.strictObject({ ...MeetingFields, spec: SeriesSpec }).superRefine(checkWhere))();
export type CreateSeriesBody = z.infer<typeof CreateSeriesBody>;

export const MeetingSeries = /* @__PURE__ */ (() =>
  z.object({
    teamId: Slug,
    id: z.string(),
    ...MeetingFields,
    spec: SeriesSpec,
    /** Occurrences exist as meetings up to this date; a daily job moves it forward. */
    materializedUntil: IsoDate,
    /** Ended series stop producing occurrences; a change from an occurrence on ends or shortens it and starts its successor. */
    status: z.enum(['active', 'ended']),
    replacedBy: z.string().optional(),
    /** iCalendar SEQUENCE of the series invitation (one VEVENT with RRULE): raised when the series itself changes (ended, cut short). */
    sequence: z.number().int().min(0).default(0),
    /** The coordinator who booked the series: its invitation's ORGANIZER and Reply-To. */
    organizerStaffId: Slug.optional(),
    ...RecordMeta.shape,
  }))();
export type MeetingSeries = z.infer<typeof MeetingSeries>;

export const ChangeSeriesBody = /* @__PURE__ */ (() =>
  z.strictObject({
    ...MeetingChanges,
    /** The first occurrence (by its original date) the change applies to. */
    fromDate: IsoDate,
    recurrence: SeriesSpec.shape.recurrence.optional(),
    durationMinutes: z.number().int().min(15).max(480).optional(),
    untilDate: IsoDate.optional(),
    holidayPolicy: SeriesSpec.shape.holidayPolicy.optional(),
  }))();
export type ChangeSeriesBody = z.infer<typeof ChangeSeriesBody>;

export const MeetingParams = /* @__PURE__ */ (() => z.object({ id: z.string().regex(/^[a-z0-9-]{8,80}$/, 'malformed meeting id') }))();
export const MeetingListQuery = /* @__PURE__ */ (() =>
  z
    .strictObject({ from: IsoDate, to: IsoDate, staff: Slug.optional() })
    .refine((q) => q.to >= q.from, { message: 'to must be on or after from', path: ['to'] })
    .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, { message: 'a range is at most 400 days', path: ['to'] }))();

export const SeriesOutcome = /* @__PURE__ */ (() =>
  z.object({
    series: MeetingSeries,
    booked: z.array(Meeting),
    conflicts: z.array(z.object({ date: IsoDate, reason: z.string() })),
    cancelled: z.number().int().optional(),
  }))();
export type SeriesOutcome = z.infer<typeof SeriesOutcome>;

export const HandoverProposal = /* @__PURE__ */ (() =>
  z.object({
    family: FamilyCode,
    treatmentEnd: IsoDate,
    receivingUnit: z.enum(['socialtjanst', 'bup']),
    staff: z.array(Slug),
    slots: z.array(z.object({ start: LocalDateTime, end: LocalDateTime })),
  }))();
export const HandoverQuery = /* @__PURE__ */ (() => z.strictObject({ week: IsoWeek }))();

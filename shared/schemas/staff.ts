import { DateTime } from 'luxon';
import * as z from 'zod';
import { freeText } from './free-text.js';
import { Instant, IsoDate, LocalDateTime, Place, RecordMeta, Slug, WorkingHours } from './common.js';

export const StaffRole = /* @__PURE__ */ (() => z.enum(['coordinator', 'family_therapist', 'individual_therapist']))();
export type StaffRole = z.infer<typeof StaffRole>;

const E164 = /* @__PURE__ */ (() => z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be a mobile number in E.164 form, e.g. +46701234567'))();

/** A person's own reminder choices (§6), within the team's policy. */
export const NotificationPreferences = /* @__PURE__ */ (() =>
  z.strictObject({
    visitReminder: z.enum(['sms', 'email', 'off']).default('sms'),
    /** Minutes before each visit; absent = the team's default. */
    visitLeadMinutes: z.number().int().min(5).max(1440).optional(),
    dailyAgenda: z.enum(['email', 'off']).default('email'),
    changeNotice: z.enum(['sms', 'email', 'off']).default('sms'),
  }))();
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;
export const defaultNotifications: NotificationPreferences = /* @__PURE__ */ (() => NotificationPreferences.parse({}))();

const StaffFields = /* @__PURE__ */ (() => ({
  name: freeText({ max: 100 }),
  role: StaffRole,
  base: Place,
  email: z.email(),
  mobile: E164.optional(),
  workingHours: WorkingHours,
  maxVisitsPerDay: z.number().int().min(1).max(10).default(3),
  notifications: NotificationPreferences.default(defaultNotifications),
}))();

export const CreateStaffBody = /* @__PURE__ */ (() =>
  z.strictObject({
    id: Slug,
    ...StaffFields,
    teamId: Slug.optional().describe(
      'An administrator adding a team’s coordinator names the team (role coordinator only); a coordinator adds to their own team and may leave it out.',
    ),
  }))();
export type CreateStaffBody = z.infer<typeof CreateStaffBody>;

export const UpdateStaffBody = /* @__PURE__ */ (() =>
  z.strictObject({
    version: z.number().int().min(1),
    name: StaffFields.name.optional(),
    role: StaffRole.optional(),
    base: Place.optional(),
    email: z.email().optional(),
    mobile: E164.optional(),
    workingHours: WorkingHours.optional(),
    maxVisitsPerDay: z.number().int().min(1).max(10).optional(),
    notifications: NotificationPreferences.optional(),
  }))();
export type UpdateStaffBody = z.infer<typeof UpdateStaffBody>;

export const Staff = /* @__PURE__ */ (() =>
  z.object({
    teamId: Slug,
    id: Slug,
    ...StaffFields,
    /** Absent only once a former staff member's contact details were purged (§10). */
    email: z.email().optional(),
    active: z.boolean(),
    /** When the person was deactivated: their contact details and feed tokens are purged a retention period later. */
    deactivatedAt: z.string().optional(),
    /** Set when the purge removed name, e-mail, mobile and feed tokens; id and role stay ("a former staff member"). */
    contactsPurgedAt: z.string().optional(),
    ...RecordMeta.shape,
  }))();
export type Staff = z.infer<typeof Staff>;

export const StaffParams = /* @__PURE__ */ (() => z.object({ staffId: Slug }))();
/** An administrator lists a team's coordinators (`teamId` required); staff of a team list their own team. */
export const StaffListQuery = /* @__PURE__ */ (() => z.strictObject({ teamId: Slug.optional() }))();
export const VersionBody = /* @__PURE__ */ (() => z.strictObject({ version: z.number().int().min(1) }))();

export const AbsenceKind = /* @__PURE__ */ (() => z.enum(['vacation', 'sick', 'parental', 'training', 'other']))();
/** The longest absence one record holds (a year, leap day included); longer leave is recorded year by year. */
export const maxAbsenceDays = 366;
const daysSpanned = (from: string, to: string) =>
  DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days + 1;
/**
 * An absence, in one of two forms: whole days (`from`–`to`, local dates, both included) or part of a day or days
 * (`start`–`end`, local date-times in the team's zone, e.g. a dentist 13:00–15:00).
 */
const AbsenceSpanFields = /* @__PURE__ */ (() => ({
  from: IsoDate.optional().describe('first whole day (with `to`)'),
  to: IsoDate.optional().describe('last whole day, included'),
  start: LocalDateTime.optional().describe('start of a part-day absence, local (with `end`; instead of from/to)'),
  end: LocalDateTime.optional().describe('end of a part-day absence, local'),
  kind: AbsenceKind,
}))();

/** Either whole days or a part-day span, never both; at most a year. */
function refineAbsenceSpan(
  a: { from?: string | undefined; to?: string | undefined; start?: string | undefined; end?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
  if (a.start !== undefined || a.end !== undefined) {
    if (a.from !== undefined) issue('from', 'give either from/to (whole days) or start/end (local date-times), not both');
    else if (a.to !== undefined) issue('to', 'give either from/to (whole days) or start/end (local date-times), not both');
    if (a.start === undefined) issue('start', 'a part-day absence needs start and end');
    else if (a.end === undefined) issue('end', 'a part-day absence needs start and end');
    else if (a.end <= a.start) issue('end', 'end must be after start');
    else if (daysSpanned(a.start.slice(0, 10), a.end.slice(0, 10)) > maxAbsenceDays)
      issue('end', `an absence spans at most ${maxAbsenceDays} days; record longer leave as one absence per year`);
    return;
  }
  if (a.from === undefined) issue('from', 'give from and to (whole days), or start and end (local date-times)');
  if (a.to === undefined) issue('to', 'give from and to (whole days), or start and end (local date-times)');
  if (a.from === undefined || a.to === undefined) return;
  if (a.to < a.from) issue('to', 'to must be on or after from');
  else if (daysSpanned(a.from, a.to) > maxAbsenceDays)
    issue('to', `an absence spans at most ${maxAbsenceDays} days; record longer leave as one absence per year`);
}

export const CreateAbsenceBody = /* @__PURE__ */ (() => z.strictObject(AbsenceSpanFields).superRefine(refineAbsenceSpan))();
export type CreateAbsenceBody = z.infer<typeof CreateAbsenceBody>;

/** An absence changed in place (ended early, extended): its whole new span, with the version read. */
export const UpdateAbsenceBody = /* @__PURE__ */ (() =>
  z
    .strictObject({
      version: z.number().int().min(1).describe('the version read (an absence recorded before versions is at 1)'),
      ...AbsenceSpanFields,
    })
    .superRefine(refineAbsenceSpan))();
export type UpdateAbsenceBody = z.infer<typeof UpdateAbsenceBody>;

export const Absence = /* @__PURE__ */ (() =>
  z.object({
    teamId: Slug,
    staffId: Slug,
    id: z.string(),
    /** The local dates it touches (a part-day absence: the dates of its start and end). */
    from: IsoDate,
    to: IsoDate,
    kind: AbsenceKind,
    /** A part-day absence: the instants it blocks (UTC) and the local date-times it was given as. */
    start: Instant.optional(),
    end: Instant.optional(),
    startLocal: LocalDateTime.optional(),
    endLocal: LocalDateTime.optional(),
    /** Absent on records from before absences could be changed: those are at version 1. */
    version: z.number().int().min(1).optional(),
    createdAt: z.string(),
    updatedAt: z.string().optional(),
  }))();
export type Absence = z.infer<typeof Absence>;
export const AbsenceParams = /* @__PURE__ */ (() =>
  z.object({ staffId: Slug, absenceId: z.string().regex(/^[a-z0-9-]{1,64}$/, 'malformed absence id') }))();

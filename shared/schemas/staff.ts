import { DateTime } from 'luxon';
import { z } from 'zod';
import { freeText } from './free-text.js';
import { IsoDate, Place, RecordMeta, Slug, WorkingHours } from './common.js';

export const StaffRole = z.enum(['coordinator', 'family_therapist', 'individual_therapist']);
export type StaffRole = z.infer<typeof StaffRole>;

const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be a mobile number in E.164 form, e.g. +46701234567');

/** A person's own reminder choices (§6), within the team's policy. */
export const NotificationPreferences = z.strictObject({
  visitReminder: z.enum(['sms', 'email', 'off']).default('sms'),
  /** Minutes before each visit; absent = the team's default. */
  visitLeadMinutes: z.number().int().min(5).max(1440).optional(),
  dailyAgenda: z.enum(['email', 'off']).default('email'),
  changeNotice: z.enum(['sms', 'email', 'off']).default('sms'),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;
export const defaultNotifications: NotificationPreferences = NotificationPreferences.parse({});

const StaffFields = {
  name: freeText({ max: 100 }),
  role: StaffRole,
  base: Place,
  email: z.email(),
  mobile: E164.optional(),
  workingHours: WorkingHours,
  maxVisitsPerDay: z.number().int().min(1).max(10).default(3),
  notifications: NotificationPreferences.default(defaultNotifications),
};

export const CreateStaffBody = z.strictObject({ id: Slug, ...StaffFields });
export type CreateStaffBody = z.infer<typeof CreateStaffBody>;

export const UpdateStaffBody = z.strictObject({
  version: z.number().int().min(1),
  name: StaffFields.name.optional(),
  role: StaffRole.optional(),
  base: Place.optional(),
  email: z.email().optional(),
  mobile: E164.optional(),
  workingHours: WorkingHours.optional(),
  maxVisitsPerDay: z.number().int().min(1).max(10).optional(),
  notifications: NotificationPreferences.optional(),
});
export type UpdateStaffBody = z.infer<typeof UpdateStaffBody>;

export const Staff = z.object({
  teamId: Slug,
  id: Slug,
  ...StaffFields,
  active: z.boolean(),
  ...RecordMeta.shape,
});
export type Staff = z.infer<typeof Staff>;

export const StaffParams = z.object({ staffId: Slug });
export const VersionBody = z.strictObject({ version: z.number().int().min(1) });

export const AbsenceKind = z.enum(['vacation', 'sick', 'parental', 'training', 'other']);
/** The longest absence one record holds (a year, leap day included); longer leave is recorded year by year. */
export const maxAbsenceDays = 366;
const daysSpanned = (from: string, to: string) => DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days + 1;
export const CreateAbsenceBody = z
  .strictObject({ from: IsoDate, to: IsoDate, kind: AbsenceKind })
  .superRefine((a, ctx) => {
    if (a.to < a.from) ctx.addIssue({ code: 'custom', message: 'to must be on or after from', path: ['to'] });
    else if (daysSpanned(a.from, a.to) > maxAbsenceDays) ctx.addIssue({ code: 'custom', message: `an absence spans at most ${maxAbsenceDays} days; record longer leave as one absence per year`, path: ['to'] });
  });
export type CreateAbsenceBody = z.infer<typeof CreateAbsenceBody>;

export const Absence = z.object({
  teamId: Slug,
  staffId: Slug,
  id: z.string(),
  from: IsoDate,
  to: IsoDate,
  kind: AbsenceKind,
  createdAt: z.string(),
});
export type Absence = z.infer<typeof Absence>;
export const AbsenceParams = z.object({ staffId: Slug, absenceId: z.string().regex(/^[a-z0-9-]{1,64}$/, 'malformed absence id') });

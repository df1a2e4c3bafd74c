import * as z from 'zod';
import { freeText } from './free-text.js';
import { HourMinute, IsoDate, Place, RecordMeta, Slug, TimeZone, WorkingHours } from './common.js';

export const TravelMatrix = /* @__PURE__ */ (() => z.record(Place, z.record(Place, z.number().int().min(0).max(600))))();

export const HolidayCalendar = /* @__PURE__ */ (() =>
  z.strictObject({
    country: z.literal('SE').default('SE'),
    /** Extra days off for the team (e.g. a planning day). */
    extraDaysOff: z.array(IsoDate).default([]),
    /** Public holidays the team works anyway. */
    workingDays: z.array(IsoDate).default([]),
  }))();

/** When and how reminders go out (§6); each person chooses within it. */
export const ReminderPolicy = /* @__PURE__ */ (() =>
  z.strictObject({
    visitLeadMinutes: z.number().int().min(15).max(240).default(60),
    /** Allowed range for a person's own visit-reminder lead time. */
    minLeadMinutes: z.number().int().min(5).max(240).default(15),
    maxLeadMinutes: z.number().int().min(15).max(1440).default(240),
    agendaTime: HourMinute.default('18:00'),
    quietStart: HourMinute.default('21:00'),
    quietEnd: HourMinute.default('07:00'),
    changeNoticeHours: z.number().int().min(1).max(168).default(48),
    externalLeadHours: z.number().int().min(1).max(72).default(24),
  }))();
export type ReminderPolicy = z.infer<typeof ReminderPolicy>;
export const defaultReminderPolicy: ReminderPolicy = /* @__PURE__ */ (() => ReminderPolicy.parse({}))();

const TeamFields = /* @__PURE__ */ (() => ({
  name: freeText({ max: 100 }),
  zone: TimeZone.default('Europe/Stockholm'),
  places: z.array(Place).min(1).max(100),
  travelMinutes: TravelMatrix,
  holidayCalendar: HolidayCalendar.default({ country: 'SE', extraDaysOff: [], workingDays: [] }),
  defaultWorkingHours: WorkingHours.default([]),
  reminderPolicy: ReminderPolicy.default(defaultReminderPolicy),
}))();

type TeamShape = { places: string[]; travelMinutes: Record<string, Record<string, number>> };

/** Every place served must appear in the travel matrix, both ways. */
function checkTravelMatrix(team: TeamShape, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  team.places.forEach((p, i) => {
    if (seen.has(p)) ctx.addIssue({ code: 'custom', message: `place "${p}" appears twice`, path: ['places', i] });
    seen.add(p);
  });
  for (const from of team.places) {
    for (const to of team.places) {
      if (team.travelMinutes[from]?.[to] === undefined) {
        ctx.addIssue({ code: 'custom', message: `travel time from ${from} to ${to} is missing`, path: ['travelMinutes', from, to] });
      }
    }
  }
}

export const CreateTeamBody = /* @__PURE__ */ (() => z.strictObject({ id: Slug, ...TeamFields }).superRefine(checkTravelMatrix))();
export type CreateTeamBody = z.infer<typeof CreateTeamBody>;

export const UpdateTeamBody = /* @__PURE__ */ (() =>
  z.strictObject({
    version: z.number().int().min(1),
    name: TeamFields.name.optional(),
    zone: TimeZone.optional(),
    places: TeamFields.places.optional(),
    travelMinutes: TravelMatrix.optional(),
    holidayCalendar: HolidayCalendar.optional(),
    defaultWorkingHours: WorkingHours.optional(),
    reminderPolicy: ReminderPolicy.optional(),
  }))();
export type UpdateTeamBody = z.infer<typeof UpdateTeamBody>;

export const Team = /* @__PURE__ */ (() =>
  z
    .object({
      id: Slug,
      ...TeamFields,
      ...RecordMeta.shape,
      /** Opted in to the network figures (set only through PUT /teams/{teamId}/network, with the registry item). */
      networkFigures: z.boolean().default(false),
    })
    .superRefine(checkTravelMatrix))();
export type Team = z.infer<typeof Team>;

export const TeamParams = /* @__PURE__ */ (() => z.object({ teamId: Slug }))();

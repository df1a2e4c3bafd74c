import { z } from 'zod';
import { IsoDate, Place, RecordMeta, Slug, TimeZone, WorkingHours } from './common.js';

export const TravelMatrix = z.record(Place, z.record(Place, z.number().int().min(0).max(600)));

export const HolidayCalendar = z.strictObject({
  country: z.literal('SE').default('SE'),
  /** Extra days off for the team (e.g. a planning day). */
  extraDaysOff: z.array(IsoDate).default([]),
  /** Public holidays the team works anyway. */
  workingDays: z.array(IsoDate).default([]),
});

const TeamFields = {
  name: z.string().trim().min(1).max(100),
  zone: TimeZone.default('Europe/Stockholm'),
  places: z.array(Place).min(1).max(100),
  travelMinutes: TravelMatrix,
  holidayCalendar: HolidayCalendar.default({ country: 'SE', extraDaysOff: [], workingDays: [] }),
  defaultWorkingHours: WorkingHours.default([]),
};

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

export const CreateTeamBody = z.strictObject({ id: Slug, ...TeamFields }).superRefine(checkTravelMatrix);
export type CreateTeamBody = z.infer<typeof CreateTeamBody>;

export const UpdateTeamBody = z.strictObject({
  version: z.number().int().min(1),
  name: TeamFields.name.optional(),
  zone: TimeZone.optional(),
  places: TeamFields.places.optional(),
  travelMinutes: TravelMatrix.optional(),
  holidayCalendar: HolidayCalendar.optional(),
  defaultWorkingHours: WorkingHours.optional(),
});
export type UpdateTeamBody = z.infer<typeof UpdateTeamBody>;

export const Team = z
  .object({ id: Slug, ...TeamFields, ...RecordMeta.shape })
  .superRefine(checkTravelMatrix);
export type Team = z.infer<typeof Team>;

export const TeamParams = z.object({ teamId: Slug });

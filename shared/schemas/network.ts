import * as z from 'zod';
import { IsoMonth } from './common.js';
import { FiguresQuery, FiguresResponse } from './figures.js';

/** ?from=YYYY-MM&to=YYYY-MM: the same period rules as GET /figures (no share flag: the network view is always suppressed). */
export const NetworkFiguresQuery = /* @__PURE__ */ (() =>
  z.strictObject({ from: IsoMonth, to: IsoMonth }).superRefine((q, ctx) => {
    const checked = FiguresQuery.safeParse(q);
    if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  }))();

/** PUT /teams/{teamId}/network: opt the team in to (or out of) the network figures, with the team's version read. */
export const NetworkParticipationBody = /* @__PURE__ */ (() =>
  z.strictObject({
    version: z.number().int().min(1),
    participating: z.boolean(),
  }))();
export type NetworkParticipationBody = z.infer<typeof NetworkParticipationBody>;

/** One participating team's figures in the network view: always small-cell suppressed, never anything per case. */
export const NetworkTeamRow = /* @__PURE__ */ (() => z.object({ teamId: z.string(), name: z.string(), figures: FiguresResponse }))();

export const NetworkFiguresResponse = /* @__PURE__ */ (() =>
  z.object({
    period: z.object({ from: z.string(), to: z.string() }),
    /** The small-cell threshold applied: counts from 1 to it are shown as "<threshold", complementary cells as "x". */
    threshold: z.number().int(),
    teams: z.array(NetworkTeamRow),
    total: FiguresResponse,
  }))();
export type NetworkFiguresResponse = z.infer<typeof NetworkFiguresResponse>;

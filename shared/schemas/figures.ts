import * as z from 'zod';
import { IsoMonth as Month } from './common.js';

/** ?from=YYYY-MM&to=YYYY-MM (inclusive), at most 10 years; ?share=true suppresses small cells for use outside the team; ?codes=true (report, internal only) labels cases by code. */
export const FiguresQuery = /* @__PURE__ */ (() =>
  z
    .strictObject({
      from: Month,
      to: Month,
      share: z.enum(['true', 'false']).optional(),
      codes: z.enum(['true', 'false']).optional(),
    })
    .superRefine((q, ctx) => {
      if (q.to < q.from) ctx.addIssue({ code: 'custom', message: 'to must not be before from', path: ['to'] });
      const months = (Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4))) * 12 + Number(q.to.slice(5)) - Number(q.from.slice(5)) + 1;
      if (months > 120) ctx.addIssue({ code: 'custom', message: 'a period is at most 10 years', path: ['to'] });
      // Case codes never leave the team: a report marked for sharing has no per-case labels at all.
      if (q.codes === 'true' && q.share === 'true')
        ctx.addIssue({ code: 'custom', message: 'case codes cannot be shown in a report marked for sharing (share=true)', path: ['codes'] });
    }))();
export type FiguresQuery = z.infer<typeof FiguresQuery>;

/** The §9 JSON; its exact shape is built (and unit-tested) in shared/domain/figures. A suppressed cell is a string like "≤3". */
export const FiguresResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    period: z.object({ from: z.string(), to: z.string() }),
    cases: z.looseObject({}),
    referrals: z.looseObject({}),
    inquiries: z.looseObject({}),
    youngPeople: z.looseObject({}),
    delivery: z.looseObject({}),
    cancellations: z.looseObject({}),
    lengthOfStayDays: z.looseObject({}),
    outcomes: z.looseObject({}),
    tallies: z.record(z.string(), z.looseObject({})),
  }))();

import * as z from 'zod';
import { cancelReasons } from '../domain/categories.js';
import { Instant, IsoDate, IsoWeek, LocalDateTime, Place, RecordMeta, Slug } from './common.js';
import { feedDaysAhead, feedDaysBack } from './calendar.js';
import { FamilyCode, SessionKind } from './family.js';
import { PlannedVisit } from './planning.js';

export const VisitStatus = /* @__PURE__ */ (() => z.enum(['planned', 'done', 'cancelled', 'no_show']))();
export const CancelledBy = /* @__PURE__ */ (() => z.enum(['family', 'team']))();
export const CancelReason = /* @__PURE__ */ (() => z.enum(cancelReasons))();

/** Who gives a visit instead of the planned staff, after an absence: the pair's other therapist, or a colleague of the absent person's role. */
export const VisitCover = /* @__PURE__ */ (() =>
  z.object({
    by: z.enum(['partner', 'colleague']),
    plannedKind: SessionKind.describe('the kind it was planned as'),
    plannedStaff: z.array(Slug).min(1).max(2).describe('who was to give it'),
    absent: z.array(Slug).min(1).describe('the absent staff it was covered for'),
    continuityBreak: z.boolean().optional().describe('a colleague outside the pair: confirmed by the coordinator'),
  }))();

/** One home session, stored with UTC instants and shown in the team's zone. */
export const Visit = /* @__PURE__ */ (() =>
  z.object({
    teamId: Slug,
    id: z.string(),
    family: FamilyCode,
    kind: SessionKind,
    staff: z.array(Slug).min(1).max(2),
    start: Instant,
    end: Instant,
    startLocal: LocalDateTime,
    endLocal: LocalDateTime,
    week: IsoWeek,
    place: Place,
    status: VisitStatus,
    cancelledBy: CancelledBy.optional(),
    cancelReason: CancelReason.optional(),
    cover: VisitCover.optional().describe(
      'Set when the visit is given by someone else than planned because of an absence (issue 23); `kind` and `staff` are what is given.',
    ),
    ...RecordMeta.shape,
  }))();
export type Visit = z.infer<typeof Visit>;

/** A visit as GET /visits lists it: with who of its staff an absence covers at its time, until the coordinator decides. */
export const ListedVisit = /* @__PURE__ */ (() =>
  Visit.extend({
    absentStaff: z
      .array(Slug)
      .optional()
      .describe(
        'Present on a planned visit that lies inside an absence of one of its staff: those staff. The absent person gets no reminder, agenda line or change notice for it and does not see it in their calendar feed; decide it with POST /weeks/{week}/replan.',
      ),
  }))();

const Interval = { start: LocalDateTime, end: LocalDateTime };
const endAfterStart = (v: { start: string; end: string }) => v.end > v.start;

export const CreateVisitBody = /* @__PURE__ */ (() =>
  z
    .strictObject({ family: FamilyCode, kind: SessionKind, ...Interval })
    .refine(endAfterStart, { message: 'end must be after start', path: ['end'] }))();
export type CreateVisitBody = z.infer<typeof CreateVisitBody>;

export const MoveVisitBody = /* @__PURE__ */ (() =>
  z.strictObject({ version: z.number().int().min(1), ...Interval }).refine(endAfterStart, { message: 'end must be after start', path: ['end'] }))();
export type MoveVisitBody = z.infer<typeof MoveVisitBody>;

export const CancelVisitBody = /* @__PURE__ */ (() => z.strictObject({ version: z.number().int().min(1), by: CancelledBy, reason: CancelReason }))();
export type CancelVisitBody = z.infer<typeof CancelVisitBody>;

export const VisitOutcomeBody = /* @__PURE__ */ (() => z.strictObject({ version: z.number().int().min(1), status: z.enum(['done', 'no_show']) }))();

export const VisitParams = /* @__PURE__ */ (() => z.object({ id: z.string().regex(/^[a-f0-9-]{8,64}$/, 'malformed visit id') }))();

/** The longest `from`..`to` of GET /visits?staff=: what a calendar feed shows (4 weeks back to 26 ahead), so a client can ask for it. */
export const maxVisitRangeDays = feedDaysBack + feedDaysAhead;

export const VisitListQuery = /* @__PURE__ */ (() =>
  z
    .strictObject({
      staff: Slug.optional(),
      family: FamilyCode.optional(),
      week: IsoWeek.optional(),
      from: IsoDate.optional(),
      to: IsoDate.optional(),
    })
    .superRefine((q, ctx) => {
      const modes = [q.staff !== undefined, q.family !== undefined, q.week !== undefined].filter(Boolean).length;
      if (modes !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of staff (with from and to), family, or week', path: [] });
      if (q.staff !== undefined && (q.from === undefined || q.to === undefined))
        ctx.addIssue({ code: 'custom', message: 'from and to are required with staff', path: [q.from === undefined ? 'from' : 'to'] });
      if (q.from && q.to && q.to < q.from) ctx.addIssue({ code: 'custom', message: 'to must be on or after from', path: ['to'] });
      if (q.from && q.to && Date.parse(q.to) - Date.parse(q.from) > maxVisitRangeDays * 86_400_000)
        ctx.addIssue({
          code: 'custom',
          message: `a range is at most ${maxVisitRangeDays} days (what a calendar feed shows: 4 weeks back to 26 ahead)`,
          path: ['to'],
        });
    }))();

/** A proposed visit, exactly as the planner's result lists it (§4), with the stored records' id formats. */
export const ProposedVisit = /* @__PURE__ */ (() =>
  PlannedVisit.extend({ family: FamilyCode, staff: z.array(Slug).min(1).max(2), place: Place }).strict())();
/** The visits a commit books (the commit body's shapes are in plan-proposal.ts). */
export type ProposedVisits = z.infer<typeof ProposedVisit>[];

/** A booked or moved visit, with what it breaks that the planner would not (outside working hours or windows). */
export const VisitWithWarnings = /* @__PURE__ */ (() =>
  Visit.extend({
    warnings: z
      .array(z.string())
      .optional()
      .describe('Accepted, but outside a therapist’s working hours or the family’s visiting windows; also in the audit entry.'),
  }))();

export const Alternative = /* @__PURE__ */ (() =>
  z.object({
    start: LocalDateTime,
    end: LocalDateTime,
    week: IsoWeek,
    extraTravelMinutes: z
      .number()
      .describe(
        "Extra driving this slot costs the pair: their day's travel with the visit at this time, less the same day without it (0 = on the way).",
      ),
    minutesFromOriginal: z.number().describe('How far (in minutes, either way) this slot is from the visit’s current start.'),
  }))();
export type Alternative = z.infer<typeof Alternative>;

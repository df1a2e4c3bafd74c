import * as z from 'zod';
import { LocalDateTime, Slug } from './common.js';
import { FamilyCode, SessionKind } from './family.js';
import { Visit } from './visit.js';

export const RepairOptionKind = /* @__PURE__ */ (() =>
  z
    .enum(['move', 'partner', 'colleague', 'cancel'])
    .describe('in the order a coordinator prefers them: move it, the pair’s other therapist covers, a colleague covers, cancel'))();

/** One of the four options for an affected visit, possible or not (then `reason` names the rule that binds). */
export const RepairOption = /* @__PURE__ */ (() =>
  z.object({
    option: RepairOptionKind,
    possible: z.boolean(),
    reason: z
      .string()
      .optional()
      .describe('when not possible: why (the family’s daily limit, its windows, the partner’s absence, a holiday, a working day full…)'),
    start: LocalDateTime.optional().describe('move: the new start, local (this week, or the first days of next week)'),
    end: LocalDateTime.optional(),
    extraTravelMinutes: z.number().int().optional().describe('move: the staff’s extra driving that day with the visit there'),
    chain: z
      .array(
        z.object({
          visit: z.string(),
          version: z.number().int().min(1),
          family: FamilyCode,
          kind: SessionKind,
          staff: z.array(Slug),
          startLocal: LocalDateTime,
          endLocal: LocalDateTime,
          start: LocalDateTime,
          end: LocalDateTime,
        }),
      )
      .optional()
      .describe('move: another visit of the same family that moves first to free the day (commit it as a move too)'),
    staff: z.array(Slug).optional().describe('partner / colleague: who gives it then'),
    kind: SessionKind.optional().describe(
      'partner / colleague: the kind it is given as (a joint visit with the partner alone is the partner’s kind)',
    ),
    continuityBreak: z.boolean().optional().describe('colleague: someone outside the family’s pair; the commit must confirm it'),
  }))();

const VisitRef = /* @__PURE__ */ (() => ({
  visit: z.string().describe('the visit’s id'),
  version: z.number().int().min(1).describe('the version the proposal read; the commit is 409 if the visit has changed since'),
  family: FamilyCode,
  kind: SessionKind,
  staff: z.array(Slug),
  startLocal: LocalDateTime.describe('where it is now, in the team’s zone'),
  endLocal: LocalDateTime,
}))();

/** The answer of POST /weeks/{week}/replan: a repair proposal, nothing booked. */
export const ReplanProposal = /* @__PURE__ */ (() =>
  z.object({
    week: z.string(),
    affected: z
      .array(z.object({ ...VisitRef, absence: z.object({ id: z.string(), staffId: Slug, kind: z.string() }) }))
      .describe('planned visits from now on that an absence of one of their staff knocks out'),
    moves: z.array(
      z.object({
        ...VisitRef,
        start: LocalDateTime.describe('the proposed new start, local'),
        end: LocalDateTime,
        extraTravelMinutes: z.number().int().describe('the staff’s extra driving that day with the visit there (0 = on the way)'),
      }),
    ),
    unplaced: z
      .array(z.object({ ...VisitRef, reason: z.string().describe('why it cannot be re-placed this week, in the planner’s words') }))
      .describe('affected visits with no move (see `decisions` for what is proposed instead)'),
    decisions: z
      .array(
        z.object({
          ...VisitRef,
          absentStaff: z.array(Slug).describe('who of its staff is absent at its time'),
          absence: z.object({ id: z.string(), staffId: Slug, kind: z.string() }),
          proposed: RepairOptionKind.describe('the first possible option'),
          options: z.array(RepairOption).describe('all four, in order; the ones before `proposed` are impossible and say why'),
        }),
      )
      .describe('for each affected visit, what the proposal does with it; commit them with POST /weeks/{week}/replan/commit'),
    stats: z.object({
      affected: z.number().int(),
      moved: z.number().int(),
      unplaced: z.number().int(),
      extraTravelMinutes: z.number().int(),
      chained: z.number().int().describe('moves that need another visit of the family to shift first'),
      movedToNextWeek: z.number().int(),
      coveredByPartner: z.number().int(),
      coveredByColleague: z.number().int(),
      cancelled: z.number().int(),
    }),
    plannedFrom: z.string().optional().describe('In the current week: the local time re-placing starts from.'),
  }))();
export type ReplanProposal = z.infer<typeof ReplanProposal>;

/** The most decisions one commit takes; what fits is also bounded by DynamoDB's 100 items in one transaction. */
export const maxReplanDecisions = 25;

const Versioned = /* @__PURE__ */ (() => ({ visit: z.string().min(1).max(64), version: z.number().int().min(1) }))();

/** One decision of a commit: what happens to one visit. */
export const ReplanDecision = /* @__PURE__ */ (() =>
  z.discriminatedUnion('action', [
    z
      .strictObject({ ...Versioned, action: z.literal('move'), start: LocalDateTime, end: LocalDateTime })
      .describe('same staff, new time (this week, or the first days of next week)'),
    z.strictObject({ ...Versioned, action: z.literal('partner') }).describe('the pair’s other therapist gives it, at its time'),
    z.strictObject({
      ...Versioned,
      action: z.literal('colleague'),
      staff: Slug.describe('the colleague, of the absent person’s role'),
      confirmContinuityBreak: z.literal(true, { error: 'a colleague outside the pair breaks continuity: confirm it with true' }),
    }),
    z.strictObject({ ...Versioned, action: z.literal('cancel') }).describe('cancelled by the team, reason staff_absence'),
    z
      .strictObject({ ...Versioned, action: z.literal('restore') })
      .describe('a visit cancelled for a staff absence goes back where it was (after the absence was shortened)'),
  ]))();
export type ReplanDecision = z.infer<typeof ReplanDecision>;

export const CommitReplanBody = /* @__PURE__ */ (() =>
  z
    .strictObject({
      moves: z
        .array(z.strictObject({ visit: z.string().min(1).max(64), version: z.number().int().min(1), start: LocalDateTime, end: LocalDateTime }))
        .max(maxReplanDecisions, `at most ${maxReplanDecisions} in one commit (one transaction); commit the rest in another`)
        .optional()
        .describe('moves only (the earlier form; the same as decisions with action move)'),
      decisions: z
        .array(ReplanDecision)
        .max(maxReplanDecisions, `at most ${maxReplanDecisions} in one commit (one transaction); commit the rest in another`)
        .optional(),
    })
    .superRefine((b, ctx) => {
      const n = (b.moves?.length ?? 0) + (b.decisions?.length ?? 0);
      if (n === 0) ctx.addIssue({ code: 'custom', message: 'give at least one decision', path: [b.moves ? 'moves' : 'decisions'] });
      if (n > maxReplanDecisions)
        ctx.addIssue({
          code: 'custom',
          message: `at most ${maxReplanDecisions} in one commit (one transaction); commit the rest in another`,
          path: ['decisions'],
        });
    }))();
export type CommitReplanBody = z.infer<typeof CommitReplanBody>;

export const CommitReplanResponse = /* @__PURE__ */ (() =>
  z.object({
    moved: z.array(Visit),
    covered: z.array(Visit).describe('given by the partner or a colleague (see `cover`)'),
    cancelled: z.array(Visit),
    restored: z.array(Visit),
  }))();

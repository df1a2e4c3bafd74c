import * as z from 'zod';
import { IsoWeek } from './common.js';
import { FamilyCode } from './family.js';
import { PlanStats, PlanningProblem, PlanningResult, Shortfall } from './planning.js';
import { ProposedVisit, Visit } from './visit.js';

const count = () => z.number().int().min(0);

/** What a family already has booked in the week (planned or done): kept as it is, not proposed again. */
export const AlreadyBooked = /* @__PURE__ */ (() =>
  z.object({
    family: FamilyCode,
    booked: count().describe('Sessions of this family already booked (planned or done) in the week: kept, not proposed again.'),
    byKind: z.object({ family: count(), individual: count(), joint: count() }).describe('The booked sessions by kind.'),
    toPlace: count().describe('Sessions of the family’s weekly mix still to place: what the planner was asked for (its count less what is booked).'),
  }))();
export type AlreadyBooked = z.infer<typeof AlreadyBooked>;

export const ProposalSummary = /* @__PURE__ */ (() =>
  z.object({
    sessionsBooked: count().describe('Sessions already booked in the week for the families planned.'),
    sessionsToPlace: count().describe('Sessions still to place (= result.stats.sessionsRequested).'),
    alreadyPlanned: z
      .boolean()
      .describe(
        'True when sessions are booked and nothing is left to place: the proposal is empty because the week is planned, and committing it books nothing (a 400 that says so).',
      ),
  }))();
export type ProposalSummary = z.infer<typeof ProposalSummary>;

/** POST /weeks/{week}/plan's answer: the problem, the planner's result, and what the week already holds. */
export const PlanProposal = /* @__PURE__ */ (() =>
  z.object({
    problem: PlanningProblem,
    result: PlanningResult,
    plannedFrom: z
      .string()
      .optional()
      .describe('In the current week: the local time planning starts from (what has passed is not planned). A week that has passed is a 400.'),
    alreadyBooked: z.array(AlreadyBooked).describe('Per family planned: sessions already booked this week and what is left to place.'),
    summary: ProposalSummary,
    note: z.string().optional().describe('Present when the week already holds bookings: says so in words (e.g. "2026-W49 is already planned: …").'),
  }))();
export type PlanProposal = z.infer<typeof PlanProposal>;

const ProposedVisits = /* @__PURE__ */ (() => z.array(ProposedVisit).max(500))();

/**
 * POST /weeks/{week}/plan/commit's body: the proposal exactly as POST /weeks/{week}/plan returned it, or its `result`
 * alone, or (the first shape) just `{ "visits": [...] }`; `families` picks a subset. `problem`, `shortfalls`, `stats`,
 * `alreadyBooked`, `summary` and `note` are accepted so that a proposal can be sent back unchanged, and ignored.
 */
export const CommitPlanBody = /* @__PURE__ */ (() =>
  z
    .strictObject({
      visits: ProposedVisits.optional().describe(
        'The visits to book: {"visits": result.visits}, or the planner’s result sent alone. Either this or `result`.',
      ),
      week: IsoWeek.optional().describe('With `visits`: the week they were proposed for; must be the path’s week.'),
      shortfalls: z.array(Shortfall).optional().describe('Ignored (part of the planner’s result).'),
      stats: PlanStats.optional().describe('Ignored (part of the planner’s result).'),
      result: PlanningResult.extend({ visits: ProposedVisits })
        .strict()
        .optional()
        .describe('The planner’s result as POST /weeks/{week}/plan returned it: its visits are booked. Either this or `visits`.'),
      problem: z.unknown().optional().describe('Ignored (the proposal’s problem, accepted so that the proposal can be sent back as it came).'),
      plannedFrom: z.string().max(40).optional().describe('Ignored.'),
      alreadyBooked: z.array(AlreadyBooked).max(1000).optional().describe('Ignored.'),
      summary: ProposalSummary.optional().describe('Ignored.'),
      note: z.string().max(2000).optional().describe('Ignored.'),
      families: z
        .array(FamilyCode)
        .min(1)
        .max(500)
        .optional()
        .describe('Book only these families’ proposed visits (a chosen subset; each family all or nothing). Each must have visits in the proposal.'),
    })
    .superRefine((body, ctx) => {
      if (body.visits && body.result)
        ctx.addIssue({ code: 'custom', path: ['visits'], message: 'send the visits once: either `visits` or the proposal’s `result`, not both' });
      if (!body.visits && !body.result)
        ctx.addIssue({
          code: 'custom',
          path: ['result'],
          message: 'required: the proposal from POST /weeks/{week}/plan (or its `result`, or `visits`)',
        });
    }))();
export type CommitPlanBody = z.infer<typeof CommitPlanBody>;

/** What a commit booked, family by family, and which families collided (nothing of theirs booked) and why. */
export const CommitPlanOutcome = /* @__PURE__ */ (() =>
  z.object({
    booked: z.array(z.object({ family: FamilyCode, visits: z.array(Visit) })),
    collided: z.array(z.object({ family: FamilyCode, reason: z.string() })),
  }))();

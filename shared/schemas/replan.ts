import * as z from 'zod';
import { LocalDateTime, Slug } from './common.js';
import { FamilyCode, SessionKind } from './family.js';
import { Visit } from './visit.js';

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
export const ReplanProposal = /* @__PURE__ */ (() => z.object({
  week: z.string(),
  affected: z.array(z.object({ ...VisitRef, absence: z.object({ id: z.string(), staffId: Slug, kind: z.string() }) })).describe('planned visits from now on that an absence of one of their staff knocks out'),
  moves: z.array(z.object({ ...VisitRef, start: LocalDateTime.describe('the proposed new start, local'), end: LocalDateTime, extraTravelMinutes: z.number().int().describe('the staff’s extra driving that day with the visit there (0 = on the way)') })),
  unplaced: z.array(z.object({ ...VisitRef, reason: z.string().describe('why it cannot be re-placed this week, in the planner’s words') })),
  stats: z.object({ affected: z.number().int(), moved: z.number().int(), unplaced: z.number().int(), extraTravelMinutes: z.number().int() }),
  plannedFrom: z.string().optional().describe('In the current week: the local time re-placing starts from.'),
}))();
export type ReplanProposal = z.infer<typeof ReplanProposal>;

/** The most moves one commit takes: all of them go in one DynamoDB transaction (100 items). */
export const maxReplanMoves = 10;

export const CommitReplanBody = /* @__PURE__ */ (() => z.strictObject({
  moves: z
    .array(z.strictObject({ visit: z.string().min(1).max(64), version: z.number().int().min(1), start: LocalDateTime, end: LocalDateTime }))
    .min(1, 'give at least one move')
    .max(maxReplanMoves, `at most ${maxReplanMoves} moves in one commit (one transaction); commit the rest in another`),
}))();
export type CommitReplanBody = z.infer<typeof CommitReplanBody>;

export const CommitReplanResponse = /* @__PURE__ */ (() => z.object({ moved: z.array(Visit) }))();

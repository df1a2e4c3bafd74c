import * as z from 'zod';
import { IsoWeek } from '../schemas/common.js';
import { AuditEntry, CreateFamilyBody, Family, FamilyListQuery, FamilyParams, FamilyTransitionBody, UpdateFamilyBody } from '../schemas/family.js';
import {
  Absence,
  AbsenceParams,
  CreateAbsenceBody,
  CreateStaffBody,
  Staff,
  StaffListQuery,
  StaffParams,
  UpdateAbsenceBody,
  UpdateStaffBody,
  VersionBody,
} from '../schemas/staff.js';
import {
  ChangeSeriesBody,
  CreateMeetingBody,
  CreateSeriesBody,
  HandoverProposal,
  HandoverQuery,
  Meeting,
  MeetingListQuery,
  MeetingParams,
  MeetingSeries,
  SeriesOutcome,
  UpdateMeetingBody,
} from '../schemas/meeting.js';
import { Engagement } from '../schemas/engagement.js';
import { CommitPlanBody, CommitPlanOutcome, PlanProposal } from '../schemas/plan-proposal.js';
import { CommitReplanBody, CommitReplanResponse, ReplanProposal } from '../schemas/replan.js';
import { Reminder, ReminderListQuery } from '../schemas/reminder.js';
import { CreateTeamBody, Team, TeamParams, UpdateTeamBody } from '../schemas/team.js';
import {
  Alternative,
  CancelVisitBody,
  CreateVisitBody,
  ListedVisit,
  MoveVisitBody,
  Visit,
  VisitListQuery,
  VisitOutcomeBody,
  VisitParams,
  VisitWithWarnings,
} from '../schemas/visit.js';
import { CalendarFileParams, CalendarTokenBody, CalendarTokenQuery, IssuedCalendarToken } from '../schemas/calendar.js';
import { FiguresQuery, FiguresResponse } from '../schemas/figures.js';
import { CreateInquiryBody, DeleteInquiryQuery, Inquiry, InquiryListQuery, InquiryParams, UpdateInquiryBody } from '../schemas/inquiry.js';
import { CompletionBody, TallyBody } from '../schemas/family.js';
import { NetworkFiguresQuery, NetworkFiguresResponse, NetworkParticipationBody } from '../schemas/network.js';
import {
  EraseFamilyBody,
  PurgePreview,
  PurgePreviewQuery,
  PurgeReceipt,
  RetentionParams,
  TeamRetention,
  UpdateRetentionBody,
} from '../schemas/retention.js';
import type { RouteDef } from './route.js';

/*
 * Every route of the HTTP API, one export each (issue 14 §2), and nothing else is exported here: the table in
 * routes.ts is every export of this module, and from it come the Lambda functions and API routes (CDK), the local
 * server's handlers (functions/<id in kebab-case>.ts) and the OpenAPI document. A function imports only its own:
 * `import * as routes from '../shared/http/route-defs.js'` and `routes.createVisit` — esbuild resolves the
 * namespace access statically, and every definition (and every schema in shared/schemas) is marked
 * `@__PURE__`, so the bundle keeps, and the cold start builds, only that route's schemas and what its use
 * case needs.
 */

const route = <const R extends RouteDef>(r: R): R => r;
const staffGroups = ['coordinator', 'therapist'] as const;

const WeekParams = /* @__PURE__ */ (() => z.object({ week: IsoWeek }))();

export const health = /* @__PURE__ */ (() =>
  route({
    id: 'health',
    method: 'GET',
    path: '/health',
    summary: 'Liveness and version',
    auth: 'public',
    response: z.object({ status: z.literal('ok'), version: z.string() }),
    successStatus: 200,
    errors: [],
  }))();
export const ready = /* @__PURE__ */ (() =>
  route({
    id: 'ready',
    method: 'GET',
    path: '/ready',
    summary: 'Readiness: 200 when the data store answers, 503 when it does not (for an operator or a load balancer)',
    auth: 'public',
    response: z.object({ status: z.literal('ready') }),
    successStatus: 200,
    errors: [503],
    tableAccess: 'read',
    publicReason: 'GET /ready is public by design: a load balancer probes it; it reads one key that never exists and returns no team data.',
  }))();
export const openapi = /* @__PURE__ */ (() =>
  route({
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    auth: 'public',
    response: z.looseObject({
      openapi: z.literal('3.1.0'),
      info: z.looseObject({ title: z.string(), version: z.string() }),
      paths: z.record(z.string(), z.unknown()),
    }),
    successStatus: 200,
    errors: [],
  }))();

export const createTeam = /* @__PURE__ */ (() =>
  route({
    id: 'createTeam',
    method: 'POST',
    path: '/teams',
    summary: 'Create a team (tenant)',
    auth: ['admin'],
    body: CreateTeamBody,
    response: Team,
    successStatus: 201,
    errors: [400, 401, 403, 409, 413, 422],
    idempotent: true,
  }))();
export const listTeams = /* @__PURE__ */ (() =>
  route({
    id: 'listTeams',
    method: 'GET',
    path: '/teams',
    summary: 'List all teams',
    auth: ['admin'],
    response: z.object({ teams: z.array(Team) }),
    successStatus: 200,
    errors: [401, 403],
  }))();
export const getTeam = /* @__PURE__ */ (() =>
  route({
    id: 'getTeam',
    method: 'GET',
    path: '/teams/{teamId}',
    summary: 'Read a team (admin, or a member of it)',
    auth: ['admin', 'coordinator', 'therapist'],
    params: TeamParams,
    response: Team,
    successStatus: 200,
    errors: [400, 401, 404],
  }))();
export const updateTeam = /* @__PURE__ */ (() =>
  route({
    id: 'updateTeam',
    method: 'PATCH',
    path: '/teams/{teamId}',
    summary: 'Update a team',
    auth: ['admin'],
    params: TeamParams,
    body: UpdateTeamBody,
    response: Team,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413],
  }))();

export const createStaff = /* @__PURE__ */ (() =>
  route({
    id: 'createStaff',
    method: 'POST',
    path: '/staff',
    summary: 'Add a staff member to the caller’s team, with their sign-in (an administrator: a coordinator of the team named in `teamId`)',
    auth: ['coordinator', 'admin'],
    body: CreateStaffBody,
    response: Staff,
    successStatus: 201,
    errors: [400, 401, 403, 404, 409, 413, 422],
    idempotent: true,
  }))();
export const listStaff = /* @__PURE__ */ (() =>
  route({
    id: 'listStaff',
    method: 'GET',
    path: '/staff',
    summary: 'List the team’s staff (a therapist sees only their own record; an administrator, with ?teamId=, that team’s coordinators)',
    auth: ['coordinator', 'therapist', 'admin'],
    query: StaffListQuery,
    response: z.object({ staff: z.array(Staff) }),
    successStatus: 200,
    errors: [400, 401, 403, 404],
  }))();
export const getStaff = /* @__PURE__ */ (() =>
  route({
    id: 'getStaff',
    method: 'GET',
    path: '/staff/{staffId}',
    summary: 'Read a staff member',
    auth: staffGroups,
    params: StaffParams,
    response: Staff,
    successStatus: 200,
    errors: [400, 401, 404],
  }))();
export const updateStaff = /* @__PURE__ */ (() =>
  route({
    id: 'updateStaff',
    method: 'PATCH',
    path: '/staff/{staffId}',
    summary: 'Update a staff member (a therapist only their own `notifications`: reminder channels and lead time, within the team’s policy)',
    auth: staffGroups,
    params: StaffParams,
    body: UpdateStaffBody,
    response: Staff,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413],
  }))();
export const deactivateStaff = /* @__PURE__ */ (() =>
  route({
    id: 'deactivateStaff',
    method: 'POST',
    path: '/staff/{staffId}/deactivate',
    summary: 'Deactivate a staff member',
    auth: ['coordinator'],
    params: StaffParams,
    body: VersionBody,
    response: Staff,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413, 422],
    idempotent: true,
  }))();
export const listAbsences = /* @__PURE__ */ (() =>
  route({
    id: 'listAbsences',
    method: 'GET',
    path: '/staff/{staffId}/absences',
    summary: 'A staff member’s absences',
    auth: staffGroups,
    params: StaffParams,
    response: z.object({ absences: z.array(Absence) }),
    successStatus: 200,
    errors: [400, 401, 404],
  }))();
export const createAbsence = /* @__PURE__ */ (() =>
  route({
    id: 'createAbsence',
    method: 'POST',
    path: '/staff/{staffId}/absences',
    summary: 'Record an absence (from–to, kind)',
    auth: staffGroups,
    params: StaffParams,
    body: CreateAbsenceBody,
    response: Absence.extend({
      affected: z.array(Engagement.extend({ startLocal: z.string().describe('local time in the team’s zone'), endLocal: z.string() })),
    }),
    successStatus: 201,
    errors: [400, 401, 404, 409, 413, 422],
    idempotent: true,
  }))();
export const updateAbsence = /* @__PURE__ */ (() =>
  route({
    id: 'updateAbsence',
    method: 'PATCH',
    path: '/staff/{staffId}/absences/{absenceId}',
    summary:
      'Change an absence in place (end it early, extend it) with the version read: what is now inside it, and the visits cancelled for it that can go back where they were',
    auth: staffGroups,
    params: AbsenceParams,
    body: UpdateAbsenceBody,
    response: Absence.extend({
      affected: z
        .array(Engagement.extend({ startLocal: z.string().describe('local time in the team’s zone'), endLocal: z.string() }))
        .describe('what is booked inside the absence as it is now: re-plan it with POST /weeks/{week}/replan'),
      restorable: z
        .array(
          z.object({
            visit: z.string(),
            version: z.number().int().min(1),
            family: z.string(),
            kind: z.string(),
            staff: z.array(z.string()),
            startLocal: z.string(),
            endLocal: z.string(),
          }),
        )
        .describe(
          'visits cancelled for the staff absence in the time it no longer covers, still free where they were: put them back with action restore in POST /weeks/{week}/replan/commit',
        ),
    }),
    successStatus: 200,
    errors: [400, 401, 404, 409, 413],
  }))();
export const deleteAbsence = /* @__PURE__ */ (() =>
  route({
    id: 'deleteAbsence',
    method: 'DELETE',
    path: '/staff/{staffId}/absences/{absenceId}',
    summary: 'Remove an absence',
    auth: staffGroups,
    params: AbsenceParams,
    successStatus: 204,
    errors: [400, 401, 404],
  }))();

export const createFamily = /* @__PURE__ */ (() =>
  route({
    id: 'createFamily',
    method: 'POST',
    path: '/families',
    summary: 'Register a referred family (pseudonymous code only)',
    auth: ['coordinator'],
    body: CreateFamilyBody,
    response: Family,
    successStatus: 201,
    errors: [400, 401, 403, 409, 413, 422],
    idempotent: true,
  }))();
export const listFamilies = /* @__PURE__ */ (() =>
  route({
    id: 'listFamilies',
    method: 'GET',
    path: '/families',
    summary: 'List families, filtered by status, place or therapist (a therapist sees only their own)',
    auth: staffGroups,
    query: FamilyListQuery,
    response: z.object({ families: z.array(Family) }),
    successStatus: 200,
    errors: [400, 401],
  }))();
export const getFamily = /* @__PURE__ */ (() =>
  route({
    id: 'getFamily',
    method: 'GET',
    path: '/families/{code}',
    summary: 'Read a family',
    auth: staffGroups,
    params: FamilyParams,
    response: Family,
    successStatus: 200,
    errors: [400, 401, 404],
  }))();
export const updateFamily = /* @__PURE__ */ (() =>
  route({
    id: 'updateFamily',
    method: 'PATCH',
    path: '/families/{code}',
    summary: 'Update a family',
    auth: ['coordinator'],
    params: FamilyParams,
    body: UpdateFamilyBody,
    response: Family,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413],
  }))();
export const transitionFamily = /* @__PURE__ */ (() =>
  route({
    id: 'transitionFamily',
    method: 'POST',
    path: '/families/{code}/status',
    summary: 'Move a family to its next status (referred → accepted → active → completed, or declined)',
    auth: ['coordinator'],
    params: FamilyParams,
    body: FamilyTransitionBody,
    response: Family,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413, 422],
    idempotent: true,
  }))();
export const familyAudit = /* @__PURE__ */ (() =>
  route({
    id: 'familyAudit',
    method: 'GET',
    path: '/families/{code}/audit',
    summary: 'Who changed a family, when, before and after',
    auth: ['coordinator'],
    params: FamilyParams,
    response: z.object({ entries: z.array(AuditEntry) }),
    successStatus: 200,
    errors: [400, 401, 403, 404],
  }))();

export const createVisit = /* @__PURE__ */ (() =>
  route({
    id: 'createVisit',
    method: 'POST',
    path: '/visits',
    summary: 'Book one visit by hand (staffed by the family’s pair according to its kind)',
    auth: staffGroups,
    body: CreateVisitBody,
    response: VisitWithWarnings,
    successStatus: 201,
    errors: [400, 401, 404, 409, 413, 422],
    idempotent: true,
  }))();
export const listVisits = /* @__PURE__ */ (() =>
  route({
    id: 'listVisits',
    method: 'GET',
    path: '/visits',
    summary: 'Visits by staff member and date range, by family, or by week',
    auth: staffGroups,
    query: VisitListQuery,
    response: z.object({ visits: z.array(ListedVisit) }),
    successStatus: 200,
    errors: [400, 401, 404],
  }))();
export const getVisit = /* @__PURE__ */ (() =>
  route({
    id: 'getVisit',
    method: 'GET',
    path: '/visits/{id}',
    summary: 'Read a visit',
    auth: staffGroups,
    params: VisitParams,
    response: Visit,
    successStatus: 200,
    errors: [400, 401, 404],
  }))();
export const visitAudit = /* @__PURE__ */ (() =>
  route({
    id: 'visitAudit',
    method: 'GET',
    path: '/visits/{id}/audit',
    summary: 'A visit’s history: who booked, moved, cancelled or recorded it, when, before and after',
    auth: ['coordinator'],
    params: VisitParams,
    response: z.object({ entries: z.array(AuditEntry) }),
    successStatus: 200,
    errors: [400, 401, 403, 404],
  }))();
export const moveVisit = /* @__PURE__ */ (() =>
  route({
    id: 'moveVisit',
    method: 'PATCH',
    path: '/visits/{id}',
    summary: 'Move a visit (new start and end, with the version read)',
    auth: staffGroups,
    params: VisitParams,
    body: MoveVisitBody,
    response: VisitWithWarnings,
    successStatus: 200,
    errors: [400, 401, 404, 409, 413],
  }))();
export const cancelVisit = /* @__PURE__ */ (() =>
  route({
    id: 'cancelVisit',
    method: 'POST',
    path: '/visits/{id}/cancel',
    summary: 'Cancel a visit: by family or team, with a reason category',
    auth: staffGroups,
    params: VisitParams,
    body: CancelVisitBody,
    response: Visit,
    successStatus: 200,
    errors: [400, 401, 404, 409, 413, 422],
    idempotent: true,
  }))();
export const recordVisitOutcome = /* @__PURE__ */ (() =>
  route({
    id: 'recordVisitOutcome',
    method: 'POST',
    path: '/visits/{id}/outcome',
    summary: 'Mark a visit done or no-show',
    auth: staffGroups,
    params: VisitParams,
    body: VisitOutcomeBody,
    response: Visit,
    successStatus: 200,
    errors: [400, 401, 404, 409, 413, 422],
    idempotent: true,
  }))();
export const visitAlternatives = /* @__PURE__ */ (() =>
  route({
    id: 'visitAlternatives',
    method: 'GET',
    path: '/visits/{id}/alternatives',
    summary: 'The best free slots for the same pair this week or next, ranked',
    auth: staffGroups,
    params: VisitParams,
    response: z.object({
      alternatives: z.array(Alternative),
      reason: z
        .string()
        .optional()
        .describe('When there are none: why, day by day (holiday, no window, absence, daily maximum, no common free time).'),
    }),
    successStatus: 200,
    errors: [400, 401, 404, 409],
  }))();
export const proposePlan = /* @__PURE__ */ (() =>
  route({
    id: 'proposePlan',
    method: 'POST',
    path: '/weeks/{week}/plan',
    summary:
      'Propose the week’s visits (books nothing); returns the problem built from stored data, the planner’s result, and what the week already has booked per family and what is left to place (a week already planned proposes nothing and says so)',
    auth: ['coordinator'],
    params: WeekParams,
    response: PlanProposal,
    successStatus: 200,
    errors: [400, 401, 403],
    solver: true,
  }))();
export const commitPlan = /* @__PURE__ */ (() =>
  route({
    id: 'commitPlan',
    method: 'POST',
    path: '/weeks/{week}/plan/commit',
    summary:
      'Book a planner proposal or a subset, all-or-nothing per family: the proposal exactly as POST /weeks/{week}/plan returned it (or its `result`, or {"visits": [...]}), `families` to choose some; nothing to book is a 400 that says why (e.g. the week is already planned)',
    auth: ['coordinator'],
    params: WeekParams,
    body: CommitPlanBody,
    response: CommitPlanOutcome,
    successStatus: 200,
    errors: [400, 401, 403, 409, 413, 422],
    idempotent: true,
  }))();

export const proposeReplan = /* @__PURE__ */ (() =>
  route({
    id: 'proposeReplan',
    method: 'POST',
    path: '/weeks/{week}/replan',
    summary:
      'Re-plan proposal after absences (books nothing): for each visit an absence knocks out, the four options (move it — also with one other visit of the family shifting, or into next Monday–Wednesday —, covered by the partner, covered by a colleague, cancel), the proposed one and why the better ones are not possible',
    auth: ['coordinator'],
    params: WeekParams,
    response: ReplanProposal,
    successStatus: 200,
    errors: [400, 401, 403],
  }))();
export const commitReplan = /* @__PURE__ */ (() =>
  route({
    id: 'commitReplan',
    method: 'POST',
    path: '/weeks/{week}/replan/commit',
    summary:
      'Commit re-plan decisions (move, partner, colleague, cancel, restore) in one transaction, each from the version the proposal read (409 and nothing changed if any changed or a new placement collides)',
    auth: ['coordinator'],
    params: WeekParams,
    body: CommitReplanBody,
    response: CommitReplanResponse,
    successStatus: 200,
    errors: [400, 401, 403, 409, 413, 422],
    idempotent: true,
  }))();

export const createMeeting = /* @__PURE__ */ (() =>
  route({
    id: 'createMeeting',
    method: 'POST',
    path: '/meetings',
    summary: 'Book a single meeting (on site with address, or online with a video link)',
    auth: ['coordinator'],
    body: CreateMeetingBody,
    response: Meeting,
    successStatus: 201,
    errors: [400, 401, 403, 409, 413, 422],
    idempotent: true,
  }))();
export const listMeetings = /* @__PURE__ */ (() =>
  route({
    id: 'listMeetings',
    method: 'GET',
    path: '/meetings',
    summary: 'A person’s or the team’s meetings in a date range, occurrences expanded',
    auth: staffGroups,
    query: MeetingListQuery,
    response: z.object({ meetings: z.array(Meeting) }),
    successStatus: 200,
    errors: [400, 401, 404],
  }))();
export const getMeeting = /* @__PURE__ */ (() =>
  route({
    id: 'getMeeting',
    method: 'GET',
    path: '/meetings/{id}',
    summary: 'Read a meeting',
    auth: staffGroups,
    params: MeetingParams,
    response: Meeting,
    successStatus: 200,
    errors: [400, 401, 404],
  }))();
export const updateMeeting = /* @__PURE__ */ (() =>
  route({
    id: 'updateMeeting',
    method: 'PATCH',
    path: '/meetings/{id}',
    summary: 'Move or change one meeting or occurrence (attendees are conflict-checked)',
    auth: ['coordinator'],
    params: MeetingParams,
    body: UpdateMeetingBody,
    response: Meeting,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413],
  }))();
export const cancelMeeting = /* @__PURE__ */ (() =>
  route({
    id: 'cancelMeeting',
    method: 'POST',
    path: '/meetings/{id}/cancel',
    summary: 'Cancel one meeting or occurrence',
    auth: ['coordinator'],
    params: MeetingParams,
    body: VersionBody,
    response: Meeting,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413, 422],
    idempotent: true,
  }))();
export const createSeries = /* @__PURE__ */ (() =>
  route({
    id: 'createSeries',
    method: 'POST',
    path: '/meeting-series',
    summary: 'Create a meeting series (every N weeks, or monthly by rule) and book 26 weeks of it',
    auth: ['coordinator'],
    body: CreateSeriesBody,
    response: SeriesOutcome,
    successStatus: 201,
    errors: [400, 401, 403, 409, 413, 422],
    idempotent: true,
  }))();
export const getSeries = /* @__PURE__ */ (() =>
  route({
    id: 'getSeries',
    method: 'GET',
    path: '/meeting-series/{id}',
    summary: 'Read a meeting series',
    auth: staffGroups,
    params: MeetingParams,
    response: MeetingSeries,
    successStatus: 200,
    errors: [400, 401, 404],
  }))();
export const changeSeries = /* @__PURE__ */ (() =>
  route({
    id: 'changeSeries',
    method: 'POST',
    path: '/meeting-series/{id}/change',
    summary: 'Change a series from one occurrence on',
    auth: ['coordinator'],
    params: MeetingParams,
    body: ChangeSeriesBody,
    response: SeriesOutcome,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413, 422],
    idempotent: true,
  }))();
export const handoverProposals = /* @__PURE__ */ (() =>
  route({
    id: 'handoverProposals',
    method: 'GET',
    path: '/handovers',
    summary: 'Families entering their last two weeks, with slots for a handover meeting',
    auth: ['coordinator'],
    query: HandoverQuery,
    response: z.object({ proposals: z.array(HandoverProposal) }),
    successStatus: 200,
    errors: [400, 401, 403],
  }))();

export const issueCalendarToken = /* @__PURE__ */ (() =>
  route({
    id: 'issueCalendarToken',
    method: 'POST',
    path: '/staff/{staffId}/calendar-token',
    summary:
      'Issue or rotate a private calendar-feed URL (shown once; the old URL stops working at once). Body {"scope":"team"} gives a coordinator the team feed',
    auth: staffGroups,
    params: StaffParams,
    body: CalendarTokenBody,
    response: IssuedCalendarToken,
    successStatus: 201,
    errors: [400, 401, 403, 404, 409, 413],
  }))();
export const revokeCalendarToken = /* @__PURE__ */ (() =>
  route({
    id: 'revokeCalendarToken',
    method: 'DELETE',
    path: '/staff/{staffId}/calendar-token',
    summary: 'Revoke a calendar-feed URL (?scope=team for the team feed)',
    auth: staffGroups,
    params: StaffParams,
    query: CalendarTokenQuery,
    successStatus: 204,
    errors: [400, 401, 403, 404, 409],
  }))();
// API Gateway HTTP APIs allow a path variable only as a whole segment, so `/calendar/{token}.ics` cannot be
// a route: the route is /calendar/{file} and the handler accepts only `<token>.ics` (anything else: 404).
export const calendarFeed = /* @__PURE__ */ (() =>
  route({
    id: 'calendarFeed',
    method: 'GET',
    path: '/calendar/{file}',
    summary:
      'A calendar feed (text/calendar) for /calendar/<token>.ics, no sign-in: the token is the key. ETag/If-None-Match → 304, Last-Modified/If-Modified-Since → 304 (If-None-Match takes precedence); HEAD answers the same without the body; an unknown, revoked or malformed token gets 404 with an empty body',
    auth: 'public',
    params: CalendarFileParams,
    successStatus: 200,
    errors: [],
    tableAccess: 'read',
    head: true,
    emptyStatuses: [304, 404],
    mediaType: 'text/calendar',
    throttle: { rateLimit: 10, burstLimit: 20 },
    publicReason:
      'GET /calendar/{file} is a subscribable calendar feed that phone calendars poll without sign-in: the 256-bit random token in the path is the credential, stored only as a hash, rotatable and revocable.',
  }))();

// Evaluation figures (§9, issue 11)
export const getFigures = /* @__PURE__ */ (() =>
  route({
    id: 'getFigures',
    method: 'GET',
    path: '/figures',
    summary: 'The team’s §9 evaluation figures for whole months from..to (?share=true suppresses small cells)',
    auth: ['coordinator'],
    query: FiguresQuery,
    response: FiguresResponse,
    successStatus: 200,
    errors: [400, 401, 403],
  }))();
export const getFiguresCsv = /* @__PURE__ */ (() =>
  route({
    id: 'getFiguresCsv',
    method: 'GET',
    path: '/figures/csv',
    summary: 'The same figures as CSV for Swedish Excel (UTF-8 with BOM, semicolons); ?share=true suppresses small cells',
    auth: ['coordinator'],
    query: FiguresQuery,
    successStatus: 200,
    mediaType: 'text/csv',
    errors: [400, 401, 403],
  }))();
export const getFiguresReport = /* @__PURE__ */ (() =>
  route({
    id: 'getFiguresReport',
    method: 'GET',
    path: '/figures/report',
    summary:
      'The same figures as a printable Swedish HTML report with inline SVG charts (A4, no scripts); ?share=true suppresses small cells at the team’s threshold, ?codes=true labels the per-case charts with case codes instead of A, B, C (not with share)',
    auth: ['coordinator'],
    query: FiguresQuery,
    successStatus: 200,
    mediaType: 'text/html',
    errors: [400, 401, 403],
  }))();
export const createInquiry = /* @__PURE__ */ (() =>
  route({
    id: 'createInquiry',
    method: 'POST',
    path: '/inquiries',
    summary: 'Log an inquiry or consultation that is not a case (categories only)',
    auth: ['coordinator'],
    body: CreateInquiryBody,
    response: Inquiry,
    successStatus: 201,
    errors: [400, 401, 403, 409, 413, 422],
    idempotent: true,
  }))();
export const listInquiries = /* @__PURE__ */ (() =>
  route({
    id: 'listInquiries',
    method: 'GET',
    path: '/inquiries',
    summary: 'Logged inquiries, optionally by date range',
    auth: ['coordinator'],
    query: InquiryListQuery,
    response: z.object({ inquiries: z.array(Inquiry) }),
    successStatus: 200,
    errors: [400, 401, 403],
  }))();
export const updateInquiry = /* @__PURE__ */ (() =>
  route({
    id: 'updateInquiry',
    method: 'PATCH',
    path: '/inquiries/{id}',
    summary: 'Correct a logged inquiry (with the version read)',
    auth: ['coordinator'],
    params: InquiryParams,
    body: UpdateInquiryBody,
    response: Inquiry,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413],
  }))();
export const deleteInquiry = /* @__PURE__ */ (() =>
  route({
    id: 'deleteInquiry',
    method: 'DELETE',
    path: '/inquiries/{id}',
    summary: 'Delete a logged inquiry (?version= the version read)',
    auth: ['coordinator'],
    params: InquiryParams,
    query: DeleteInquiryQuery,
    successStatus: 204,
    errors: [400, 401, 403, 404, 409],
  }))();
export const submitTally = /* @__PURE__ */ (() =>
  route({
    id: 'submitTally',
    method: 'POST',
    path: '/families/{code}/tally',
    summary: 'Submit the case’s referral concerns and diagnosis groups once, into the team’s de-linked yearly tally',
    auth: ['coordinator'],
    params: FamilyParams,
    body: TallyBody,
    response: Family,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413, 422],
    idempotent: true,
  }))();
export const correctCompletion = /* @__PURE__ */ (() =>
  route({
    id: 'correctCompletion',
    method: 'PUT',
    path: '/families/{code}/completion',
    summary: 'Correct a completed case’s end date, completion type or discharge outcomes',
    auth: ['coordinator'],
    params: FamilyParams,
    body: CompletionBody,
    response: Family,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413],
  }))();

// Network figures (§9, issue 11): participating teams side by side, always suppressed
export const setNetworkParticipation = /* @__PURE__ */ (() =>
  route({
    id: 'setNetworkParticipation',
    method: 'PUT',
    path: '/teams/{teamId}/network',
    summary: 'Opt the team in to or out of the network figures (with the team’s version read; audited)',
    auth: ['admin', 'coordinator'],
    params: TeamParams,
    body: NetworkParticipationBody,
    response: Team,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413],
  }))();
export const getNetworkFigures = /* @__PURE__ */ (() =>
  route({
    id: 'getNetworkFigures',
    method: 'GET',
    path: '/network/figures',
    summary:
      'The participating teams’ figures for whole months from..to, one row per team and a total, small cells always suppressed (coordinators of participating teams)',
    auth: ['coordinator'],
    query: NetworkFiguresQuery,
    response: NetworkFiguresResponse,
    successStatus: 200,
    errors: [400, 401, 403],
  }))();

// Retention and purge (§10, issue 12)
export const getRetention = /* @__PURE__ */ (() =>
  route({
    id: 'getRetention',
    method: 'GET',
    path: '/teams/{teamId}/retention',
    summary: 'The team’s retention settings (the defaults at version 0 until changed)',
    auth: ['admin', 'coordinator'],
    params: RetentionParams,
    response: TeamRetention,
    successStatus: 200,
    errors: [400, 401, 403, 404],
  }))();
export const updateRetention = /* @__PURE__ */ (() =>
  route({
    id: 'updateRetention',
    method: 'PUT',
    path: '/teams/{teamId}/retention',
    summary: 'Change the team’s retention settings (with the version read; audited)',
    auth: ['admin', 'coordinator'],
    params: RetentionParams,
    body: UpdateRetentionBody,
    response: TeamRetention,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413],
  }))();
export const previewPurge = /* @__PURE__ */ (() =>
  route({
    id: 'previewPurge',
    method: 'GET',
    path: '/teams/{teamId}/retention/preview',
    summary: 'What the purge removes and when (?asOf=YYYY-MM-DD; default today); case codes only for the team’s coordinator',
    auth: ['admin', 'coordinator'],
    params: RetentionParams,
    query: PurgePreviewQuery,
    response: PurgePreview,
    successStatus: 200,
    errors: [400, 401, 403, 404],
  }))();
export const listPurgeReceipts = /* @__PURE__ */ (() =>
  route({
    id: 'listPurgeReceipts',
    method: 'GET',
    path: '/teams/{teamId}/retention/receipts',
    summary: 'Receipts of purges and erasures: when, by whom or which job, how many items of each kind (no personal data)',
    auth: ['admin', 'coordinator'],
    params: RetentionParams,
    response: z.object({ receipts: z.array(PurgeReceipt) }),
    successStatus: 200,
    errors: [400, 401, 403, 404],
  }))();
export const eraseFamily = /* @__PURE__ */ (() =>
  route({
    id: 'eraseFamily',
    method: 'POST',
    path: '/families/{code}/erase',
    summary:
      'Erase one case now (GDPR art. 17, or registered by mistake), confirmed with its version; figures "fold" keeps its contribution to the figures, "discard" removes it',
    auth: ['coordinator'],
    params: FamilyParams,
    body: EraseFamilyBody,
    response: PurgeReceipt,
    successStatus: 200,
    errors: [400, 401, 403, 404, 409, 413, 422],
    idempotent: true,
  }))();

export const listReminders = /* @__PURE__ */ (() =>
  route({
    id: 'listReminders',
    method: 'GET',
    path: '/reminders',
    summary: 'Reminders by delivery status: failed ones need the coordinator’s attention',
    auth: ['coordinator'],
    query: ReminderListQuery,
    response: z.object({ reminders: z.array(Reminder.omit({ email: true, attendeeName: true })) }),
    successStatus: 200,
    errors: [400, 401, 403],
  }))();

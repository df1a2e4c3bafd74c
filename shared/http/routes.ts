import { z } from 'zod';
import { IsoWeek } from '../schemas/common.js';
import {
  AuditEntry,
  CreateFamilyBody,
  Family,
  FamilyListQuery,
  FamilyParams,
  FamilyTransitionBody,
  UpdateFamilyBody,
} from '../schemas/family.js';
import {
  Absence,
  AbsenceParams,
  CreateAbsenceBody,
  CreateStaffBody,
  Staff,
  StaffParams,
  UpdateStaffBody,
  VersionBody,
} from '../schemas/staff.js';
import { ChangeSeriesBody, CreateMeetingBody, CreateSeriesBody, HandoverProposal, HandoverQuery, Meeting, MeetingListQuery, MeetingParams, MeetingSeries, SeriesOutcome, UpdateMeetingBody } from '../schemas/meeting.js';
import { Engagement } from '../schemas/engagement.js';
import { PlanningProblem, PlanningResult } from '../schemas/planning.js';
import { CommitReplanBody, CommitReplanResponse, ReplanProposal } from '../schemas/replan.js';
import { Reminder, ReminderListQuery } from '../schemas/reminder.js';
import { CreateTeamBody, Team, TeamParams, UpdateTeamBody } from '../schemas/team.js';
import { Alternative, CancelVisitBody, CommitPlanBody, CreateVisitBody, MoveVisitBody, Visit, VisitListQuery, VisitOutcomeBody, VisitParams, VisitWithWarnings } from '../schemas/visit.js';
import { CalendarFileParams, CalendarTokenBody, CalendarTokenQuery, IssuedCalendarToken } from '../schemas/calendar.js';
import { FiguresQuery, FiguresResponse } from '../schemas/figures.js';
import { CreateInquiryBody, DeleteInquiryQuery, Inquiry, InquiryListQuery, InquiryParams, UpdateInquiryBody } from '../schemas/inquiry.js';
import { CompletionBody, TallyBody } from '../schemas/family.js';
import { NetworkFiguresQuery, NetworkFiguresResponse, NetworkParticipationBody } from '../schemas/network.js';
import { EraseFamilyBody, PurgePreview, PurgePreviewQuery, PurgeReceipt, RetentionParams, TeamRetention, UpdateRetentionBody } from '../schemas/retention.js';
import type { Group } from './principal.js';

/** One route of the HTTP API: the single source for the Lambda wiring, the local server and the OpenAPI document. */
export interface RouteDef {
  /** Also names the handler file: functions/<kebab-case id>.ts. */
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  summary: string;
  /** 'public' needs no sign-in; otherwise the groups allowed to call at all (finer checks live in the use case). */
  auth: 'public' | readonly Group[];
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  successStatus: 200 | 201 | 204;
  /** Error statuses the route can answer with, for the OpenAPI document (401, 403, 429 and 500 are added by kind: see statusesOf). */
  errors: readonly number[];
  /**
   * The route honours an `Idempotency-Key` header (issue 10 §3): the same key and body from the same caller within
   * 24 h gets the first answer again and changes nothing; another body with that key is a 422.
   */
  idempotent?: true;
  /** Statuses this route answers with an empty body (e.g. the calendar feed's 304 and 404). */
  emptyStatuses?: readonly number[];
  /** The success body's media type when it is not JSON (the body is then text, not `response`). */
  mediaType?: 'text/calendar' | 'text/csv' | 'text/html';
  /** What the route's function may do with the table, when the default (public: none; GET: read; else readWrite) is wrong. */
  tableAccess?: 'none' | 'read' | 'readWrite';
  /** A per-route throttle below the stage default (requests per second and burst), for public routes worth guarding. */
  throttle?: { rateLimit: number; burstLimit: number };
  /** Why a public route may go without sign-in (the cdk-nag APIG4 acknowledgment). */
  publicReason?: string;
  /** A GET route that also answers HEAD (same function, same headers, no body): its own API Gateway route `HEAD <path>`. */
  head?: true;
}

/** The methods a route answers: its own, plus HEAD for a GET route that has `head`. */
export const methodsOf = (route: RouteDef): readonly (RouteDef['method'] | 'HEAD')[] => (route.head && route.method === 'GET' ? [route.method, 'HEAD'] : [route.method]);

export const WeekParams = z.object({ week: IsoWeek });

const route = <const R extends RouteDef>(r: R): R => r;
const staffGroups = ['coordinator', 'therapist'] as const;

export const routes = {
  health: route({ id: 'health', method: 'GET', path: '/health', summary: 'Liveness and version', auth: 'public', response: z.object({ status: z.literal('ok'), version: z.string() }), successStatus: 200, errors: [] }),
  ready: route({ id: 'ready', method: 'GET', path: '/ready', summary: 'Readiness: 200 when the data store answers, 503 when it does not (for an operator or a load balancer)', auth: 'public', response: z.object({ status: z.literal('ready') }), successStatus: 200, errors: [503], tableAccess: 'read', publicReason: 'GET /ready is public by design: a load balancer probes it; it reads one key that never exists and returns no team data.' }),
  openapi: route({ id: 'openapi', method: 'GET', path: '/openapi.json', summary: 'This API as an OpenAPI 3.1 document', auth: 'public', response: z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }), successStatus: 200, errors: [] }),

  createTeam: route({ id: 'createTeam', method: 'POST', path: '/teams', summary: 'Create a team (tenant)', auth: ['admin'], body: CreateTeamBody, response: Team, successStatus: 201, errors: [400, 401, 403, 409, 413, 422], idempotent: true }),
  listTeams: route({ id: 'listTeams', method: 'GET', path: '/teams', summary: 'List all teams', auth: ['admin'], response: z.object({ teams: z.array(Team) }), successStatus: 200, errors: [401, 403] }),
  getTeam: route({ id: 'getTeam', method: 'GET', path: '/teams/{teamId}', summary: 'Read a team (admin, or a member of it)', auth: ['admin', 'coordinator', 'therapist'], params: TeamParams, response: Team, successStatus: 200, errors: [400, 401, 404] }),
  updateTeam: route({ id: 'updateTeam', method: 'PATCH', path: '/teams/{teamId}', summary: 'Update a team', auth: ['admin'], params: TeamParams, body: UpdateTeamBody, response: Team, successStatus: 200, errors: [400, 401, 403, 404, 409, 413] }),

  createStaff: route({ id: 'createStaff', method: 'POST', path: '/staff', summary: 'Add a staff member to the caller’s team', auth: ['coordinator'], body: CreateStaffBody, response: Staff, successStatus: 201, errors: [400, 401, 403, 409, 413, 422], idempotent: true }),
  listStaff: route({ id: 'listStaff', method: 'GET', path: '/staff', summary: 'List the team’s staff (a therapist sees only their own record)', auth: staffGroups, response: z.object({ staff: z.array(Staff) }), successStatus: 200, errors: [401, 403] }),
  getStaff: route({ id: 'getStaff', method: 'GET', path: '/staff/{staffId}', summary: 'Read a staff member', auth: staffGroups, params: StaffParams, response: Staff, successStatus: 200, errors: [400, 401, 404] }),
  updateStaff: route({ id: 'updateStaff', method: 'PATCH', path: '/staff/{staffId}', summary: 'Update a staff member', auth: ['coordinator'], params: StaffParams, body: UpdateStaffBody, response: Staff, successStatus: 200, errors: [400, 401, 403, 404, 409, 413] }),
  deactivateStaff: route({ id: 'deactivateStaff', method: 'POST', path: '/staff/{staffId}/deactivate', summary: 'Deactivate a staff member', auth: ['coordinator'], params: StaffParams, body: VersionBody, response: Staff, successStatus: 200, errors: [400, 401, 403, 404, 409, 413, 422], idempotent: true }),
  listAbsences: route({ id: 'listAbsences', method: 'GET', path: '/staff/{staffId}/absences', summary: 'A staff member’s absences', auth: staffGroups, params: StaffParams, response: z.object({ absences: z.array(Absence) }), successStatus: 200, errors: [400, 401, 404] }),
  createAbsence: route({ id: 'createAbsence', method: 'POST', path: '/staff/{staffId}/absences', summary: 'Record an absence (from–to, kind)', auth: staffGroups, params: StaffParams, body: CreateAbsenceBody, response: Absence.extend({ affected: z.array(Engagement.extend({ startLocal: z.string().describe('local time in the team’s zone'), endLocal: z.string() })) }), successStatus: 201, errors: [400, 401, 404, 409, 413, 422], idempotent: true }),
  deleteAbsence: route({ id: 'deleteAbsence', method: 'DELETE', path: '/staff/{staffId}/absences/{absenceId}', summary: 'Remove an absence', auth: staffGroups, params: AbsenceParams, successStatus: 204, errors: [400, 401, 404] }),

  createFamily: route({ id: 'createFamily', method: 'POST', path: '/families', summary: 'Register a referred family (pseudonymous code only)', auth: ['coordinator'], body: CreateFamilyBody, response: Family, successStatus: 201, errors: [400, 401, 403, 409, 413, 422], idempotent: true }),
  listFamilies: route({ id: 'listFamilies', method: 'GET', path: '/families', summary: 'List families, filtered by status, place or therapist (a therapist sees only their own)', auth: staffGroups, query: FamilyListQuery, response: z.object({ families: z.array(Family) }), successStatus: 200, errors: [400, 401] }),
  getFamily: route({ id: 'getFamily', method: 'GET', path: '/families/{code}', summary: 'Read a family', auth: staffGroups, params: FamilyParams, response: Family, successStatus: 200, errors: [400, 401, 404] }),
  updateFamily: route({ id: 'updateFamily', method: 'PATCH', path: '/families/{code}', summary: 'Update a family', auth: ['coordinator'], params: FamilyParams, body: UpdateFamilyBody, response: Family, successStatus: 200, errors: [400, 401, 403, 404, 409, 413] }),
  transitionFamily: route({ id: 'transitionFamily', method: 'POST', path: '/families/{code}/status', summary: 'Move a family to its next status (referred → accepted → active → completed, or declined)', auth: ['coordinator'], params: FamilyParams, body: FamilyTransitionBody, response: Family, successStatus: 200, errors: [400, 401, 403, 404, 409, 413, 422], idempotent: true }),
  familyAudit: route({ id: 'familyAudit', method: 'GET', path: '/families/{code}/audit', summary: 'Who changed a family, when, before and after', auth: ['coordinator'], params: FamilyParams, response: z.object({ entries: z.array(AuditEntry) }), successStatus: 200, errors: [400, 401, 403, 404] }),

  createVisit: route({ id: 'createVisit', method: 'POST', path: '/visits', summary: 'Book one visit by hand (staffed by the family’s pair according to its kind)', auth: staffGroups, body: CreateVisitBody, response: VisitWithWarnings, successStatus: 201, errors: [400, 401, 404, 409, 413, 422], idempotent: true }),
  listVisits: route({ id: 'listVisits', method: 'GET', path: '/visits', summary: 'Visits by staff member and date range, by family, or by week', auth: staffGroups, query: VisitListQuery, response: z.object({ visits: z.array(Visit) }), successStatus: 200, errors: [400, 401, 404] }),
  getVisit: route({ id: 'getVisit', method: 'GET', path: '/visits/{id}', summary: 'Read a visit', auth: staffGroups, params: VisitParams, response: Visit, successStatus: 200, errors: [400, 401, 404] }),
  moveVisit: route({ id: 'moveVisit', method: 'PATCH', path: '/visits/{id}', summary: 'Move a visit (new start and end, with the version read)', auth: staffGroups, params: VisitParams, body: MoveVisitBody, response: VisitWithWarnings, successStatus: 200, errors: [400, 401, 404, 409, 413] }),
  cancelVisit: route({ id: 'cancelVisit', method: 'POST', path: '/visits/{id}/cancel', summary: 'Cancel a visit: by family or team, with a reason category', auth: staffGroups, params: VisitParams, body: CancelVisitBody, response: Visit, successStatus: 200, errors: [400, 401, 404, 409, 413, 422], idempotent: true }),
  recordVisitOutcome: route({ id: 'recordVisitOutcome', method: 'POST', path: '/visits/{id}/outcome', summary: 'Mark a visit done or no-show', auth: staffGroups, params: VisitParams, body: VisitOutcomeBody, response: Visit, successStatus: 200, errors: [400, 401, 404, 409, 413, 422], idempotent: true }),
  visitAlternatives: route({ id: 'visitAlternatives', method: 'GET', path: '/visits/{id}/alternatives', summary: 'The best free slots for the same pair this week or next, ranked', auth: staffGroups, params: VisitParams, response: z.object({ alternatives: z.array(Alternative), reason: z.string().optional().describe('When there are none: why, day by day (holiday, no window, absence, daily maximum, no common free time).') }), successStatus: 200, errors: [400, 401, 404, 409] }),
  proposePlan: route({ id: 'proposePlan', method: 'POST', path: '/weeks/{week}/plan', summary: 'Propose the week’s visits (books nothing); returns the problem built from stored data and the planner’s result', auth: ['coordinator'], params: WeekParams, response: z.object({ problem: PlanningProblem, result: PlanningResult, plannedFrom: z.string().optional().describe('In the current week: the local time planning starts from (what has passed is not planned). A week that has passed is a 400.') }), successStatus: 200, errors: [400, 401, 403] }),
  commitPlan: route({ id: 'commitPlan', method: 'POST', path: '/weeks/{week}/plan/commit', summary: 'Book a planner proposal or a subset: all-or-nothing per family', auth: ['coordinator'], params: WeekParams, body: CommitPlanBody, response: z.object({ booked: z.array(z.object({ family: z.string(), visits: z.array(Visit) })), collided: z.array(z.object({ family: z.string(), reason: z.string() })) }), successStatus: 200, errors: [400, 401, 403, 409, 413, 422], idempotent: true }),

  proposeReplan: route({ id: 'proposeReplan', method: 'POST', path: '/weeks/{week}/replan', summary: 'Repair proposal after absences (books nothing): the visits an absence knocks out, where each can go instead (same staff, §4 rules, every other visit kept where it is), and why the rest cannot', auth: ['coordinator'], params: WeekParams, response: ReplanProposal, successStatus: 200, errors: [400, 401, 403] }),
  commitReplan: route({ id: 'commitReplan', method: 'POST', path: '/weeks/{week}/replan/commit', summary: 'Move visits as a repair proposal says, in one transaction, each from the version the proposal read (409 and nothing moved if any changed)', auth: ['coordinator'], params: WeekParams, body: CommitReplanBody, response: CommitReplanResponse, successStatus: 200, errors: [400, 401, 403, 409, 413, 422], idempotent: true }),

  createMeeting: route({ id: 'createMeeting', method: 'POST', path: '/meetings', summary: 'Book a single meeting (on site with address, or online with a video link)', auth: ['coordinator'], body: CreateMeetingBody, response: Meeting, successStatus: 201, errors: [400, 401, 403, 409, 413, 422], idempotent: true }),
  listMeetings: route({ id: 'listMeetings', method: 'GET', path: '/meetings', summary: 'A person’s or the team’s meetings in a date range, occurrences expanded', auth: staffGroups, query: MeetingListQuery, response: z.object({ meetings: z.array(Meeting) }), successStatus: 200, errors: [400, 401, 404] }),
  getMeeting: route({ id: 'getMeeting', method: 'GET', path: '/meetings/{id}', summary: 'Read a meeting', auth: staffGroups, params: MeetingParams, response: Meeting, successStatus: 200, errors: [400, 401, 404] }),
  updateMeeting: route({ id: 'updateMeeting', method: 'PATCH', path: '/meetings/{id}', summary: 'Move or change one meeting or occurrence (attendees are conflict-checked)', auth: ['coordinator'], params: MeetingParams, body: UpdateMeetingBody, response: Meeting, successStatus: 200, errors: [400, 401, 403, 404, 409, 413] }),
  cancelMeeting: route({ id: 'cancelMeeting', method: 'POST', path: '/meetings/{id}/cancel', summary: 'Cancel one meeting or occurrence', auth: ['coordinator'], params: MeetingParams, body: VersionBody, response: Meeting, successStatus: 200, errors: [400, 401, 403, 404, 409, 413, 422], idempotent: true }),
  createSeries: route({ id: 'createSeries', method: 'POST', path: '/meeting-series', summary: 'Create a meeting series (every N weeks, or monthly by rule) and book 26 weeks of it', auth: ['coordinator'], body: CreateSeriesBody, response: SeriesOutcome, successStatus: 201, errors: [400, 401, 403, 409, 413, 422], idempotent: true }),
  getSeries: route({ id: 'getSeries', method: 'GET', path: '/meeting-series/{id}', summary: 'Read a meeting series', auth: staffGroups, params: MeetingParams, response: MeetingSeries, successStatus: 200, errors: [400, 401, 404] }),
  changeSeries: route({ id: 'changeSeries', method: 'POST', path: '/meeting-series/{id}/change', summary: 'Change a series from one occurrence on', auth: ['coordinator'], params: MeetingParams, body: ChangeSeriesBody, response: SeriesOutcome, successStatus: 200, errors: [400, 401, 403, 404, 409, 413, 422], idempotent: true }),
  handoverProposals: route({ id: 'handoverProposals', method: 'GET', path: '/handovers', summary: 'Families entering their last two weeks, with slots for a handover meeting', auth: ['coordinator'], query: HandoverQuery, response: z.object({ proposals: z.array(HandoverProposal) }), successStatus: 200, errors: [400, 401, 403] }),

  issueCalendarToken: route({ id: 'issueCalendarToken', method: 'POST', path: '/staff/{staffId}/calendar-token', summary: 'Issue or rotate a private calendar-feed URL (shown once; the old URL stops working at once). Body {"scope":"team"} gives a coordinator the team feed', auth: staffGroups, params: StaffParams, body: CalendarTokenBody, response: IssuedCalendarToken, successStatus: 201, errors: [400, 401, 403, 404, 409, 413] }),
  revokeCalendarToken: route({ id: 'revokeCalendarToken', method: 'DELETE', path: '/staff/{staffId}/calendar-token', summary: 'Revoke a calendar-feed URL (?scope=team for the team feed)', auth: staffGroups, params: StaffParams, query: CalendarTokenQuery, successStatus: 204, errors: [400, 401, 403, 404, 409] }),
  // API Gateway HTTP APIs allow a path variable only as a whole segment, so `/calendar/{token}.ics` cannot be
  // a route: the route is /calendar/{file} and the handler accepts only `<token>.ics` (anything else: 404).
  calendarFeed: route({ id: 'calendarFeed', method: 'GET', path: '/calendar/{file}', summary: 'A calendar feed (text/calendar) for /calendar/<token>.ics, no sign-in: the token is the key. ETag/If-None-Match → 304, Last-Modified/If-Modified-Since → 304 (If-None-Match takes precedence); HEAD answers the same without the body; an unknown, revoked or malformed token gets 404 with an empty body', auth: 'public', params: CalendarFileParams, successStatus: 200, errors: [], tableAccess: 'read', head: true, emptyStatuses: [304, 404], mediaType: 'text/calendar', throttle: { rateLimit: 10, burstLimit: 20 }, publicReason: 'GET /calendar/{file} is a subscribable calendar feed that phone calendars poll without sign-in: the 256-bit random token in the path is the credential, stored only as a hash, rotatable and revocable.' }),

  // Evaluation figures (§9, issue 11)
  getFigures: route({ id: 'getFigures', method: 'GET', path: '/figures', summary: 'The team’s §9 evaluation figures for whole months from..to (?share=true suppresses small cells)', auth: ['coordinator'], query: FiguresQuery, response: FiguresResponse, successStatus: 200, errors: [400, 401, 403] }),
  getFiguresCsv: route({ id: 'getFiguresCsv', method: 'GET', path: '/figures/csv', summary: 'The same figures as CSV for Swedish Excel (UTF-8 with BOM, semicolons); ?share=true suppresses small cells', auth: ['coordinator'], query: FiguresQuery, successStatus: 200, mediaType: 'text/csv', errors: [400, 401, 403] }),
  getFiguresReport: route({ id: 'getFiguresReport', method: 'GET', path: '/figures/report', summary: 'The same figures as a printable Swedish HTML report with inline SVG charts (A4, no scripts); ?share=true suppresses small cells at the team’s threshold, ?codes=true labels the per-case charts with case codes instead of A, B, C (not with share)', auth: ['coordinator'], query: FiguresQuery, successStatus: 200, mediaType: 'text/html', errors: [400, 401, 403] }),
  createInquiry: route({ id: 'createInquiry', method: 'POST', path: '/inquiries', summary: 'Log an inquiry or consultation that is not a case (categories only)', auth: ['coordinator'], body: CreateInquiryBody, response: Inquiry, successStatus: 201, errors: [400, 401, 403, 409, 413, 422], idempotent: true }),
  listInquiries: route({ id: 'listInquiries', method: 'GET', path: '/inquiries', summary: 'Logged inquiries, optionally by date range', auth: ['coordinator'], query: InquiryListQuery, response: z.object({ inquiries: z.array(Inquiry) }), successStatus: 200, errors: [400, 401, 403] }),
  updateInquiry: route({ id: 'updateInquiry', method: 'PATCH', path: '/inquiries/{id}', summary: 'Correct a logged inquiry (with the version read)', auth: ['coordinator'], params: InquiryParams, body: UpdateInquiryBody, response: Inquiry, successStatus: 200, errors: [400, 401, 403, 404, 409, 413] }),
  deleteInquiry: route({ id: 'deleteInquiry', method: 'DELETE', path: '/inquiries/{id}', summary: 'Delete a logged inquiry (?version= the version read)', auth: ['coordinator'], params: InquiryParams, query: DeleteInquiryQuery, successStatus: 204, errors: [400, 401, 403, 404, 409] }),
  submitTally: route({ id: 'submitTally', method: 'POST', path: '/families/{code}/tally', summary: 'Submit the case’s referral concerns and diagnosis groups once, into the team’s de-linked yearly tally', auth: ['coordinator'], params: FamilyParams, body: TallyBody, response: Family, successStatus: 200, errors: [400, 401, 403, 404, 409, 413, 422], idempotent: true }),
  correctCompletion: route({ id: 'correctCompletion', method: 'PUT', path: '/families/{code}/completion', summary: 'Correct a completed case’s end date, completion type or discharge outcomes', auth: ['coordinator'], params: FamilyParams, body: CompletionBody, response: Family, successStatus: 200, errors: [400, 401, 403, 404, 409, 413] }),

  // Network figures (§9, issue 11): participating teams side by side, always suppressed
  setNetworkParticipation: route({ id: 'setNetworkParticipation', method: 'PUT', path: '/teams/{teamId}/network', summary: 'Opt the team in to or out of the network figures (with the team’s version read; audited)', auth: ['admin', 'coordinator'], params: TeamParams, body: NetworkParticipationBody, response: Team, successStatus: 200, errors: [400, 401, 403, 404, 409, 413] }),
  getNetworkFigures: route({ id: 'getNetworkFigures', method: 'GET', path: '/network/figures', summary: 'The participating teams’ figures for whole months from..to, one row per team and a total, small cells always suppressed (coordinators of participating teams)', auth: ['coordinator'], query: NetworkFiguresQuery, response: NetworkFiguresResponse, successStatus: 200, errors: [400, 401, 403] }),

  // Retention and purge (§10, issue 12)
  getRetention: route({ id: 'getRetention', method: 'GET', path: '/teams/{teamId}/retention', summary: 'The team’s retention settings (the defaults at version 0 until changed)', auth: ['admin', 'coordinator'], params: RetentionParams, response: TeamRetention, successStatus: 200, errors: [400, 401, 403, 404] }),
  updateRetention: route({ id: 'updateRetention', method: 'PUT', path: '/teams/{teamId}/retention', summary: 'Change the team’s retention settings (with the version read; audited)', auth: ['admin', 'coordinator'], params: RetentionParams, body: UpdateRetentionBody, response: TeamRetention, successStatus: 200, errors: [400, 401, 403, 404, 409, 413] }),
  previewPurge: route({ id: 'previewPurge', method: 'GET', path: '/teams/{teamId}/retention/preview', summary: 'What the purge removes and when (?asOf=YYYY-MM-DD; default today); case codes only for the team’s coordinator', auth: ['admin', 'coordinator'], params: RetentionParams, query: PurgePreviewQuery, response: PurgePreview, successStatus: 200, errors: [400, 401, 403, 404] }),
  listPurgeReceipts: route({ id: 'listPurgeReceipts', method: 'GET', path: '/teams/{teamId}/retention/receipts', summary: 'Receipts of purges and erasures: when, by whom or which job, how many items of each kind (no personal data)', auth: ['admin', 'coordinator'], params: RetentionParams, response: z.object({ receipts: z.array(PurgeReceipt) }), successStatus: 200, errors: [400, 401, 403, 404] }),
  eraseFamily: route({ id: 'eraseFamily', method: 'POST', path: '/families/{code}/erase', summary: 'Erase one case now (GDPR art. 17, or registered by mistake), confirmed with its version; figures "fold" keeps its contribution to the figures, "discard" removes it', auth: ['coordinator'], params: FamilyParams, body: EraseFamilyBody, response: PurgeReceipt, successStatus: 200, errors: [400, 401, 403, 404, 409, 413, 422], idempotent: true }),

  listReminders: route({ id: 'listReminders', method: 'GET', path: '/reminders', summary: 'Reminders by delivery status: failed ones need the coordinator’s attention', auth: ['coordinator'], query: ReminderListQuery, response: z.object({ reminders: z.array(Reminder.omit({ email: true, attendeeName: true })) }), successStatus: 200, errors: [400, 401, 403] }),
} as const satisfies Record<string, RouteDef>;

export type RouteId = keyof typeof routes;
export const allRoutes: readonly RouteDef[] = Object.values(routes);

/** functions/<file>.ts for a route id: createFamily → create-family. */
export const handlerFileOf = (id: string): string => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);


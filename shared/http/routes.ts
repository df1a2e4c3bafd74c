import type * as z from 'zod';
import type { Group } from '../domain/principal.js';
import * as defs from './route-defs.js';

export { WeekParams } from './route-defs.js';

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

/** The whole table, in the order of the API's sections (the OpenAPI document and the stacks list routes in it). */
export const routes = {
  health: defs.health,
  ready: defs.ready,
  openapi: defs.openapi,
  createTeam: defs.createTeam,
  listTeams: defs.listTeams,
  getTeam: defs.getTeam,
  updateTeam: defs.updateTeam,
  createStaff: defs.createStaff,
  listStaff: defs.listStaff,
  getStaff: defs.getStaff,
  updateStaff: defs.updateStaff,
  deactivateStaff: defs.deactivateStaff,
  listAbsences: defs.listAbsences,
  createAbsence: defs.createAbsence,
  deleteAbsence: defs.deleteAbsence,
  updateAbsence: defs.updateAbsence,
  createFamily: defs.createFamily,
  listFamilies: defs.listFamilies,
  getFamily: defs.getFamily,
  updateFamily: defs.updateFamily,
  transitionFamily: defs.transitionFamily,
  familyAudit: defs.familyAudit,
  visitAudit: defs.visitAudit,
  createVisit: defs.createVisit,
  listVisits: defs.listVisits,
  getVisit: defs.getVisit,
  moveVisit: defs.moveVisit,
  cancelVisit: defs.cancelVisit,
  recordVisitOutcome: defs.recordVisitOutcome,
  visitAlternatives: defs.visitAlternatives,
  proposePlan: defs.proposePlan,
  commitPlan: defs.commitPlan,
  proposeReplan: defs.proposeReplan,
  commitReplan: defs.commitReplan,
  createMeeting: defs.createMeeting,
  listMeetings: defs.listMeetings,
  getMeeting: defs.getMeeting,
  updateMeeting: defs.updateMeeting,
  cancelMeeting: defs.cancelMeeting,
  createSeries: defs.createSeries,
  getSeries: defs.getSeries,
  changeSeries: defs.changeSeries,
  handoverProposals: defs.handoverProposals,
  issueCalendarToken: defs.issueCalendarToken,
  revokeCalendarToken: defs.revokeCalendarToken,
  calendarFeed: defs.calendarFeed,
  getFigures: defs.getFigures,
  getFiguresCsv: defs.getFiguresCsv,
  getFiguresReport: defs.getFiguresReport,
  createInquiry: defs.createInquiry,
  listInquiries: defs.listInquiries,
  updateInquiry: defs.updateInquiry,
  deleteInquiry: defs.deleteInquiry,
  submitTally: defs.submitTally,
  correctCompletion: defs.correctCompletion,
  setNetworkParticipation: defs.setNetworkParticipation,
  getNetworkFigures: defs.getNetworkFigures,
  getRetention: defs.getRetention,
  updateRetention: defs.updateRetention,
  previewPurge: defs.previewPurge,
  listPurgeReceipts: defs.listPurgeReceipts,
  eraseFamily: defs.eraseFamily,
  listReminders: defs.listReminders,
} as const satisfies Record<string, RouteDef>;

export type RouteId = keyof typeof routes;
export const allRoutes: readonly RouteDef[] = Object.values(routes);

/** functions/<file>.ts for a route id: createFamily → create-family. */
export const handlerFileOf = (id: string): string => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);


import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../shared/http/handler.js';
import type { RouteId } from '../../shared/http/routes.js';
import * as createAbsence from '../../functions/create-absence.js';
import * as createFamily from '../../functions/create-family.js';
import * as createStaff from '../../functions/create-staff.js';
import * as createTeam from '../../functions/create-team.js';
import * as deactivateStaff from '../../functions/deactivate-staff.js';
import * as deleteAbsence from '../../functions/delete-absence.js';
import * as updateAbsence from '../../functions/update-absence.js';
import * as familyAudit from '../../functions/family-audit.js';
import * as visitAudit from '../../functions/visit-audit.js';
import * as getFamily from '../../functions/get-family.js';
import * as getStaff from '../../functions/get-staff.js';
import * as getTeam from '../../functions/get-team.js';
import * as health from '../../functions/health.js';
import * as ready from '../../functions/ready.js';
import * as listAbsences from '../../functions/list-absences.js';
import * as listFamilies from '../../functions/list-families.js';
import * as listStaff from '../../functions/list-staff.js';
import * as listTeams from '../../functions/list-teams.js';
import * as openapi from '../../functions/openapi.js';
import * as transitionFamily from '../../functions/transition-family.js';
import * as updateFamily from '../../functions/update-family.js';
import * as updateStaff from '../../functions/update-staff.js';
import * as updateTeam from '../../functions/update-team.js';
import * as proposePlan from '../../functions/propose-plan.js';
import * as proposeReplan from '../../functions/propose-replan.js';
import * as commitReplan from '../../functions/commit-replan.js';
import * as listReminders from '../../functions/list-reminders.js';
import * as createMeeting from '../../functions/create-meeting.js';
import * as listMeetings from '../../functions/list-meetings.js';
import * as getMeeting from '../../functions/get-meeting.js';
import * as updateMeeting from '../../functions/update-meeting.js';
import * as cancelMeeting from '../../functions/cancel-meeting.js';
import * as createSeries from '../../functions/create-series.js';
import * as getSeries from '../../functions/get-series.js';
import * as changeSeries from '../../functions/change-series.js';
import * as handoverProposals from '../../functions/handover-proposals.js';
import * as createVisit from '../../functions/create-visit.js';
import * as listVisits from '../../functions/list-visits.js';
import * as getVisit from '../../functions/get-visit.js';
import * as moveVisit from '../../functions/move-visit.js';
import * as cancelVisit from '../../functions/cancel-visit.js';
import * as recordVisitOutcome from '../../functions/record-visit-outcome.js';
import * as visitAlternatives from '../../functions/visit-alternatives.js';
import * as commitPlan from '../../functions/commit-plan.js';
import * as issueCalendarToken from '../../functions/issue-calendar-token.js';
import * as revokeCalendarToken from '../../functions/revoke-calendar-token.js';
import * as calendarFeed from '../../functions/calendar-feed.js';
import * as getFigures from '../../functions/get-figures.js';
import * as getFiguresCsv from '../../functions/get-figures-csv.js';
import * as getFiguresReport from '../../functions/get-figures-report.js';
import * as setNetworkParticipation from '../../functions/set-network-participation.js';
import * as getNetworkFigures from '../../functions/get-network-figures.js';
import * as createInquiry from '../../functions/create-inquiry.js';
import * as listInquiries from '../../functions/list-inquiries.js';
import * as updateInquiry from '../../functions/update-inquiry.js';
import * as deleteInquiry from '../../functions/delete-inquiry.js';
import * as submitTally from '../../functions/submit-tally.js';
import * as correctCompletion from '../../functions/correct-completion.js';
import * as getRetention from '../../functions/get-retention.js';
import * as updateRetention from '../../functions/update-retention.js';
import * as previewPurge from '../../functions/preview-purge.js';
import * as listPurgeReceipts from '../../functions/list-purge-receipts.js';
import * as eraseFamily from '../../functions/erase-family.js';

export type LambdaHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** Every route's Lambda handler, exactly the modules CDK bundles, for the local server and the tests. */
export const handlers: Record<RouteId, LambdaHandler> = {
  health: health.handler,
  ready: ready.handler,
  openapi: openapi.handler,
  createTeam: createTeam.handler,
  listTeams: listTeams.handler,
  getTeam: getTeam.handler,
  updateTeam: updateTeam.handler,
  createStaff: createStaff.handler,
  listStaff: listStaff.handler,
  getStaff: getStaff.handler,
  updateStaff: updateStaff.handler,
  deactivateStaff: deactivateStaff.handler,
  listAbsences: listAbsences.handler,
  createAbsence: createAbsence.handler,
  deleteAbsence: deleteAbsence.handler,
  updateAbsence: updateAbsence.handler,
  createFamily: createFamily.handler,
  listFamilies: listFamilies.handler,
  getFamily: getFamily.handler,
  updateFamily: updateFamily.handler,
  transitionFamily: transitionFamily.handler,
  familyAudit: familyAudit.handler,
  visitAudit: visitAudit.handler,
  createVisit: createVisit.handler,
  listVisits: listVisits.handler,
  getVisit: getVisit.handler,
  moveVisit: moveVisit.handler,
  cancelVisit: cancelVisit.handler,
  recordVisitOutcome: recordVisitOutcome.handler,
  visitAlternatives: visitAlternatives.handler,
  proposePlan: proposePlan.handler,
  proposeReplan: proposeReplan.handler,
  commitReplan: commitReplan.handler,
  commitPlan: commitPlan.handler,
  listReminders: listReminders.handler,
  getFigures: getFigures.handler,
  getFiguresCsv: getFiguresCsv.handler,
  getFiguresReport: getFiguresReport.handler,
  setNetworkParticipation: setNetworkParticipation.handler,
  getNetworkFigures: getNetworkFigures.handler,
  createInquiry: createInquiry.handler,
  listInquiries: listInquiries.handler,
  updateInquiry: updateInquiry.handler,
  deleteInquiry: deleteInquiry.handler,
  submitTally: submitTally.handler,
  correctCompletion: correctCompletion.handler,
  getRetention: getRetention.handler,
  updateRetention: updateRetention.handler,
  previewPurge: previewPurge.handler,
  listPurgeReceipts: listPurgeReceipts.handler,
  eraseFamily: eraseFamily.handler,

  createMeeting: createMeeting.handler,
  listMeetings: listMeetings.handler,
  getMeeting: getMeeting.handler,
  updateMeeting: updateMeeting.handler,
  cancelMeeting: cancelMeeting.handler,
  createSeries: createSeries.handler,
  getSeries: getSeries.handler,
  changeSeries: changeSeries.handler,
  handoverProposals: handoverProposals.handler,
  issueCalendarToken: issueCalendarToken.handler,
  revokeCalendarToken: revokeCalendarToken.handler,
  calendarFeed: calendarFeed.handler,
};

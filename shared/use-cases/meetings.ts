import { DateTime } from 'luxon';
import { Conflict, Invalid, NotFound } from '../domain/errors.js';
import type { FieldError } from '../domain/errors.js';
import { fieldErrors } from '../domain/field-errors.js';
import type { Principal } from '../domain/principal.js';
import { addDays, dateRangeInstants, minutesBetween } from '../domain/booking/time.js';
import { isNonWorkingDay } from '../domain/holidays.js';
import { expandSeries } from '../domain/recurrence.js';
import type { Engagement } from '../schemas/engagement.js';
import type { ChangeSeriesBody, CreateMeetingBody, CreateSeriesBody, SeriesOutcome, UpdateMeetingBody } from '../schemas/meeting.js';
import { CreateMeetingBody as CreateMeetingSchema, CreateSeriesBody as CreateSeriesSchema, Meeting, MeetingSeries } from '../schemas/meeting.js';
import type { Staff } from '../schemas/staff.js';
import type { Team } from '../schemas/team.js';
import { getFamily } from '../store/families.js';
import { answerItems, progressItems, resumedStep } from '../store/idempotency.js';
import {
  getMeeting,
  getMeetings,
  getSeries,
  listSeries,
  meetingsBetween,
  meetingWrite,
  seriesWrite,
  setMaterializedUntil,
} from '../store/meetings.js';
import { commitBooking, staffDaysBetween } from '../store/schedule.js';
import { getStaff, listAbsences } from '../store/staff.js';
import { isCoordinator, ownTeam } from './access.js';
import type { Deps } from './deps.js';
import type { Placement } from './schedule.js';
import { applyScheduleChange } from './schedule.js';
import { invitationWrites, removedAttendeeWrites, seriesInvitationWrites } from './notices.js';
import { assertVersion } from './versions.js';
import { loadTeam } from './visits.js';

/** How far ahead series occurrences exist as bookable meetings (the calendar feed shows 26 weeks too). */
export const horizonWeeks = 26;

type Where = Pick<Meeting, 'mode' | 'place' | 'address' | 'videoLink' | 'staff' | 'family'>;

/** Attendees must be active staff of the team; an on-site municipality must be one the team serves. */
async function checkReferences(deps: Deps, team: Team, where: Where): Promise<Staff[]> {
  const problems: FieldError[] = [];
  const staff: Staff[] = [];
  for (const [i, id] of where.staff.entries()) {
    const member = await getStaff(deps.db, team.id, id);
    if (!member) problems.push({ path: `staff[${i}]`, message: `no staff member "${id}" in the team` });
    else if (!member.active) problems.push({ path: `staff[${i}]`, message: `"${id}" is deactivated` });
    else staff.push(member);
  }
  if (where.place !== undefined && !team.places.includes(where.place))
    problems.push({ path: 'place', message: `"${where.place}" is not one of the team's places` });
  if (where.family !== undefined && !(await getFamily(deps.db, team.id, where.family)))
    problems.push({ path: 'family', message: `no family ${where.family} in the team` });
  if (problems.length) throw new Invalid(problems);
  return staff;
}

function interval(team: Team, start: string, end: string): { start: string; end: string } {
  const toInstant = (local: string, path: string) => {
    const dt = DateTime.fromISO(local, { zone: team.zone });
    if (!dt.isValid || dt.toFormat("yyyy-MM-dd'T'HH:mm") !== local)
      throw new Invalid([{ path, message: `${local} does not exist in ${team.zone} (the clocks go forward)` }]);
    return dt.toUTC().toISO() ?? '';
  };
  const s = toInstant(start, 'start');
  const e = toInstant(end, 'end');
  if (minutesBetween(s, e) > 480) throw new Invalid([{ path: 'end', message: 'a meeting lasts at most 8 hours' }]);
  return { start: s, end: e };
}

/** Where a meeting puts each attendee: on site, all at the meeting's municipality; online, each at their own base. */
export function meetingPlacements(meeting: Meeting, staff: readonly Pick<Staff, 'id' | 'base'>[]): Placement[] {
  const engagement = (place: string): Engagement => ({
    ref: `meeting:${meeting.id}`,
    type: 'meeting',
    start: meeting.start,
    end: meeting.end,
    place,
    version: meeting.version,
    updatedAt: meeting.updatedAt,
    title: meeting.title,
    sequence: meeting.sequence,
    ...(meeting.mode === 'online'
      ? meeting.videoLink
        ? { location: meeting.videoLink }
        : {}
      : meeting.address
        ? { location: meeting.address }
        : {}),
  });
  if (meeting.status === 'cancelled') return [];
  if (meeting.mode === 'onsite' && meeting.place) return [{ engagement: engagement(meeting.place), staff: meeting.staff }];
  return staff.filter((s) => meeting.staff.includes(s.id)).map((s) => ({ engagement: engagement(s.base), staff: [s.id] }));
}

const audit = (principal: Principal, action: string, before: unknown, after: Meeting | MeetingSeries) => ({
  entry: {
    teamId: after.teamId,
    entity: 'meeting' as const,
    entityId: after.id,
    action,
    actor: principal.staffId ?? principal.subject,
    at: after.updatedAt,
    before,
    after,
  },
});

async function staffOf(deps: Deps, teamId: string, ids: readonly string[]): Promise<Staff[]> {
  return (await Promise.all(ids.map((id) => getStaff(deps.db, teamId, id)))).flatMap((s) => (s ? [s] : []));
}

/** The coordinator booking it organizes it: the invitations name them as ORGANIZER and Reply-To. */
const organizer = (principal: Principal): { organizerStaffId?: string } => (principal.staffId ? { organizerStaffId: principal.staffId } : {});

/** Books a single meeting (consultation, information session, handover…). */
export async function createMeeting(deps: Deps, principal: Principal, input: CreateMeetingBody): Promise<Meeting> {
  const team = await loadTeam(deps, ownTeam(principal));
  const staff = await checkReferences(deps, team, input);
  const { start, end } = interval(team, input.start, input.end);
  const at = deps.now().toISOString();
  const { start: _s, end: _e, ...fields } = input;
  const meeting = Meeting.parse({
    ...fields,
    teamId: team.id,
    id: deps.newId(),
    start,
    end,
    startLocal: input.start,
    endLocal: input.end,
    status: 'planned',
    detached: false,
    sequence: 0,
    ...organizer(principal),
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
  const absences = await listAbsences(deps.db, team.id);
  await applyScheduleChange(deps, team, absences, {
    records: [meetingWrite(meeting, undefined), ...invitationWrites(meeting, deps.now())],
    remove: [],
    add: meetingPlacements(meeting, staff),
    audits: [{ ...audit(principal, 'create', undefined, meeting), id: deps.newId() }],
    extra: answerItems(meeting),
  });
  return meeting;
}

async function visibleMeeting(deps: Deps, principal: Principal, id: string): Promise<Meeting> {
  const meeting = await getMeeting(deps.db, ownTeam(principal), id);
  if (!meeting || (!isCoordinator(principal) && !(principal.staffId && meeting.staff.includes(principal.staffId)))) throw new NotFound();
  return meeting;
}

export async function readMeeting(deps: Deps, principal: Principal, id: string): Promise<Meeting> {
  return visibleMeeting(deps, principal, id);
}

/** Moves or edits one meeting (a single one, or one occurrence apart from its series); adding attendees is conflict-checked. */
export async function updateMeeting(deps: Deps, principal: Principal, id: string, input: UpdateMeetingBody): Promise<Meeting> {
  const current = await visibleMeeting(deps, principal, id);
  assertVersion(current.version, input.version, 'meeting');
  if (current.status !== 'planned') throw new Conflict('the meeting is cancelled');
  const team = await loadTeam(deps, current.teamId);
  const { version, start, end, ...changes } = input;
  const merged = { ...current, ...changes };
  const check = CreateMeetingSchema.safeParse({
    title: merged.title,
    kind: merged.kind,
    mode: merged.mode,
    place: merged.place,
    address: merged.address,
    videoLink: merged.videoLink,
    staff: merged.staff,
    external: merged.external,
    family: merged.family,
    start: start ?? current.startLocal,
    end: end ?? current.endLocal,
  });
  if (!check.success) throw new Invalid(fieldErrors(check.error));
  const staff = await checkReferences(deps, team, merged);
  const times = start && end ? { ...interval(team, start, end), startLocal: start, endLocal: end } : {};
  const next = Meeting.parse({
    ...merged,
    ...times,
    detached: current.seriesId !== undefined,
    sequence: current.sequence + 1,
    version: version + 1,
    updatedAt: deps.now().toISOString(),
  });
  const before = await staffOf(deps, team.id, current.staff);
  const absences = await listAbsences(deps.db, team.id);
  await applyScheduleChange(deps, team, absences, {
    records: [meetingWrite(next, current.version), ...invitationWrites(next, deps.now()), ...removedAttendeeWrites(current, next, deps.now())],
    remove: meetingPlacements(current, before),
    add: meetingPlacements(next, staff),
    audits: [{ ...audit(principal, start ? 'move' : 'update', current, next), id: deps.newId() }],
  });
  return next;
}

/**
 * `notify: false` when the attendees learn of it otherwise (a series cut short by its UNTIL). `answer`: whether the
 * cancelled meeting is the request's answer (committed with an Idempotency-Key's record).
 */
async function cancelOne(deps: Deps, principal: Principal, team: Team, current: Meeting, notify = true, answer = false): Promise<Meeting> {
  const cancelled = Meeting.parse({
    ...current,
    status: 'cancelled',
    sequence: current.sequence + 1,
    version: current.version + 1,
    updatedAt: deps.now().toISOString(),
  });
  await applyScheduleChange(deps, team, [], {
    records: [meetingWrite(cancelled, current.version), ...(notify ? invitationWrites(cancelled, deps.now()) : [])],
    remove: meetingPlacements(current, await staffOf(deps, team.id, current.staff)),
    add: [],
    audits: [{ ...audit(principal, 'cancel', current, cancelled), id: deps.newId() }],
    extra: answer ? answerItems(cancelled) : [],
  });
  return cancelled;
}

/** Cancels one meeting (or one occurrence of a series). */
export async function cancelMeeting(deps: Deps, principal: Principal, id: string, version: number): Promise<Meeting> {
  const current = await visibleMeeting(deps, principal, id);
  assertVersion(current.version, version, 'meeting');
  if (current.status !== 'planned') throw new Conflict('the meeting is already cancelled');
  return cancelOne(deps, principal, await loadTeam(deps, current.teamId), current, true, true);
}

/** A person's meetings (from their schedule) or the team's (the calendar index) in a range of local dates, occurrences expanded. */
export async function listMeetings(
  deps: Deps,
  principal: Principal,
  query: { from: string; to: string; staff?: string | undefined },
): Promise<Meeting[]> {
  const teamId = ownTeam(principal);
  const staffId = query.staff ?? (isCoordinator(principal) ? undefined : principal.staffId);
  if (staffId !== undefined) {
    if (!isCoordinator(principal) && staffId !== principal.staffId) throw new NotFound();
    const days = await staffDaysBetween(deps.db, teamId, staffId, query.from, query.to);
    const ids = days.flatMap((d) => d.engagements.filter((e) => e.type === 'meeting').map((e) => e.ref.slice('meeting:'.length)));
    return getMeetings(deps.db, teamId, ids);
  }
  const team = await loadTeam(deps, teamId);
  const range = dateRangeInstants(query.from, query.to, team.zone);
  return meetingsBetween(deps.db, teamId, range.from, range.to);
}

const occurrenceId = (seriesId: string, key: string) => `${seriesId}-${key}`;

/**
 * Creates the meetings of a series between two dates that do not exist yet; an occurrence that collides is reported,
 * not booked. `reportExisting`: a request resumed after a crash (issue 24 §1) reports the occurrences its first
 * attempt booked as booked too, so its answer is the one an uninterrupted run would have given.
 */
async function materialize(
  deps: Deps,
  principal: Principal,
  team: Team,
  series: MeetingSeries,
  from: string,
  to: string,
  reportExisting = false,
): Promise<Pick<SeriesOutcome, 'booked' | 'conflicts'>> {
  const outcome: Pick<SeriesOutcome, 'booked' | 'conflicts'> = { booked: [], conflicts: [] };
  if (series.status !== 'active' || to < from) return outcome;
  const occurrences = expandSeries(series.spec, { from, to }, { zone: team.zone, isNonWorkingDay: (d) => isNonWorkingDay(d, team.holidayCalendar) });
  const existing = new Map(
    (
      await getMeetings(
        deps.db,
        team.id,
        occurrences.map((o) => occurrenceId(series.id, o.key)),
      )
    ).map((m) => [m.id, m]),
  );
  const staff = await staffOf(deps, team.id, series.staff);
  const absences = await listAbsences(deps.db, team.id);
  for (const occurrence of occurrences) {
    const id = occurrenceId(series.id, occurrence.key);
    const booked = existing.get(id);
    if (booked) {
      if (reportExisting && booked.status === 'planned') outcome.booked.push(booked);
      continue;
    }
    const at = deps.now().toISOString();
    const {
      spec: _spec,
      materializedUntil: _m,
      status: _st,
      replacedBy: _r,
      id: _id,
      sequence: _seq,
      version: _v,
      createdAt: _c,
      updatedAt: _u,
      ...fields
    } = series;
    const meeting = Meeting.parse({
      ...fields,
      id,
      seriesId: series.id,
      occurrenceKey: occurrence.key,
      start: occurrence.start,
      end: occurrence.end,
      startLocal: occurrence.startLocal,
      endLocal: occurrence.endLocal,
      status: 'planned',
      detached: false,
      sequence: 0,
      version: 1,
      createdAt: at,
      updatedAt: at,
    });
    try {
      // No invitation per occurrence: the attendees have the series' one recurring event (and the daily job books
      // occurrences as they enter the horizon without e-mailing anyone).
      await applyScheduleChange(deps, team, absences, {
        records: [meetingWrite(meeting, undefined)],
        remove: [],
        add: meetingPlacements(meeting, staff),
        audits: [{ ...audit(principal, 'create:series', undefined, meeting), id: deps.newId() }],
      });
      outcome.booked.push(meeting);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      outcome.conflicts.push({ date: occurrence.date, reason: error.message });
    }
  }
  return outcome;
}

const todayOf = (deps: Deps, team: Team) => DateTime.fromJSDate(deps.now(), { zone: team.zone }).toFormat('yyyy-MM-dd');

/**
 * Creates a meeting series and books its occurrences for the coming 26 weeks; occurrences that collide are listed.
 * Two steps: the series (with its invitations), then one transaction per occurrence. With an Idempotency-Key the
 * first step notes the series in the key's record in its own transaction, so a retry after a crash carries on with
 * that series — occurrence ids derive from it, so none is booked twice — instead of creating a second one.
 */
export async function createSeries(deps: Deps, principal: Principal, input: CreateSeriesBody): Promise<SeriesOutcome> {
  const team = await loadTeam(deps, ownTeam(principal));
  const today = todayOf(deps, team);
  const resumedId = resumedStep('series');
  const resumed = typeof resumedId === 'string' ? await getSeries(deps.db, team.id, resumedId) : undefined;
  let series: MeetingSeries;
  if (resumed) series = resumed;
  else {
    await checkReferences(deps, team, input);
    const at = deps.now().toISOString();
    series = MeetingSeries.parse({
      ...input,
      teamId: team.id,
      id: deps.newId(),
      materializedUntil: addDays(today, horizonWeeks * 7),
      status: 'active',
      sequence: 0,
      ...organizer(principal),
      version: 1,
      createdAt: at,
      updatedAt: at,
    });
    await commitBooking(
      deps.db,
      team.id,
      [seriesWrite(series, undefined), ...seriesInvitationWrites(series, deps.now())],
      [],
      [{ ...audit(principal, 'create', undefined, series), id: deps.newId() }],
      progressItems('series', series.id),
    );
  }
  const horizon = series.materializedUntil;
  const from = series.spec.startDate > today ? series.spec.startDate : today;
  const to = series.spec.untilDate && series.spec.untilDate < horizon ? series.spec.untilDate : horizon;
  return { series, ...(await materialize(deps, principal, team, series, from, to, resumed !== undefined)) };
}

export async function readSeries(deps: Deps, principal: Principal, id: string): Promise<MeetingSeries> {
  const series = await getSeries(deps.db, ownTeam(principal), id);
  if (!series || (!isCoordinator(principal) && !(principal.staffId && series.staff.includes(principal.staffId)))) throw new NotFound();
  return series;
}

/**
 * Changes a series from one occurrence on: the old series ends the day before, its occurrences from then on are
 * cancelled (attendees get cancellations), and a successor series with the changes takes over from that date.
 */
export async function changeSeries(deps: Deps, principal: Principal, id: string, input: ChangeSeriesBody): Promise<SeriesOutcome> {
  const team = await loadTeam(deps, ownTeam(principal));
  // A retry after a crash that came after the change itself committed carries on from it (issue 24 §1).
  const resumed = resumedStep('successor') as { id: string; toCancel: string[] } | undefined;
  const resumedSuccessor = resumed ? await getSeries(deps.db, team.id, resumed.id) : undefined;
  if (resumed && resumedSuccessor) {
    const left = (await getMeetings(deps.db, team.id, resumed.toCancel)).filter((m) => m.status === 'planned');
    return finishChange(deps, principal, team, resumedSuccessor, left, resumed.toCancel.length, true);
  }
  const current = await getSeries(deps.db, team.id, id);
  if (!current) throw new NotFound();
  assertVersion(current.version, input.version, 'series');
  if (current.status !== 'active') throw new Conflict('the series has ended');
  if (input.fromDate < current.spec.startDate) throw new Invalid([{ path: 'fromDate', message: `the series starts on ${current.spec.startDate}` }]);
  const todayDate = todayOf(deps, team);
  if (input.fromDate < todayDate)
    throw new Invalid([{ path: 'fromDate', message: 'meetings that have already taken place cannot be changed; choose today or later' }]);
  // Without a new rule, the successor keeps the series' rhythm: it starts at the first occurrence on or after
  // fromDate, so "every other Tuesday" stays on the same Tuesdays.
  const keepsRule = input.recurrence === undefined;
  const nextOccurrence = keepsRule
    ? expandSeries(current.spec, { from: input.fromDate, to: addDays(input.fromDate, 400) }, { zone: team.zone, isNonWorkingDay: () => false })[0]
        ?.key
    : input.fromDate;
  if (nextOccurrence === undefined) throw new Conflict('the series has no occurrence on or after that date');
  const { version: _v, fromDate, recurrence, durationMinutes, untilDate, holidayPolicy, ...fieldChanges } = input;
  const candidate = CreateSeriesSchema.safeParse({
    title: fieldChanges.title ?? current.title,
    kind: current.kind,
    mode: fieldChanges.mode ?? current.mode,
    place: fieldChanges.place ?? current.place,
    address: fieldChanges.address ?? current.address,
    videoLink: fieldChanges.videoLink ?? current.videoLink,
    staff: fieldChanges.staff ?? current.staff,
    external: fieldChanges.external ?? current.external,
    family: current.family,
    spec: {
      recurrence: recurrence ?? current.spec.recurrence,
      durationMinutes: durationMinutes ?? current.spec.durationMinutes,
      startDate: nextOccurrence,
      untilDate: untilDate ?? current.spec.untilDate,
      holidayPolicy: holidayPolicy ?? current.spec.holidayPolicy,
    },
  });
  if (!candidate.success) throw new Invalid(fieldErrors(candidate.error));
  await checkReferences(deps, team, candidate.data);
  const at = deps.now().toISOString();
  const successor = MeetingSeries.parse({
    ...candidate.data,
    teamId: team.id,
    id: deps.newId(),
    materializedUntil: current.materializedUntil,
    status: 'active',
    sequence: 0,
    ...(principal.staffId ? organizer(principal) : current.organizerStaffId ? { organizerStaffId: current.organizerStaffId } : {}),
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
  const endsBeforeStart = fromDate <= current.spec.startDate;
  const ended = MeetingSeries.parse({
    ...current,
    ...(endsBeforeStart ? { status: 'ended' } : { spec: { ...current.spec, untilDate: addDays(fromDate, -1) } }),
    replacedBy: successor.id,
    sequence: current.sequence + 1,
    version: current.version + 1,
    updatedAt: at,
  });
  const old = expandSeries(
    current.spec,
    { from: fromDate, to: current.materializedUntil },
    { zone: team.zone, isNonWorkingDay: (d) => isNonWorkingDay(d, team.holidayCalendar) },
  );
  const toCancel = (
    await getMeetings(
      deps.db,
      team.id,
      old.map((o) => occurrenceId(current.id, o.key)),
    )
  ).filter((m) => m.status === 'planned');
  // As Outlook and Google do it: the old series is re-sent with its UNTIL (or cancelled, if nothing of it is left) and the
  // successor is a new series with its own UID; RANGE=THISANDFUTURE is not honoured by Google and most clients.
  await commitBooking(
    deps.db,
    team.id,
    [
      seriesWrite(ended, current.version),
      seriesWrite(successor, undefined),
      ...seriesInvitationWrites(ended, deps.now()),
      ...seriesInvitationWrites(successor, deps.now()),
    ],
    [],
    [
      { ...audit(principal, 'change:end', current, ended), id: deps.newId() },
      { ...audit(principal, 'change:successor', undefined, successor), id: deps.newId() },
    ],
    progressItems('successor', { id: successor.id, toCancel: toCancel.map((m) => m.id) }),
  );
  return finishChange(deps, principal, team, successor, toCancel, toCancel.length, false);
}

/** The rest of a series change once the change itself committed: the old occurrences from then on go, the successor's are booked. */
async function finishChange(
  deps: Deps,
  principal: Principal,
  team: Team,
  successor: MeetingSeries,
  toCancel: readonly Meeting[],
  cancelled: number,
  resumed: boolean,
): Promise<SeriesOutcome> {
  // The old series' UNTIL takes its later occurrences out of the attendees' calendars; only an occurrence they hold as an
  // override of its own (moved or edited) gets a CANCEL of its RECURRENCE-ID.
  for (const meeting of toCancel) await cancelOne(deps, principal, team, meeting, meeting.detached);
  const todayDate = todayOf(deps, team);
  const from = successor.spec.startDate > todayDate ? successor.spec.startDate : todayDate;
  const to =
    successor.spec.untilDate && successor.spec.untilDate < successor.materializedUntil ? successor.spec.untilDate : successor.materializedUntil;
  return { series: successor, cancelled, ...(await materialize(deps, principal, team, successor, from, to, resumed)) };
}

/** The daily job: books every active series' occurrences up to 26 weeks ahead (idempotent; earlier collisions are retried). */
export async function extendSeriesHorizons(deps: Deps, team: Team): Promise<{ series: number; booked: number; conflicts: number }> {
  const system: Principal = { subject: 'system', teamId: team.id, staffId: undefined, groups: new Set(['coordinator']) };
  const today = todayOf(deps, team);
  const horizon = addDays(today, horizonWeeks * 7);
  let booked = 0;
  let conflicts = 0;
  const all = (await listSeries(deps.db, team.id)).filter((s) => s.status === 'active');
  for (const series of all) {
    const from = series.spec.startDate > today ? series.spec.startDate : today;
    const to = series.spec.untilDate && series.spec.untilDate < horizon ? series.spec.untilDate : horizon;
    const outcome = await materialize(deps, system, team, series, from, to);
    booked += outcome.booked.length;
    conflicts += outcome.conflicts.length;
    if (series.materializedUntil < horizon) await setMaterializedUntil(deps.db, series, horizon);
  }
  return { series: all.length, booked, conflicts };
}

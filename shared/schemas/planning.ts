import * as z from 'zod';
import { withoutIdentityNumber } from './free-text.js';
import { HourMinute, IsoDate, IsoWeek, LocalDateTime, TimeZone, Weekday, minutesOf } from './common.js';

/**
 * The weekly visit plan's JSON (SPEC §4): the problem the planner solves and the result it returns.
 * Objects are not strict: extra optional fields are allowed, as §4 says.
 */

const Id = /* @__PURE__ */ (() => z.string().min(1, 'must not be empty').max(80))();
const PlaceName = /* @__PURE__ */ (() => withoutIdentityNumber(z.string().min(1, 'must not be empty').max(60)))();

export const PlanningSessionKind = /* @__PURE__ */ (() => z.enum(['family', 'individual', 'joint']))();
export type PlanningSessionKind = z.infer<typeof PlanningSessionKind>;

export const PlanningRole = /* @__PURE__ */ (() => z.enum(['coordinator', 'family_therapist', 'individual_therapist']))();

/** A daily interval on an ISO weekday in wall-clock time, `end` after `start`. */
export const PlanningInterval = /* @__PURE__ */ (() =>
  z
    .object({ weekday: Weekday, start: HourMinute, end: HourMinute })
    .refine((i) => minutesOf(i.end) > minutesOf(i.start), { message: 'end must be after start', path: ['end'] }))();
export type PlanningInterval = z.infer<typeof PlanningInterval>;

export const BusyBlock = /* @__PURE__ */ (() =>
  z
    .object({
      start: LocalDateTime,
      end: LocalDateTime,
      place: PlaceName.optional(),
      label: withoutIdentityNumber(z.string().max(200)).optional(),
      /** An extra field (§4 allows them): this block is an already-booked visit, so it counts toward maxVisitsPerDay on its day. */
      countsAsVisit: z.boolean().optional(),
    })
    .refine((b) => b.end > b.start, { message: 'end must be after start', path: ['end'] }))();
export type BusyBlock = z.infer<typeof BusyBlock>;

export const PlanningStaff = /* @__PURE__ */ (() =>
  z.object({
    id: Id,
    role: PlanningRole,
    base: PlaceName,
    workingHours: z.array(PlanningInterval).superRefine((hours, ctx) => {
      const seen = new Set<number>();
      hours.forEach((h, i) => {
        if (seen.has(h.weekday)) ctx.addIssue({ code: 'custom', message: `weekday ${h.weekday} has more than one interval`, path: [i, 'weekday'] });
        seen.add(h.weekday);
      });
    }),
    busy: z.array(BusyBlock).default([]),
    maxVisitsPerDay: z.number().int().min(1).max(24).default(3),
  }))();
export type PlanningStaff = z.infer<typeof PlanningStaff>;

export const SessionRequest = /* @__PURE__ */ (() =>
  z.object({
    kind: PlanningSessionKind,
    count: z.number().int().min(0).max(14),
    minutes: z.number().int().min(1).max(1440),
  }))();
export type SessionRequest = z.infer<typeof SessionRequest>;

export const PlanningFamily = /* @__PURE__ */ (() =>
  z.object({
    id: Id,
    place: PlaceName,
    familyTherapist: Id,
    individualTherapist: Id,
    sessions: z.array(SessionRequest).superRefine((sessions, ctx) => {
      const seen = new Set<string>();
      sessions.forEach((s, i) => {
        if (seen.has(s.kind)) ctx.addIssue({ code: 'custom', message: `kind ${s.kind} appears more than once`, path: [i, 'kind'] });
        seen.add(s.kind);
      });
    }),
    minSessions: z.number().int().min(0),
    windows: z.array(PlanningInterval),
    maxSessionsPerDay: z.number().int().min(1).max(24).default(1),
    /** An extra field (§4 allows them): dates of visits already booked this week, one entry a visit; they use up maxSessionsPerDay. */
    bookedDates: z.array(IsoDate).optional(),
  }))();
export type PlanningFamily = z.infer<typeof PlanningFamily>;

const TravelRow = /* @__PURE__ */ (() => z.record(z.string(), z.number().int('must be whole minutes').min(0).max(1440)))();

export const PlanningProblem = /* @__PURE__ */ (() =>
  z
    .object({
      week: IsoWeek,
      timeZone: TimeZone.default('Europe/Stockholm'),
      slotMinutes: z
        .number()
        .int()
        .min(1)
        .max(1440)
        .refine((n) => 1440 % n === 0, 'must divide 1440 (the minutes of a day)')
        .default(15),
      holidays: z.array(IsoDate).optional(),
      travelMinutes: z.record(z.string(), TravelRow),
      staff: z.array(PlanningStaff),
      families: z.array(PlanningFamily),
    })
    .superRefine((problem, ctx) => {
      const staffById = new Map<string, PlanningStaff>();
      problem.staff.forEach((s, i) => {
        if (staffById.has(s.id)) ctx.addIssue({ code: 'custom', message: `duplicate staff id "${s.id}"`, path: ['staff', i, 'id'] });
        else staffById.set(s.id, s);
      });
      const familyIds = new Set<string>();
      problem.families.forEach((f, i) => {
        if (familyIds.has(f.id)) ctx.addIssue({ code: 'custom', message: `duplicate family id "${f.id}"`, path: ['families', i, 'id'] });
        familyIds.add(f.id);
      });

      const places = new Set<string>();
      const requirePlace = (place: string, path: (string | number)[]): void => {
        places.add(place);
        if (!Object.hasOwn(problem.travelMinutes, place)) {
          ctx.addIssue({ code: 'custom', message: `place "${place}" is missing from travelMinutes`, path });
        }
      };
      problem.staff.forEach((s, i) => {
        requirePlace(s.base, ['staff', i, 'base']);
        s.busy.forEach((b, j) => {
          if (b.place !== undefined) requirePlace(b.place, ['staff', i, 'busy', j, 'place']);
        });
      });
      problem.families.forEach((f, i) => {
        requirePlace(f.place, ['families', i, 'place']);
        const roles = [
          ['familyTherapist', f.familyTherapist, 'family_therapist'],
          ['individualTherapist', f.individualTherapist, 'individual_therapist'],
        ] as const;
        for (const [field, id, role] of roles) {
          const member = staffById.get(id);
          if (!member) ctx.addIssue({ code: 'custom', message: `unknown staff id "${id}"`, path: ['families', i, field] });
          else if (member.role !== role) {
            ctx.addIssue({ code: 'custom', message: `staff "${id}" has role ${member.role}, expected ${role}`, path: ['families', i, field] });
          }
        }
        const total = f.sessions.reduce((n, s) => n + s.count, 0);
        if (f.minSessions > total) {
          ctx.addIssue({
            code: 'custom',
            message: `minSessions (${f.minSessions}) exceeds the sessions requested (${total})`,
            path: ['families', i, 'minSessions'],
          });
        }
      });
      // Every pair of places in use needs a travel time, in both directions.
      for (const from of places) {
        const row = problem.travelMinutes[from];
        if (!row) continue;
        for (const to of places) {
          if (Object.hasOwn(problem.travelMinutes, to) && !Object.hasOwn(row, to)) {
            ctx.addIssue({ code: 'custom', message: `no travel time from "${from}" to "${to}"`, path: ['travelMinutes', from, to] });
          }
        }
      }
    }))();
/** The problem as the caller writes it (defaults may be omitted). */
export type PlanningProblemInput = z.input<typeof PlanningProblem>;
/** The problem after validation, defaults filled in: what `planWeek` takes. */
export type PlanningProblem = z.output<typeof PlanningProblem>;

export const PlannedVisit = /* @__PURE__ */ (() =>
  z.object({
    family: Id,
    kind: PlanningSessionKind,
    staff: z.array(Id).min(1).max(2),
    start: LocalDateTime,
    end: LocalDateTime,
    place: PlaceName,
  }))();
export type PlannedVisit = z.infer<typeof PlannedVisit>;

export const Shortfall = /* @__PURE__ */ (() =>
  z.object({
    family: Id,
    kind: PlanningSessionKind,
    missing: z.number().int().min(1),
    reason: z.string().min(1),
  }))();
export type Shortfall = z.infer<typeof Shortfall>;

export const PlanStats = /* @__PURE__ */ (() =>
  z.object({
    sessionsRequested: z.number().int().min(0),
    sessionsPlaced: z.number().int().min(0),
    familiesBelowMinimum: z.number().int().min(0),
    travelMinutes: z.number().int().min(0),
    /** Objective (a): sessions missing below the families' minimums, summed. */
    sessionsBelowMinimum: z.number().int().min(0).optional().describe("Objective (a): the sessions missing below each family's minSessions, summed."),
    /** The exact phase proved (a) and (b) optimal: no plan leaves fewer sessions below minimum, or as few and places more. */
    sessionsProvenOptimal: z
      .boolean()
      .optional()
      .describe(
        'True when the exact phase (HiGHS) proved objectives (a) and (b) optimal: no plan leaves fewer sessions below minimum, or as few and places more. Absent when only the heuristic ran.',
      ),
    /** When not proven: no plan can place more than this many sessions. */
    sessionsPlacedUpperBound: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('When the sessions are not proven optimal: no plan can place more than this many sessions.'),
    /** When not proven: no plan can leave fewer sessions below minimum than this. */
    sessionsBelowMinimumLowerBound: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('When the sessions are not proven optimal: no plan can leave fewer sessions below minimum than this.'),
  }))();
export type PlanStats = z.infer<typeof PlanStats>;

export const PlanningResult = /* @__PURE__ */ (() =>
  z.object({
    week: IsoWeek,
    visits: z.array(PlannedVisit),
    shortfalls: z.array(Shortfall),
    stats: PlanStats,
  }))();
export type PlanningResult = z.infer<typeof PlanningResult>;

/** One failing field: `families[0].familyTherapist` and what is wrong with it. */
export interface PlanningFieldError {
  path: string;
  message: string;
}

/** Turns a zod error into one entry per failing field, paths written like `staff[2].busy[0].end`. */
export function planningFieldErrors(error: z.ZodError): PlanningFieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.reduce<string>((acc, part) => {
      if (typeof part === 'number') return `${acc}[${part}]`;
      const key = String(part);
      if (acc && !/^[A-Za-z_$][\w$]*$/.test(key)) return `${acc}[${JSON.stringify(key)}]`;
      return acc ? `${acc}.${key}` : key;
    }, '');
    return { path: path || '(root)', message: issue.message };
  });
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The cross-field checks (unknown therapist, wrong role, a place missing from the travel matrix) run on raw input,
 * so that a file with both a malformed field and a bad reference gets every problem named at once. zod runs its
 * own cross-field refinement only once the shape is right; this fills that gap for the command and the API.
 */
function referenceErrors(input: unknown): PlanningFieldError[] {
  const root = record(input);
  if (!root) return [];
  const errors: PlanningFieldError[] = [];
  const travel = record(root['travelMinutes']);
  const staff = Array.isArray(root['staff']) ? root['staff'] : [];
  const roles = new Map<string, string | undefined>();
  const needPlace = (place: string | undefined, path: string) => {
    if (place !== undefined && travel && !Object.hasOwn(travel, place))
      errors.push({ path, message: `place "${place}" is missing from travelMinutes` });
  };
  staff.forEach((raw, i) => {
    const s = record(raw);
    const id = text(s?.['id']);
    if (id !== undefined) roles.set(id, text(s?.['role']));
    needPlace(text(s?.['base']), `staff[${i}].base`);
  });
  const families = Array.isArray(root['families']) ? root['families'] : [];
  families.forEach((raw, i) => {
    const f = record(raw);
    needPlace(text(f?.['place']), `families[${i}].place`);
    for (const [field, role] of [
      ['familyTherapist', 'family_therapist'],
      ['individualTherapist', 'individual_therapist'],
    ] as const) {
      const id = text(f?.[field]);
      if (id === undefined) continue;
      if (!roles.has(id)) errors.push({ path: `families[${i}].${field}`, message: `unknown staff id "${id}"` });
      else if (roles.get(id) !== role)
        errors.push({ path: `families[${i}].${field}`, message: `staff "${id}" has role ${roles.get(id) ?? 'none'}, expected ${role}` });
    }
  });
  return errors;
}

/** Validates a planning problem: the problem with defaults, or the field-level errors (all of them, shape and references). */
export function parsePlanningProblem(input: unknown): { ok: true; problem: PlanningProblem } | { ok: false; errors: PlanningFieldError[] } {
  const parsed = PlanningProblem.safeParse(input);
  if (parsed.success) return { ok: true, problem: parsed.data };
  const errors = planningFieldErrors(parsed.error);
  const named = new Set(errors.map((e) => `${e.path}|${e.message}`));
  for (const extra of referenceErrors(input)) if (!named.has(`${extra.path}|${extra.message}`)) errors.push(extra);
  return { ok: false, errors };
}

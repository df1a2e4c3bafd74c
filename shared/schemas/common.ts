import { DateTime, IANAZone } from 'luxon';
import * as z from 'zod';
import { withoutIdentityNumber } from './free-text.js';

/** Identifiers chosen by people (team and staff ids): lowercase, readable in URLs and tokens. */
export const Slug = /* @__PURE__ */ (() =>
  z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'must be 2–40 characters: lowercase letters, digits and hyphens'))();

export const HourMinute = /* @__PURE__ */ (() => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time HH:mm'))();

/** Every date, week, month, local date-time and instant the API accepts lies in years 2000–2100 (inclusive): no 500s from year 9999. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
const inYearRange = (s: string): boolean => {
  const y = Number(s.slice(0, 4));
  return y >= MIN_YEAR && y <= MAX_YEAR;
};
const yearRangeMessage = `year must be between ${MIN_YEAR} and ${MAX_YEAR}`;

export const IsoDate = /* @__PURE__ */ (() =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD', abort: true })
    .refine(inYearRange, { message: yearRangeMessage, abort: true })
    .refine((s) => DateTime.fromISO(s, { zone: 'utc' }).isValid, 'is not a valid calendar date'))();

export const IsoWeek = /* @__PURE__ */ (() =>
  z
    .string()
    .regex(/^\d{4}-W\d{2}$/, { message: 'must be an ISO week YYYY-Www', abort: true })
    .refine(inYearRange, { message: yearRangeMessage, abort: true })
    .refine((s) => DateTime.fromISO(`${s}-1`, { zone: 'utc' }).isValid, 'is not a valid ISO week'))();

/** A calendar month YYYY-MM (the figures' periods). */
export const IsoMonth = /* @__PURE__ */ (() =>
  z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month YYYY-MM', abort: true })
    .refine(inYearRange, yearRangeMessage))();

/**
 * The zones found valid so far (at most the few hundred IANA names): luxon's `isValidZone` builds an
 * `Intl.DateTimeFormat` on every call, which was about 4 % of the CPU of seeding the pilot history (every team and
 * visit item parsed names its zone). A string found invalid is checked again next time, so no client fills this.
 */
const validZones = new Set<string>();
const isValidZone = (zone: string) => validZones.has(zone) || (IANAZone.isValidZone(zone) && validZones.add(zone).size > 0);

export const TimeZone = /* @__PURE__ */ (() => z.string().refine(isValidZone, 'must be an IANA time zone, e.g. Europe/Stockholm'))();

/** A municipality or other place name the team travels to. */
export const Place = /* @__PURE__ */ (() => withoutIdentityNumber(z.string().min(1).max(60)))();

export const Weekday = /* @__PURE__ */ (() =>
  z.number().int().min(1, 'ISO weekday 1 (Monday) to 7 (Sunday)').max(7, 'ISO weekday 1 (Monday) to 7 (Sunday)'))();

export const Version = /* @__PURE__ */ (() => z.number().int().min(1))();

export const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** A daily interval on an ISO weekday, wall-clock time in the team's zone. */
export const WeekdayInterval = /* @__PURE__ */ (() =>
  z
    .strictObject({ weekday: Weekday, start: HourMinute, end: HourMinute })
    .refine((i) => minutesOf(i.end) > minutesOf(i.start), { message: 'end must be after start', path: ['end'] }))();
export type WeekdayInterval = z.infer<typeof WeekdayInterval>;

/** Working hours: at most one interval a weekday. */
export const WorkingHours = /* @__PURE__ */ (() =>
  z.array(WeekdayInterval).superRefine((hours, ctx) => {
    const seen = new Set<number>();
    hours.forEach((h, i) => {
      if (seen.has(h.weekday)) ctx.addIssue({ code: 'custom', message: `weekday ${h.weekday} appears twice`, path: [i, 'weekday'] });
      seen.add(h.weekday);
    });
  }))();

/** Fields every stored record carries. */
export const RecordMeta = /* @__PURE__ */ (() =>
  z.object({
    version: Version,
    createdAt: z.string(),
    updatedAt: z.string(),
  }))();

/** A wall-clock date-time in the team's zone, as in the planner's JSON (§4). */
export const LocalDateTime = /* @__PURE__ */ (() =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a local date-time YYYY-MM-DDTHH:mm', abort: true })
    .refine(inYearRange, { message: yearRangeMessage, abort: true })
    .refine((s) => DateTime.fromISO(s, { zone: 'utc' }).isValid, 'is not a valid date-time'))();

/** A UTC instant as stored (ISO 8601 with Z). */
export const Instant = /* @__PURE__ */ (() =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, { message: 'must be a UTC instant', abort: true })
    .refine(inYearRange, { message: yearRangeMessage, abort: true })
    .refine((s) => DateTime.fromISO(s, { zone: 'utc' }).isValid, 'is not a valid instant'))();

import * as z from 'zod';
import { IsoDate, Weekday } from './common.js';

/** A meeting's local start time; unlike working hours, 24:00 is not a start time. */
export const MeetingTime = /* @__PURE__ */ (() => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:mm (00:00–23:59)'))();

export const WeeklyRecurrence = /* @__PURE__ */ (() =>
  z.strictObject({
    freq: z.literal('weekly'),
    /** 1 = every week, 2 = every other week (municipality meetings), up to every 8th week. */
    interval: z.number().int().min(1, 'interval is 1 (every week) to 8').max(8, 'interval is 1 (every week) to 8'),
    weekday: Weekday,
    time: MeetingTime,
  }))();
export type WeeklyRecurrence = z.infer<typeof WeeklyRecurrence>;

export const MonthlyRecurrence = /* @__PURE__ */ (() =>
  z.strictObject({
    freq: z.literal('monthly'),
    /** Which weekday of the month: 1st to 4th, or -1 for the last. */
    nth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)], {
      error: 'nth is 1, 2, 3, 4 or -1 (the last)',
    }),
    weekday: Weekday,
    time: MeetingTime,
  }))();
export type MonthlyRecurrence = z.infer<typeof MonthlyRecurrence>;

export const Recurrence = /* @__PURE__ */ (() => z.discriminatedUnion('freq', [WeeklyRecurrence, MonthlyRecurrence]))();
export type Recurrence = z.infer<typeof Recurrence>;

export const HolidayPolicy = /* @__PURE__ */ (() => z.enum(['skip', 'next_working_day']))();
export type HolidayPolicy = z.infer<typeof HolidayPolicy>;

const isDate = (value: string): boolean => IsoDate.safeParse(value).success;

/** A meeting series' schedule: its rule, length, date span and what happens on a holiday. */
export const SeriesSpec = /* @__PURE__ */ (() =>
  z
    .strictObject({
      recurrence: Recurrence,
      durationMinutes: z.number().int().min(15, 'a meeting lasts 15 to 480 minutes').max(480, 'a meeting lasts 15 to 480 minutes'),
      startDate: IsoDate,
      /** Last date an occurrence may fall on (inclusive); absent = open-ended. */
      untilDate: IsoDate.optional(),
      holidayPolicy: HolidayPolicy,
    })
    // Compared only when both are real dates, so a malformed date gets its own issue and no second one.
    .refine((s) => s.untilDate === undefined || !isDate(s.untilDate) || !isDate(s.startDate) || s.untilDate >= s.startDate, {
      message: 'untilDate must be on or after startDate',
      path: ['untilDate'],
    }))();
export type SeriesSpec = z.infer<typeof SeriesSpec>;

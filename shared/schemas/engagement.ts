import * as z from 'zod';
import { Instant, IsoDate, Place, Slug } from './common.js';

/**
 * What occupies a person on a day: a visit or a meeting, with just enough to check travel and to render
 * a calendar entry (family code, kind, place — never a name).
 */
export const Engagement = /* @__PURE__ */ (() =>
  z.object({
    ref: z.string(),
    type: z.enum(['visit', 'meeting']),
    start: Instant,
    end: Instant,
    place: Place,
    version: z.number().int().min(1),
    updatedAt: z.string(),
    family: z.string().optional(),
    visitKind: z.enum(['family', 'individual', 'joint']).optional(),
    title: z.string().optional(),
    location: z.string().optional(),
    /** A meeting's iCalendar SEQUENCE (visits derive theirs from the version). */
    sequence: z.number().int().min(0).optional(),
  }))();
export type Engagement = z.infer<typeof Engagement>;

/** The guard item of one person (or family) on one local date; every booking rewrites it under a version condition. */
export const DaySchedule = /* @__PURE__ */ (() =>
  z.object({
    teamId: Slug,
    owner: z.string(),
    date: IsoDate,
    engagements: z.array(Engagement),
    version: z.number().int().min(0),
    /** When its engagements last changed (absent on days written before it was recorded): a calendar feed's Last-Modified sees removals by it. */
    changedAt: z.string().optional(),
  }))();
export type DaySchedule = z.infer<typeof DaySchedule>;

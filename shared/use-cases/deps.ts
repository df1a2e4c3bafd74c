import { randomUUID } from 'node:crypto';
import type { Db } from '../store/client.js';
import { dbFromEnv } from '../store/client.js';

/** What a use case needs from the outside world, passed in so tests control it. */
export interface Deps {
  db: Db;
  now: () => Date;
  newId: () => string;
}

/**
 * The clock: the system's, unless IKB_FIXED_CLOCK (an ISO instant) pins it — which the test suite does so that
 * "today", horizons and "has this visit started" are the same on every run. The CDK stack never sets it.
 */
export function clockFromEnv(): () => Date {
  const fixed = process.env.IKB_FIXED_CLOCK;
  if (fixed === undefined || fixed === '') return () => new Date();
  const at = Date.parse(fixed);
  if (Number.isNaN(at)) throw new Error('IKB_FIXED_CLOCK must be an ISO instant');
  return () => new Date(at);
}

/** The production wiring: the Db from the environment, the clock, random UUIDs. */
export function defaultDeps(): Deps {
  return { db: dbFromEnv(), now: clockFromEnv(), newId: () => randomUUID() };
}

import { randomUUID } from 'node:crypto';
import type { Db } from '../store/client.js';
import { dbFromEnv } from '../store/client.js';

/** What a use case needs from the outside world, passed in so tests control it. */
export interface Deps {
  db: Db;
  now: () => Date;
  newId: () => string;
}

/** A clock that always answers `iso` (an ISO instant). */
export function fixedClock(iso: string): () => Date {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) throw new Error(`a fixed clock needs an ISO instant, not "${iso}"`);
  return () => new Date(at);
}

const systemClock = (): Date => new Date();
let clock: () => Date = systemClock;

/**
 * Sets the clock of every Deps defaultDeps() gives, those made before the call too (a function's Deps are made when
 * its module loads). Only the local runner and the test suite call it — to pin "today", horizons and "has this visit
 * started" to one instant on every run — and `undefined` gives the system clock back. Production never calls it.
 */
export function setDefaultClock(now: (() => Date) | undefined): void {
  clock = now ?? systemClock;
}

/** The default clock: the system's, unless set above (for what needs a clock before the table is configured). */
export const defaultNow = (): Date => clock();

/** The production wiring: the Db from the environment, the system clock (unless set above), random UUIDs. */
export function defaultDeps(): Deps {
  return { db: dbFromEnv(), now: defaultNow, newId: () => randomUUID() };
}

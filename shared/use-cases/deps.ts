import { randomUUID } from 'node:crypto';
import type { Db } from '../store/client.js';
import { dbFromEnv } from '../store/client.js';

/** What a use case needs from the outside world, passed in so tests control it. */
export interface Deps {
  db: Db;
  now: () => Date;
  newId: () => string;
}

/** The production wiring: the Db from the environment, the system clock, random UUIDs. */
export function defaultDeps(): Deps {
  return { db: dbFromEnv(), now: () => new Date(), newId: () => randomUUID() };
}

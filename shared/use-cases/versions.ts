import { Conflict } from '../domain/errors.js';

/** 409 when the caller edited an older version than the stored one (the conditional write still guards the race). */
export function assertVersion(stored: number, given: number, what: string): void {
  if (stored !== given) throw new Conflict(`the ${what} is at version ${stored}, not ${given}: someone else changed it; reload and try again`);
}

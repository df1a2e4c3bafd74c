/**
 * The files outside the system lanes that take longest, longest first (seconds each on a quiet 2-core machine, a whole
 * `npm test`, 2026-12-07). vitest.config.ts starts them right after the system lanes, in this order, so that no long
 * file is left to run alone at the end. Vitest's own order starts the files that took longest in the last run it
 * remembers (node_modules/.vite), which a fresh clone, as in CI, has not: it then starts the largest files first, and
 * pilot-background.test.ts (75 lines, 90 s; now in a system lane) ran last, alone, for a minute and a half.
 * vitest.config.ts refuses a name here that is no test file.
 */
export const slowFiles: readonly string[] = [
  'test/integration/idempotency-crash.test.ts', // 60 s
  'test/integration/purge.test.ts', // 40 s
  'test/integration/fuzz.test.ts', // 25 s
  'test/unit/planning/exact.test.ts', // 22 s
  'test/integration/reminders.test.ts', // 16 s
  'test/integration/outage.test.ts', // 12 s
  'test/integration/reminders-race.test.ts', // 12 s
  'test/integration/series-invitation.test.ts', // 12 s
  'test/integration/figures-property.test.ts', // 10 s
  'test/integration/visits.test.ts', // 8 s
  'test/unit/planning/properties.test.ts', // 6 s
];

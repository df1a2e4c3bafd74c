/**
 * The files that run against the one local system the suite starts (test/system-setup.ts), in two lanes. The files of
 * a lane run one after another in one worker (test/lanes/*.test.ts imports them in this order); the two lanes run at
 * the same time as each other and as the rest of the suite, so only files that cannot disturb each other's data may
 * stand in different lanes:
 * - `currentWeeks`: the files that write in this week and the next few and compare the board, the start page or the
 *   therapist's day with GET /visits (the coordinator's week, the overview, the families, the therapist's phone);
 * - `elsewhere`: the files that only read, or write only where no file of the other lane looks (the smoke test's
 *   purges on its own copy, the pilot history 2023–2025 (read, and copied into a table of its own), the sign-in, the meetings 14–18 weeks ahead, new staff).
 * Every system file stands in exactly one lane (vitest.config.ts refuses to start otherwise).
 */
export const systemLanes = {
  currentWeeks: ['test/web/week.test.ts', 'test/web/overview.test.ts', 'test/web/families.test.ts', 'test/web/therapist.test.ts'],
  elsewhere: [
    'test/smoke/npm-start.test.ts',
    'test/integration/pilot-history.test.ts',
    'test/integration/pilot-background.test.ts',
    'test/web/sign-in.test.ts',
    'test/web/meetings.test.ts',
    'test/web/staff.test.ts',
  ],
} as const;

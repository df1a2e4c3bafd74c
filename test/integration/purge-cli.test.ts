import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTable } from '../helpers/api.js';
import type { History } from '../helpers/history.js';
import { buildHistory, figuresFor, itemsContaining, scanAll } from '../helpers/history.js';
import { EXIT_INVALID, parsePurgeArgs, runPurgeCommand } from '../../shared/cli/purge-command.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';

useTable();
const run = promisify(execFile);
const codeLike = /[A-Z]{2,5}-\d{4}-\d{2,4}/;

function io() {
  const out = { stdout: '', stderr: '' };
  let connected = false;
  return {
    out,
    connected: () => connected,
    io: {
      deps: async () => {
        connected = true;
        return defaultDeps();
      },
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
    },
  };
}

describe('npm run purge: arguments', () => {
  it.each([
    [['--as-of', '2027-13-01'], '--as-of: "2027-13-01" is not a date YYYY-MM-DD'],
    [['--as-of'], '--as-of needs a value'],
    [['--as-of', '--dry-run'], '--as-of needs a value'],
    [['--asof=2027-01-01'], 'unknown argument "--asof=2027-01-01"'],
    [['--team', 'Not A Team'], '--team: "Not A Team" is not a team id'],
    [['--dry-run=yes'], 'unknown argument "--dry-run=yes"'],
  ])('%j → exit 2 with a message, the table untouched', async (args, message) => {
    const cli = io();
    expect(await runPurgeCommand(args, cli.io)).toBe(EXIT_INVALID);
    expect(cli.out.stderr).toContain(message);
    expect(cli.out.stderr).toContain('usage: npm run purge --');
    expect(cli.connected()).toBe(false);
  });

  it('accepts --dry-run, --as-of and --team in either form', () => {
    expect(parsePurgeArgs(['--dry-run', '--as-of=2027-10-01', '--team', 'kalmar'])).toEqual({ dryRun: true, asOf: '2027-10-01', team: 'kalmar' });
  });

  it('the real script exits 2 on a bad date', async () => {
    const failed = await run('npx', ['tsx', 'shared/cli/purge.ts', '--as-of', '2027-02-30']).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('--as-of: "2027-02-30" is not a date YYYY-MM-DD');
  }, 300_000);
});

describe('npm run purge against a table', () => {
  let h: History;
  let before: string[];
  beforeAll(async () => {
    h = await buildHistory('cli-team', 'CLI');
    before = await figuresFor(h.coordinator);
  }, 300_000);

  it('--dry-run lists what would go and when, without a code or a staff id, and changes nothing', async () => {
    const items = await scanAll();
    const cli = io();
    expect(await runPurgeCommand(['--dry-run', '--as-of', '2027-10-01', '--team', h.teamId], cli.io)).toBe(0);
    expect(cli.out.stdout).toContain(`team ${h.teamId}, as of 2027-10-01`);
    expect(cli.out.stdout).toContain("would go now: 1 case, 1 declined referral, 1 meeting, 0 ended series, 1 former staff member's contacts");
    expect(cli.out.stdout).toMatch(/case\s+since 2026-09-15 {2}goes 2027-09-15 {2}\(due\)/);
    expect(cli.out.stdout).toMatch(/case\s+since 2026-11-20 {2}goes 2027-11-20\n/);
    expect(cli.out.stdout).not.toMatch(codeLike);
    expect(cli.out.stdout).not.toContain('lina');
    expect(await scanAll()).toEqual(items);
  });

  it('--as-of purges as on that date; --team limits it; bad team id is exit 2', async () => {
    const unknown = io();
    expect(await runPurgeCommand(['--team', 'no-such-team'], unknown.io)).toBe(EXIT_INVALID);
    const cli = io();
    expect(await runPurgeCommand(['--as-of', '2027-10-01', '--team', h.teamId], cli.io)).toBe(0);
    expect(cli.out.stdout).toMatch(/as of 2027-10-01: cases 1, declinedReferrals 1, .*figuresFolded 2/);
    expect(cli.out.stdout).not.toMatch(codeLike);
    expect(await figuresFor(h.coordinator)).toEqual(before);
    expect(itemsContaining(await scanAll(), h.oldCase)).toEqual([]);
  });
});

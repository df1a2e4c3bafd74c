import { DateTime } from 'luxon';
import { IsoDate, Slug } from '../schemas/common.js';
import type { PurgePreview } from '../schemas/retention.js';
import type { Team } from '../schemas/team.js';
import type { Deps } from '../use-cases/deps.js';
import { previewTeam, purgeTeam } from '../use-cases/purge.js';
import { listTeams } from '../store/teams.js';

/** What the command needs from the outside world: the store (resolved lazily, so bad arguments never touch it) and output. */
export interface PurgeCommandIo {
  deps: () => Promise<Deps>;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const PURGE_USAGE = 'usage: npm run purge -- [--dry-run] [--as-of YYYY-MM-DD] [--team <team-id>]';
export const EXIT_INVALID = 2;

interface PurgeArgs {
  dryRun: boolean;
  asOf: string | undefined;
  team: string | undefined;
}

/** Parses the arguments; every problem is one line naming the argument. */
export function parsePurgeArgs(args: readonly string[]): PurgeArgs | { errors: string[] } {
  const out: PurgeArgs = { dryRun: false, asOf: undefined, team: undefined };
  const errors: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--dry-run' && inline === undefined) {
      out.dryRun = true;
      continue;
    }
    if (flag !== '--as-of' && flag !== '--team') {
      errors.push(`unknown argument "${arg}"`);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === '' || value.startsWith('--')) {
      errors.push(`${flag} needs a value`);
      if (value?.startsWith('--')) i--;
      continue;
    }
    if (flag === '--as-of') {
      if (!IsoDate.safeParse(value).success) errors.push(`--as-of: "${value}" is not a date YYYY-MM-DD`);
      else out.asOf = value;
    } else if (!Slug.safeParse(value).success) errors.push(`--team: "${value}" is not a team id`);
    else out.team = value;
  }
  return errors.length > 0 ? { errors } : out;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The operator's view of a preview: what goes and when, never a case code or a staff id (those are the coordinator's, via the API). */
export function formatPreview(preview: PurgePreview): string {
  const s = preview.settings;
  const lines = [
    `team ${preview.teamId}, as of ${preview.asOf} (retention: case ${s.caseMonths} months, declined referral ${s.declinedMonths} months, meeting ${s.meetingMonths} months, staff contacts ${s.staffMonths} months, reminders ${s.reminderDays} days)`,
  ];
  const kinds = [
    ['case', 'case'],
    ['declinedReferral', 'declined referral'],
    ['meeting', 'meeting'],
    ['series', 'ended series', 'ended series'],
    ['staffContacts', "former staff member's contacts", "former staff members' contacts"],
    ['reminder', 'reminder record'],
  ] as const;
  const due = kinds.map(([kind, one, many]) => plural(preview.entries.filter((e) => e.kind === kind && e.due).length, one, many));
  lines.push(`  would go now: ${due.join(', ')}`);
  for (const [kind, one] of kinds) {
    const entries = preview.entries.filter((e) => e.kind === kind);
    if (entries.length === 0) continue;
    if (kind === 'meeting' || kind === 'reminder') {
      const later = entries.filter((e) => !e.due);
      lines.push(
        `  ${one}s: ${entries.filter((e) => e.due).length} due; ${later.length} later${later[0] ? `, the next on ${later[0].purgeOn}` : ''}`,
      );
      continue;
    }
    for (const e of entries) lines.push(`  ${one.padEnd(18)} since ${e.since}  goes ${e.purgeOn}${e.due ? '  (due)' : ''}`);
  }
  lines.push(`  case codes: GET /teams/${preview.teamId}/retention/preview (coordinator only)`);
  return `${lines.join('\n')}\n`;
}

/**
 * `npm run purge`: runs (or with --dry-run previews) every team's purge as of today in the team's zone, or as of
 * --as-of (tests, an operator catching up). Returns the exit code: 0; 2 for bad arguments; 1 when a team failed.
 */
export async function runPurgeCommand(args: readonly string[], io: PurgeCommandIo): Promise<number> {
  const parsed = parsePurgeArgs(args);
  if ('errors' in parsed) {
    io.stderr(`${parsed.errors.join('\n')}\n${PURGE_USAGE}\n`);
    return EXIT_INVALID;
  }
  const deps = await io.deps();
  const teams: Team[] = (await listTeams(deps.db)).filter((t) => parsed.team === undefined || t.id === parsed.team);
  if (parsed.team !== undefined && teams.length === 0) {
    io.stderr(`--team: no team "${parsed.team}"\n${PURGE_USAGE}\n`);
    return EXIT_INVALID;
  }
  let failed = 0;
  for (const team of teams) {
    const asOf = parsed.asOf ?? DateTime.fromJSDate(deps.now(), { zone: team.zone }).toISODate() ?? '';
    try {
      if (parsed.dryRun) io.stdout(formatPreview(await previewTeam(deps, team, asOf, false)));
      else {
        const receipt = await purgeTeam(deps, team, { asOf, actor: 'cli:purge' });
        const counts = Object.entries(receipt.counts)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${n}`);
        io.stdout(`team ${team.id}, as of ${asOf}: ${counts.length > 0 ? counts.join(', ') : 'nothing was due'} (receipt ${receipt.id})\n`);
      }
    } catch (error) {
      failed += 1;
      // The error's class only: a message could name a case.
      io.stderr(`team ${team.id}: the purge failed (${error instanceof Error ? error.name : 'error'}); run it again to finish\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

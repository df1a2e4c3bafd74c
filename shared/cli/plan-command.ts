import { planWeekExact } from '../domain/planning/plan-week-exact.js';
import { loadHighs } from '../solver/highs.js';
import { parsePlanningProblem } from '../schemas/planning.js';

/** What the command needs from the outside world, so tests can run it without touching the disk. */
export interface PlanCommandIo {
  readFile(path: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const PLAN_USAGE = 'usage: npm run plan -- --input problem.json [--output result.json]';

/** Exit code for bad arguments, an unreadable file, invalid JSON or an invalid problem. */
export const EXIT_INVALID = 2;

function parseArgs(args: readonly string[]): { input: string; output: string | undefined } | { error: string } {
  let input: string | undefined;
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag !== '--input' && flag !== '--output') return { error: `unknown argument "${arg}"` };
    const value = inline ?? args[++i];
    if (value === undefined || value === '' || value.startsWith('--')) return { error: `${flag} needs a file name` };
    if (flag === '--input') input = value;
    else output = value;
  }
  return input === undefined ? { error: '--input is required' } : { input, output };
}

/**
 * `npm run plan`: reads a §4 problem, plans the week, prints the result JSON (or writes it to
 * `--output`). Returns the exit code: 0, or 2 with one line per problem (each bad field by its path).
 */
export async function runPlanCommand(args: readonly string[], io: PlanCommandIo): Promise<number> {
  const parsed = parseArgs(args);
  if ('error' in parsed) {
    io.stderr(`${parsed.error}\n${PLAN_USAGE}\n`);
    return EXIT_INVALID;
  }
  let text: string;
  try {
    text = await io.readFile(parsed.input);
  } catch (error) {
    io.stderr(`cannot read ${parsed.input}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_INVALID;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    io.stderr(`${parsed.input} is not valid JSON: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_INVALID;
  }
  const problem = parsePlanningProblem(json);
  if (!problem.ok) {
    io.stderr(`${parsed.input} is not a valid planning problem:\n${problem.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}\n`);
    return EXIT_INVALID;
  }
  const result = `${JSON.stringify(planWeekExact(problem.problem, await loadHighs()), null, 2)}\n`;
  if (parsed.output === undefined) io.stdout(result);
  else await io.writeFile(parsed.output, result);
  return 0;
}

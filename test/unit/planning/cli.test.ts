import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_INVALID, type PlanCommandIo, runPlanCommand } from '../../../shared/cli/plan-command.js';
import { validatePlan } from '../../../shared/domain/planning/index.js';
import { PlanningResult } from '../../../shared/schemas/planning.js';
import { exampleInput, problemOf } from './fixtures.js';

const run = promisify(execFile);
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The command with files in memory and its output captured. */
function memoryIo(files: Record<string, string>): PlanCommandIo & { out: string; err: string; written: Record<string, string> } {
  const io = {
    out: '',
    err: '',
    written: {} as Record<string, string>,
    readFile: async (path: string) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
    writeFile: async (path: string, text: string) => {
      io.written[path] = text;
    },
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

describe('npm run plan (child process)', () => {
  it('prints a valid plan as JSON on stdout', async () => {
    // Arrange
    const input = join(dir, 'problem.json');
    await writeFile(input, JSON.stringify(exampleInput()));

    // Act
    const { stdout } = await run('npx', ['tsx', 'shared/cli/plan.ts', '--input', input], { cwd: process.cwd() });

    // Assert
    const result = PlanningResult.parse(JSON.parse(stdout));
    expect(result.stats.sessionsPlaced).toBe(5);
    expect(result.stats.sessionsProvenOptimal).toBe(true);
    expect(validatePlan(problemOf(exampleInput()), result)).toEqual([]);
  });

  it('exits with 2 and one line per bad field', async () => {
    // Arrange
    const bad = exampleInput();
    const family = bad.families[0];
    if (!family) throw new Error('fixture');
    family.familyTherapist = 'zed';
    family.place = 'Nybro';
    const input = join(dir, 'bad.json');
    await writeFile(input, JSON.stringify(bad));

    // Act
    const failure = await run('npx', ['tsx', 'shared/cli/plan.ts', '--input', input], { cwd: process.cwd() }).then(
      () => undefined,
      (error: unknown) => error as { code?: number; stderr?: string },
    );

    // Assert
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('families[0].familyTherapist: unknown staff id "zed"');
    expect(failure?.stderr).toContain('families[0].place: place "Nybro" is missing from travelMinutes');
  });
});

describe('runPlanCommand', () => {
  it('writes the result to --output instead of stdout', async () => {
    // Arrange
    const io = memoryIo({ 'p.json': JSON.stringify(exampleInput()) });

    // Act
    const code = await runPlanCommand(['--input', 'p.json', '--output', 'r.json'], io);

    // Assert
    expect(code).toBe(0);
    expect(io.out).toBe('');
    expect(PlanningResult.parse(JSON.parse(io.written['r.json'] ?? '')).week).toBe('2026-W48');
  });

  it.each([
    [[], '--input is required'],
    [['--input'], '--input needs a file name'],
    [['--inptu', 'p.json'], 'unknown argument "--inptu"'],
    [['--input', 'missing.json'], 'cannot read missing.json'],
    [['--input', 'broken.json'], 'broken.json is not valid JSON'],
    [['--input', 'empty.json'], 'week: Invalid input'],
  ])('exits with 2 for %j', async (args, message) => {
    // Arrange
    const io = memoryIo({ 'broken.json': '{"week": ', 'empty.json': '{}' });

    // Act
    const code = await runPlanCommand(args, io);

    // Assert
    expect(code).toBe(EXIT_INVALID);
    expect(io.err).toContain(message);
    expect(io.out).toBe('');
  });
});

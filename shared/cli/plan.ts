import { readFile, writeFile } from 'node:fs/promises';
import { runPlanCommand } from './plan-command.js';

// `npm run plan -- --input problem.json [--output result.json]` (SPEC §4); the logic lives in plan-command.ts.
process.exitCode = await runPlanCommand(process.argv.slice(2), {
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, text) => writeFile(path, text, 'utf8'),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});

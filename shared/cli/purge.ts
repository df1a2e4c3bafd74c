import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { createDb } from '../store/client.js';
import { defaultDeps } from '../use-cases/deps.js';
import { runPurgeCommand } from './purge-command.js';

// `npm run purge -- [--dry-run] [--as-of YYYY-MM-DD] [--team id]` (SPEC §10); the logic lives in purge-command.ts.
// The table: TABLE_NAME (and DYNAMODB_ENDPOINT) if set, otherwise the running `npm start` system's, which it writes to .local/.
const LocalSystemFile = z.object({ tableName: z.string(), dynamoEndpoint: z.url() });

async function deps() {
  if (process.env.TABLE_NAME) return defaultDeps();
  const file = join(process.env.IKB_LOCAL_DIR ?? join(process.cwd(), '.local'), 'local-system.json');
  if (!existsSync(file)) throw new Error('no table to purge: start the local system (npm start) or set TABLE_NAME');
  const local = LocalSystemFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  return { db: createDb({ tableName: local.tableName, endpoint: local.dynamoEndpoint }), now: () => new Date(), newId: () => randomUUID() };
}

try {
  process.exitCode = await runPurgeCommand(process.argv.slice(2), {
    deps,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  process.stderr.write(`npm run purge failed: ${error instanceof Error ? error.message : 'unknown error'}\n`);
  process.exitCode = 1;
}

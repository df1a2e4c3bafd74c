import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dbFromEnv } from '../../shared/store/client.js';
import type { CallOptions } from './api.js';
import { requestEvent } from './api.js';

const childSource = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

let childScript: Promise<string> | undefined;
/**
 * crash-child.ts with every route handler (its `import()` of functions/*.ts) bundled by esbuild, once per test
 * process: a child then starts in about half the CPU that `node --import tsx` takes to load the same TypeScript (0.3 s
 * against 0.65 s; a crash test starts about 75 children). Split into chunks, so a child loads only its own route's
 * handler and what it shares with the others (idempotency-crash: 27.7 → 25.0–25.9 s of CPU alone, 2026-12-07).
 */
function bundledChild(): Promise<string> {
  childScript ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ikb-crash-child-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await build({
      entryPoints: [childSource],
      bundle: true,
      splitting: true,
      outdir: dir,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      logLevel: 'warning',
      // Some of the AWS SDK's CommonJS modules call require().
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    return join(dir, 'crash-child.js');
  })();
  return childScript;
}

export interface ChildRun {
  /** True when the process was killed (SIGKILL) before it could answer. */
  killed: boolean;
  /** The answer, when it was not killed. */
  response?: { statusCode?: number; body?: string; headers?: Record<string, unknown> };
  /** The DynamoDB commands it sent, in order (only when it answered). */
  steps: string[];
}

/**
 * Sends one request to its route's real handler in a separate Node process that kills itself with SIGKILL right after
 * its DynamoDB request number `crashAfter` has been answered (see crash-child.ts); without `crashAfter` it answers.
 */
export async function runInChild(method: string, path: string, options: CallOptions, crashAfter?: number): Promise<ChildRun> {
  const { route, event } = requestEvent(method, path, options);
  const env: NodeJS.ProcessEnv = { ...process.env, IKB_CRASH_ROUTE: route.id, IKB_CRASH_EVENT: JSON.stringify(event) };
  if (crashAfter === undefined) delete env.IKB_CRASH_AFTER;
  else env.IKB_CRASH_AFTER = String(crashAfter);
  const child = spawn(process.execPath, [await bundledChild()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (c, s) => resolve({ code: c, signal: s })),
  );
  if (signal === 'SIGKILL') return { killed: true, steps: [] };
  if (code !== 0) throw new Error(`crash child exited ${String(code)} ${String(signal)}: ${stderr}`);
  const out = JSON.parse(stdout) as { response: ChildRun['response']; steps: string[] };
  return { killed: false, response: out.response, steps: out.steps };
}

/**
 * Time passes: every Idempotency-Key record still in progress gets a lock deadline in the past, as when the killed
 * Lambda's deadline has gone by (the record and everything else stay as the crash left them). Returns how many.
 */
export async function expireInProgressLocks(): Promise<number> {
  const db = dbFromEnv();
  let start: Record<string, unknown> | undefined;
  let expired = 0;
  do {
    const page = await db.doc.send(
      new ScanCommand({
        TableName: db.tableName,
        ConsistentRead: true,
        FilterExpression: 'idempotencyStatus = :p',
        ExpressionAttributeValues: { ':p': 'INPROGRESS' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      await db.doc.send(
        new UpdateCommand({
          TableName: db.tableName,
          Key: { pk: item['pk'], sk: item['sk'] },
          UpdateExpression: 'SET inProgressExpiresAt = :past',
          ExpressionAttributeValues: { ':past': 1 },
        }),
      );
      expired += 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return expired;
}

/**
 * A Lambda process that dies mid-request: runs one API request (the event in IKB_CRASH_EVENT) through its route's
 * real handler (functions/<route>.ts, middy stack and all) against the table in TABLE_NAME, and kills itself with
 * SIGKILL — what `kill -9` does — as soon as the DynamoDB request number IKB_CRASH_AFTER (1, 2, …) has been answered,
 * i.e. right after that write committed and before the process could do anything else. Without IKB_CRASH_AFTER, or
 * when the request needs fewer steps, it answers and prints `{ response, steps }` as JSON on stdout: `steps` names the
 * DynamoDB commands in order, so the parent knows how many points there are to crash at.
 *
 * Run by test/helpers/crash.ts, bundled by esbuild with every route handler (`node crash-child.mjs`).
 */
import type { Context } from 'aws-lambda';
import { dbFromEnv } from '../../shared/store/client.js';
import type { HttpEvent, HttpResult } from '../../shared/http/handler.js';
import { fixedClock, setDefaultClock } from '../../shared/use-cases/deps.js';

// The suite's pinned "now" (test/setup-env.ts), which this process inherits in IKB_FIXED_CLOCK.
if (process.env.IKB_FIXED_CLOCK) setDefaultClock(fixedClock(process.env.IKB_FIXED_CLOCK));

const routeId = process.env.IKB_CRASH_ROUTE ?? '';
const event = JSON.parse(process.env.IKB_CRASH_EVENT ?? '{}') as HttpEvent;
const crashAfter = process.env.IKB_CRASH_AFTER ? Number(process.env.IKB_CRASH_AFTER) : Number.POSITIVE_INFINITY;

const steps: string[] = [];
dbFromEnv().doc.middlewareStack.add(
  (next, context) => async (args) => {
    const output = await next(args);
    steps.push(String(context.commandName));
    if (steps.length === crashAfter) process.kill(process.pid, 'SIGKILL');
    return output;
  },
  { step: 'initialize', name: 'crashAfterStep' },
);

// createInquiry → functions/create-inquiry.ts
const file = routeId.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const mod = (await import(`../../functions/${file}.ts`)) as { handler: (event: HttpEvent, context: Context) => Promise<HttpResult> };
const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: routeId,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${routeId}`,
  memoryLimitInMB: '512',
  awsRequestId: 'crash-child',
  logGroupName: `/aws/lambda/${routeId}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;
const response = await mod.handler(event, context);
process.stdout.write(JSON.stringify({ response, steps }));

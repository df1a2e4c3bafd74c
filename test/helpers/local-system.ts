import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm start` run as a person runs it (the npm script, on-disk DynamoDB Local, seed, local SES, SMS outbox, API),
 * in its own IKB_LOCAL_DIR, and what it printed read back: the URLs and a token per demo user.
 */
export interface LocalSystemInfo {
  /** The web app (printed first), e.g. http://localhost:41235. */
  webUrl: string;
  /** The API, e.g. http://localhost:41234. */
  url: string;
  dynamoEndpoint: string;
  mailboxUrl: string;
  smsOutboxUrl: string;
  /** A bearer token per demo user, by name: admin, sara (coordinator), anna, erik, bo, lina. */
  tokens: Record<string, string>;
  /** Its IKB_LOCAL_DIR: `npm run purge`/`npm run token` with this IKB_LOCAL_DIR reach this system. */
  dir: string;
  /** Everything `npm start` printed until it was ready (the banner). */
  output: string;
}

export interface RunningLocalSystem extends LocalSystemInfo {
  /** Everything printed so far (the banner and anything after it). */
  printed: () => string;
  child: ChildProcess;
  /** Ctrl-C, as a person stops it: resolves with the exit code or signal ('timeout' if it had to be killed). */
  stop: () => Promise<number | string | null>;
}

/** The environment `npm start` gets: the suite's per-file settings removed, so it runs as on a developer's machine. */
export function localSystemEnv(dir: string, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PORT: '0', WEB_PORT: '0', IKB_LOCAL_DIR: dir, TABLE_NAME: '', DYNAMODB_ENDPOINT: '', IKB_FIXED_CLOCK: '', ...env };
}

const tokenLine = (output: string, who: string) => new RegExp(`\\n\\s+${who}\\s+\\S+\\s+(ey\\S+)`).exec(output)?.[1];
const printedUrl = (output: string, label: string) => new RegExp(`${label}\\s+(http://\\S+)`).exec(output)?.[1] ?? '';

/** The pilot history's state in the running system's local-system.json ('complete' when it says none: an older start). */
function pilotState(dir: string): string {
  try {
    const file = JSON.parse(readFileSync(join(dir, 'local-system.json'), 'utf8')) as { pilot?: { state?: string } };
    return file.pilot?.state ?? 'complete';
  } catch {
    return 'loading';
  }
}

/**
 * Starts `npm start` in `dir` and resolves once it printed its banner (the seed of a first start included) and, unless
 * `waitForPilot` is false, the pilot history it loads in the background is complete (local-system.json says so).
 */
export async function startLocalSystem(options: {
  dir: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  waitForPilot?: boolean;
}): Promise<RunningLocalSystem> {
  const child = spawn('npm', ['start', '--silent'], {
    env: localSystemEnv(options.dir, options.env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const timeoutMs = options.timeoutMs ?? 300_000;
  const banner = await new Promise<string>((resolve, reject) => {
    // A first start seeds the pilot history 2023–2025 through the use cases: generous on a shared 2-core machine.
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`npm start printed no banner within ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/API\s+http:\/\/localhost:\d+[\s\S]*Try:[\s\S]*pilot-report\.html/.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<number | string | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode);
    else child.once('exit', (code, signal) => resolve(code ?? signal));
  });
  if (options.waitForPilot ?? true) {
    const deadline = Date.now() + timeoutMs;
    for (let state = pilotState(options.dir); state !== 'complete'; state = pilotState(options.dir)) {
      if (state === 'failed' || Date.now() > deadline || child.exitCode !== null || child.signalCode !== null) {
        if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
        throw new Error(`npm start's pilot history is ${state === 'failed' ? 'failed' : `not complete within ${timeoutMs / 1000} s`}:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const tokens: Record<string, string> = {};
  for (const who of ['admin', 'sara', 'anna', 'erik', 'bo', 'lina']) {
    const token = tokenLine(banner, who);
    if (token) tokens[who] = token;
  }
  return {
    webUrl: printedUrl(banner, 'Web app'),
    url: printedUrl(banner, 'API'),
    dynamoEndpoint: printedUrl(banner, 'DynamoDB Local'),
    mailboxUrl: printedUrl(banner, 'E-mail \\(SES\\)'),
    smsOutboxUrl: printedUrl(banner, 'SMS outbox'),
    tokens,
    dir: options.dir,
    output: banner,
    printed: () => output,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return child.exitCode ?? child.signalCode;
      process.kill(-child.pid, 'SIGINT');
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000)));
      const result = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (result === 'timeout') process.kill(-child.pid, 'SIGKILL');
      return result;
    },
  };
}

/**
 * Copies a local system's stored data (DynamoDB Local's files) into `toDir`, so that `npm start` with
 * IKB_LOCAL_DIR=toDir, or DynamoDB Local with `dbPath: join(toDir, 'dynamodb')`, serves a private copy that a
 * test may change. Copy only data nobody is writing: the shared system's snapshot is taken before any test runs.
 */
export function copySystemData(fromDir: string, toDir: string): void {
  cpSync(join(fromDir, 'dynamodb'), join(toDir, 'dynamodb'), { recursive: true });
}

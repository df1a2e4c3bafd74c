import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** A system started as `npm start` starts it (a child process), with what it printed. */
export interface StartedSystem {
  child: ChildProcess;
  output: () => string;
  /** The API's URL. */
  url: string;
  /** The web app's URL. */
  webUrl: string;
}

/**
 * Starts `npm start` in `dir` (IKB_LOCAL_DIR) on free ports and resolves when it has printed its URLs. The first start
 * seeds the demo data and the pilot history: generous on a shared 2-core machine.
 */
export async function startNpm(dir: string, env: Record<string, string> = {}): Promise<StartedSystem> {
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, PORT: '0', WEB_PORT: '0', IKB_LOCAL_DIR: dir, TABLE_NAME: '', DYNAMODB_ENDPOINT: '', IKB_FIXED_CLOCK: '', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const urls = await new Promise<{ url: string; webUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 300 s:\n${output}`)), 300_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Web app\s+(http:\/\/localhost:\d+)[\s\S]*API\s+(http:\/\/localhost:\d+)[\s\S]*Try:/.exec(output);
      if (match?.[1] && match[2]) {
        clearTimeout(timer);
        resolve({ webUrl: match[1], url: match[2] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output, ...urls };
}

/** Stops it as Ctrl-C would (SIGINT to the process group); SIGKILL after 20 s. */
export async function stopNpm({ child }: Pick<StartedSystem, 'child'>): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return child.exitCode ?? child.signalCode;
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  process.kill(-child.pid, 'SIGINT');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000));
  const result = await Promise.race([exited, timeout]);
  if (result === 'timeout') process.kill(-child.pid, 'SIGKILL');
  child.stdout?.destroy();
  child.stderr?.destroy();
  return result;
}

/** The token `npm start` printed for a demo user. */
export const printedToken = (output: string, who: string): string | undefined => new RegExp(`\\n\\s+${who}\\s+\\S+\\s+(ey\\S+)`).exec(output)?.[1];

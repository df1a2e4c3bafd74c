import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as z from 'zod';

/** A running aws-ses-v2-local (a local SES v2 API with a mailbox page) and how to stop it. */
export interface SesLocal {
  /** Give this to `SESv2Client` as `endpoint` (with any credentials). */
  endpoint: string;
  /** The mailbox page to open in a browser. */
  mailboxUrl: string;
  /** The emulator's process id (to prove in tests that none is left behind). */
  pid: number;
  stop: () => Promise<void>;
}

// The child runs the package's own server function on loopback and exits as soon as its stdin closes: that happens when
// this process ends in any way (even SIGKILL), so no emulator outlives it. It prints the port the OS chose.
// With a mailbox file, the emulator's in-memory store (its dist/store.js, what GET /store shows) is loaded from the file
// before the server starts and written back (whole, atomically by rename) within a second of any change and on exit.
const CHILD = `
const fs = require('node:fs');
const path = require('node:path');
const [entry, port, file] = process.argv.slice(1);
let save = () => {};
if (file) {
  const { getStoreReadonly } = require(path.join(path.dirname(entry), 'store.js'));
  if (fs.existsSync(file)) getStoreReadonly().emails.push(...JSON.parse(fs.readFileSync(file, 'utf8')));
  let saved = getStoreReadonly().emails;
  let savedLength = saved.length;
  save = () => {
    const emails = getStoreReadonly().emails;
    if (emails === saved && emails.length === savedLength) return;
    fs.writeFileSync(file + '.tmp', JSON.stringify(emails));
    fs.renameSync(file + '.tmp', file);
    saved = emails;
    savedLength = emails.length;
  };
  setInterval(save, 1000).unref();
}
const exit = (code) => { try { save(); } finally { process.exit(code); } };
process.on('SIGTERM', () => exit(0));
process.on('SIGINT', () => exit(0));
process.stdin.on('close', () => exit(0));
process.stdin.resume();
require(entry).default({ host: '127.0.0.1', port: Number(port) })
  .then((server) => console.log('ses-local-port=' + server.address().port))
  .catch((error) => { console.error(error); process.exit(1); });
`;

/**
 * Starts aws-ses-v2-local in a child Node process on a free port (chosen by the OS at bind time unless `port` is given),
 * waits until its health check answers, and kills it on `stop()` or when this process exits. With `mailboxFile`, the
 * mailbox is kept in that JSON file across restarts (`npm start` uses `.local/ses-mailbox.json`); without, in memory only.
 */
export async function startSesLocal(options: { port?: number; mailboxFile?: string } = {}): Promise<SesLocal> {
  const entry = createRequire(import.meta.url).resolve('aws-ses-v2-local');
  const child = spawn(process.execPath, ['-e', CHILD, entry, String(options.port ?? 0), ...(options.mailboxFile ? [options.mailboxFile] : [])], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const portLine = new Promise<number>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
      const match = /ses-local-port=(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
  });
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  };
  try {
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`aws-ses-v2-local exited with code ${code}: ${output}`))),
    );
    exited.catch(() => undefined);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`aws-ses-v2-local did not start: ${output}`)), 30_000).unref(),
    );
    const port = await Promise.race([portLine, exited, timeout]);
    const endpoint = `http://127.0.0.1:${port}`;
    await waitForHealth(endpoint, () => child.exitCode !== null);
    return { endpoint, mailboxUrl: `${endpoint}/`, pid: child.pid ?? 0, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForHealth(endpoint: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !exited()) {
    const ok = await fetch(`${endpoint}/health-check`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`aws-ses-v2-local at ${endpoint} did not answer its health check`);
}

/** An e-mail as aws-ses-v2-local keeps it (`GET /store`); attachment content is base64. */
export const LocalEmail = z.object({
  messageId: z.string(),
  from: z.string(),
  replyTo: z.array(z.string()).default([]),
  destination: z.object({ to: z.array(z.string()), cc: z.array(z.string()), bcc: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ text: z.string().optional(), html: z.string().optional() }),
  attachments: z.array(z.object({ content: z.string(), contentType: z.string(), filename: z.string().optional(), size: z.number() }).loose()),
  at: z.number(),
});
export type LocalEmail = z.infer<typeof LocalEmail>;

const LocalStore = z.object({ emails: z.array(LocalEmail) });

/** Every e-mail the local SES has accepted, oldest first (`since`: epoch seconds, as the emulator takes it). */
export async function readLocalMailbox(endpoint: string, options: { since?: number } = {}): Promise<LocalEmail[]> {
  const url = new URL('/store', endpoint);
  if (options.since !== undefined) url.searchParams.set('since', String(options.since));
  const response = await fetch(url);
  if (!response.ok) throw new Error(`aws-ses-v2-local /store answered ${response.status}`);
  return LocalStore.parse(await response.json()).emails;
}

/** Empties the local mailbox (for benchmarks). */
export async function clearLocalMailbox(endpoint: string): Promise<void> {
  const response = await fetch(new URL('/clear-store', endpoint), { method: 'POST' });
  if (!response.ok) throw new Error(`aws-ses-v2-local /clear-store answered ${response.status}`);
}

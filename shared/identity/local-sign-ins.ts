import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { Group } from '../domain/principal.js';
import type { SignIn, SignInDirectory, SignInIdentity, StaffRef } from './sign-in-directory.js';
import { SignInDirectoryFailed, SignInTaken, belongsTo, normalEmail } from './sign-in-directory.js';

/** One sign-in as the local file keeps it (the local OpenID provider reads these). */
export const LocalSignIn = /* @__PURE__ */ (() =>
  z.object({
    /** Random and stable: the `sub` of the tokens the local provider issues. */
    sub: z.string().min(1),
    /** Lower-cased. */
    email: z.string().min(3),
    teamId: z.string().optional(),
    staffId: z.string().optional(),
    groups: z.array(Group),
    enabled: z.boolean(),
  }))();
export type LocalSignIn = z.infer<typeof LocalSignIn>;

const LocalSignInFile = /* @__PURE__ */ (() => z.array(LocalSignIn))();

/** `<IKB_LOCAL_DIR>/sign-ins.json` (IKB_LOCAL_DIR defaults to `.local` in the working directory). */
export function defaultSignInFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.IKB_LOCAL_DIR ?? join(process.cwd(), '.local'), 'sign-ins.json');
}

/** Every sign-in in the file; [] when the file does not exist yet. A file that is not a valid list throws. */
export async function readLocalSignIns(file: string): Promise<LocalSignIn[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return LocalSignInFile.parse(JSON.parse(text));
}

/** Writes the whole list atomically: a temporary file beside it, then a rename, so a reader never sees half a file. */
async function writeLocalSignIns(file: string, signIns: readonly LocalSignIn[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(signIns, null, 2)}\n`, { encoding: 'utf8', mode: 0o600 });
  await rename(temporary, file);
}

/** One read-modify-write at a time per file within this process (the local server runs every handler in one process). */
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(file: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(file) ?? Promise.resolve();
  const next = previous.then(work, work);
  queues.set(
    file,
    next.catch(() => undefined),
  );
  return next;
}

/** File errors as the port's failure (as Cognito's are), so the use cases treat both directories alike. */
async function failing<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new SignInDirectoryFailed(`${operation} sign-ins file`, error);
  }
}

const toSignIn = (s: LocalSignIn): SignIn => ({
  subject: s.sub,
  email: s.email,
  teamId: s.teamId,
  staffId: s.staffId,
  groups: [...s.groups],
  enabled: s.enabled,
});

/** The local sign-in directory: a JSON file that the local OpenID provider (`npm start`) reads to sign people in. */
export class LocalSignInDirectory implements SignInDirectory {
  constructor(private readonly file: string) {}

  /** Reads, changes and writes the file as one step; `change` returns what to answer and whether it changed anything. */
  private update<T>(change: (signIns: LocalSignIn[]) => { result: T; changed: boolean }): Promise<T> {
    return serialized(this.file, async () => {
      const signIns = await this.read();
      const { result, changed } = change(signIns);
      if (changed) await failing('write', () => writeLocalSignIns(this.file, signIns));
      return result;
    });
  }

  private read(): Promise<LocalSignIn[]> {
    return failing('read', () => readLocalSignIns(this.file));
  }

  async ensure(identity: SignInIdentity): Promise<SignIn> {
    const email = normalEmail(identity.email);
    return this.update((signIns) => {
      const existing = signIns.find((s) => s.email === email);
      if (existing) {
        if (!belongsTo(existing, identity)) throw new SignInTaken();
        const changed = existing.groups.length !== 1 || existing.groups[0] !== identity.group;
        existing.groups = [identity.group];
        return { result: toSignIn(existing), changed };
      }
      const created: LocalSignIn = {
        sub: randomUUID(),
        email,
        ...(identity.teamId !== undefined ? { teamId: identity.teamId } : {}),
        ...(identity.staffId !== undefined ? { staffId: identity.staffId } : {}),
        groups: [identity.group],
        enabled: true,
      };
      signIns.push(created);
      return { result: toSignIn(created), changed: true };
    });
  }

  private setEnabled(email: string, enabled: boolean): Promise<void> {
    const wanted = normalEmail(email);
    return this.update((signIns) => {
      const existing = signIns.find((s) => s.email === wanted);
      if (!existing || existing.enabled === enabled) return { result: undefined, changed: false };
      existing.enabled = enabled;
      return { result: undefined, changed: true };
    });
  }

  disable(email: string): Promise<void> {
    return this.setEnabled(email, false);
  }

  enable(email: string): Promise<void> {
    return this.setEnabled(email, true);
  }

  setGroup(email: string, group: Group): Promise<void> {
    const wanted = normalEmail(email);
    return this.update((signIns) => {
      const existing = signIns.find((s) => s.email === wanted);
      if (!existing || (existing.groups.length === 1 && existing.groups[0] === group)) return { result: undefined, changed: false };
      existing.groups = [group];
      return { result: undefined, changed: true };
    });
  }

  async find(email: string): Promise<SignIn | undefined> {
    const wanted = normalEmail(email);
    const found = (await this.read()).find((s) => s.email === wanted);
    return found ? toSignIn(found) : undefined;
  }

  /** Found by e-mail, as in Cognito, and only when it belongs to this staff record. */
  async findByStaff(staff: StaffRef): Promise<SignIn | undefined> {
    const found = await this.find(staff.email);
    return found && belongsTo(found, staff) ? found : undefined;
  }
}

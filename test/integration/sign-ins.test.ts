import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// This file runs the staff handlers with the local sign-in directory (the others run with SIGN_IN_MODE=off): set
// before the handler modules load, as Lambda's environment is.
const signInFile = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? '/tmp'}/ikb-sign-ins-${process.pid}-${Date.now()}/sign-ins.json`;
  process.env.SIGN_IN_MODE = 'local';
  process.env.SIGN_IN_FILE = file;
  return file;
});

import { demoAdminEmail, demoStaff, demoTeamId, ensureDemoSignIns, seedDemoTeam } from '../../infra/local/seed.js';
import { LocalSignInDirectory, readLocalSignIns } from '../../shared/identity/local-sign-ins.js';
import type { LocalSignIn } from '../../shared/identity/local-sign-ins.js';
import { SignInDirectoryFailed } from '../../shared/identity/sign-in-directory.js';
import type { SignInDirectory } from '../../shared/identity/sign-in-directory.js';
import { ServiceUnavailable } from '../../shared/domain/errors.js';
import { CreateStaffBody } from '../../shared/schemas/staff.js';
import * as staff from '../../shared/use-cases/staff.js';
import { listStaff } from '../../shared/store/staff.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';
import type { Caller } from '../helpers/api.js';
import { admin, call, coordinatorOf, fieldPaths, useTable } from '../helpers/api.js';
import { staffBody, teamBody } from '../helpers/fixtures.js';

useTable();
const team = 'signin-team';
const otherTeam = 'signin-other';
const coordinator = {
  ...coordinatorOf(team),
  principal: { subject: `${team}-coord`, teamId: team, staffId: 'coord', groups: new Set(['coordinator'] as const) },
};
const otherCoordinator = coordinatorOf(otherTeam);

const signIns = () => readLocalSignIns(signInFile);
const signInOf = async (teamId: string, staffId: string): Promise<LocalSignIn[]> =>
  (await signIns()).filter((s) => s.teamId === teamId && s.staffId === staffId);

/** One staff record ↔ one sign-in: every active record has exactly one enabled sign-in in its role's group, every inactive one a disabled one, and no sign-in names a record that does not exist. */
async function expectOneToOne(teamId: string): Promise<void> {
  const records = await listStaff(defaultDeps().db, teamId);
  const all = (await signIns()).filter((s) => s.teamId === teamId);
  for (const record of records) {
    const mine = all.filter((s) => s.staffId === record.id);
    expect(mine, record.id).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      email: record.email?.toLowerCase(),
      enabled: record.active,
      groups: [record.role === 'coordinator' ? 'coordinator' : 'therapist'],
    });
  }
  expect(all.map((s) => s.staffId).sort()).toEqual(records.map((r) => r.id).sort());
  expect(new Set(all.map((s) => s.sub)).size).toBe(all.length);
}

/** The directory's methods bound to it, so one can be replaced in a copy. */
const bound = (d: SignInDirectory): SignInDirectory => ({
  ensure: (i) => d.ensure(i),
  disable: (e) => d.disable(e),
  enable: (e) => d.enable(e),
  setGroup: (e, g) => d.setGroup(e, g),
  find: (e) => d.find(e),
  findByStaff: (s) => d.findByStaff(s),
});

async function create(as: Caller, body: Record<string, unknown>) {
  return call('POST', '/staff', { as, body });
}

beforeAll(async () => {
  for (const id of [team, otherTeam]) expect((await call('POST', '/teams', { as: admin, body: teamBody(id) })).status).toBe(201);
});

describe('staff sign-ins (local directory, through the real handlers)', () => {
  it('adding a staff member creates their sign-in: lower-cased e-mail, team, staff id, the group of their role, enabled, a random stable sub', async () => {
    expect((await create(coordinator, { ...staffBody('nina', 'family_therapist'), email: 'Nina.Berg@IKB.example' })).status).toBe(201);
    expect((await create(coordinator, staffBody('coord', 'coordinator'))).status).toBe(201);
    const [nina] = await signInOf(team, 'nina');
    expect(nina).toEqual({
      sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'nina.berg@ikb.example',
      teamId: team,
      staffId: 'nina',
      groups: ['therapist'],
      enabled: true,
    });
    expect((await signInOf(team, 'coord'))[0]).toMatchObject({ groups: ['coordinator'], enabled: true });
    await expectOneToOne(team);
  });

  it('refuses an e-mail that already signs in as someone else with 409 on email, and writes neither record nor sign-in', async () => {
    const before = await signIns();
    const res = await create(otherCoordinator, { ...staffBody('nina', 'family_therapist'), email: 'NINA.berg@ikb.example' });
    expect(res.status).toBe(409);
    expect(fieldPaths(res.body)).toEqual(['email']);
    expect(JSON.stringify(res.body)).not.toContain(team);
    expect((await call('GET', '/staff/nina', { as: otherCoordinator })).status).toBe(404);
    expect(await signIns()).toEqual(before);
    // The administrator's e-mail is a sign-in too.
    await new LocalSignInDirectory(signInFile).ensure({ email: 'root@ikb.example', group: 'admin' });
    expect((await create(coordinator, { ...staffBody('root', 'coordinator'), email: 'root@ikb.example' })).status).toBe(409);
    expect((await call('GET', '/staff/root', { as: coordinator })).status).toBe(404);
  });

  it('a duplicate staff id is 409 as before and creates no second sign-in', async () => {
    const res = await create(coordinator, { ...staffBody('nina', 'family_therapist'), email: 'someone.else@ikb.example' });
    expect(res.status).toBe(409);
    expect((await signIns()).some((s) => s.email === 'someone.else@ikb.example')).toBe(false);
    await expectOneToOne(team);
  });

  it('deactivating disables the sign-in at once (same sub), and a later change keeps it disabled', async () => {
    expect((await create(coordinator, staffBody('pia', 'individual_therapist'))).status).toBe(201);
    const [before] = await signInOf(team, 'pia');
    expect((await call('POST', '/staff/pia/deactivate', { as: coordinator, body: { version: 1 } })).status).toBe(200);
    const [after] = await signInOf(team, 'pia');
    expect(after).toEqual({ ...before, enabled: false });
    expect((await call('PATCH', '/staff/pia', { as: coordinator, body: { version: 2, maxVisitsPerDay: 2 } })).status).toBe(200);
    expect((await signInOf(team, 'pia'))[0]?.enabled).toBe(false);
    await expectOneToOne(team);
  });

  it('a stale deactivation is 409 and leaves the sign-in enabled', async () => {
    expect((await create(coordinator, staffBody('tove', 'family_therapist'))).status).toBe(201);
    expect((await call('PATCH', '/staff/tove', { as: coordinator, body: { version: 1, maxVisitsPerDay: 2 } })).status).toBe(200);
    expect((await call('POST', '/staff/tove/deactivate', { as: coordinator, body: { version: 1 } })).status).toBe(409);
    expect((await signInOf(team, 'tove'))[0]?.enabled).toBe(true);
  });

  it('a role change moves the group; a change between the therapist roles keeps it', async () => {
    expect((await create(coordinator, staffBody('ulf', 'family_therapist'))).status).toBe(201);
    expect((await call('PATCH', '/staff/ulf', { as: coordinator, body: { version: 1, role: 'coordinator' } })).status).toBe(200);
    expect((await signInOf(team, 'ulf'))[0]?.groups).toEqual(['coordinator']);
    expect((await call('PATCH', '/staff/ulf', { as: coordinator, body: { version: 2, role: 'individual_therapist' } })).status).toBe(200);
    expect((await signInOf(team, 'ulf'))[0]?.groups).toEqual(['therapist']);
    expect((await call('PATCH', '/staff/ulf', { as: coordinator, body: { version: 3, role: 'family_therapist' } })).status).toBe(200);
    expect((await signInOf(team, 'ulf'))[0]?.groups).toEqual(['therapist']);
    // A stale role change is 409 and moves nothing.
    expect((await call('PATCH', '/staff/ulf', { as: coordinator, body: { version: 1, role: 'coordinator' } })).status).toBe(409);
    expect((await signInOf(team, 'ulf'))[0]?.groups).toEqual(['therapist']);
    await expectOneToOne(team);
  });

  it('refuses to change the e-mail of a person who has a sign-in (409 on email), and accepts the same e-mail in another case', async () => {
    const res = await call('PATCH', '/staff/ulf', { as: coordinator, body: { version: 4, email: 'ulf.new@ikb.example' } });
    expect(res.status).toBe(409);
    expect(fieldPaths(res.body)).toEqual(['email']);
    expect((await call('GET', '/staff/ulf', { as: coordinator })).body as { version: number; email: string }).toMatchObject({
      version: 4,
      email: 'ulf@ikb.example',
    });
    expect((await call('PATCH', '/staff/ulf', { as: coordinator, body: { version: 4, email: 'ULF@ikb.example' } })).status).toBe(200);
  });

  it('converges after the sign-in step fails: 503 saying the record was saved, then the same request again finishes it', async () => {
    // The first attempt through the use case with a directory that answers look-ups but fails to create (as Cognito
    // would when AdminCreateUser times out); the retry through the real handler and the real local directory.
    const local = new LocalSignInDirectory(signInFile);
    const failingCreate: SignInDirectory = {
      ...bound(local),
      ensure: () => Promise.reject(new SignInDirectoryFailed('AdminCreateUser', new Error('timeout'))),
    };
    const first = staff.createStaff(
      { ...defaultDeps(), signIns: failingCreate },
      coordinator.principal,
      CreateStaffBody.parse(staffBody('vera', 'family_therapist')),
    );
    await expect(first).rejects.toBeInstanceOf(ServiceUnavailable);
    await expect(first).rejects.toThrow(/saved.*send the same request again/);
    expect((await call('GET', '/staff/vera', { as: coordinator })).status).toBe(200);
    expect(await signInOf(team, 'vera')).toEqual([]);
    const retried = await create(coordinator, staffBody('vera', 'family_therapist'));
    expect(retried.status).toBe(409);
    expect(await signInOf(team, 'vera')).toHaveLength(1);
    await expectOneToOne(team);
  });

  it('an unreachable directory before anything is written is 503 and changes nothing', async () => {
    const saved = await signIns();
    rmSync(signInFile);
    mkdirSync(signInFile); // the file is briefly a directory: every read fails
    try {
      const failed = await create(coordinator, staffBody('wilma', 'family_therapist'));
      expect(failed.status).toBe(503);
      expect(JSON.stringify(failed.body)).not.toMatch(/wilma@|EISDIR|sign-ins\.json/);
      expect((await call('POST', '/staff/tove/deactivate', { as: coordinator, body: { version: 2 } })).status).toBe(503);
    } finally {
      rmSync(signInFile, { recursive: true });
      writeFileSync(signInFile, JSON.stringify(saved));
    }
    expect((await call('GET', '/staff/wilma', { as: coordinator })).status).toBe(404);
    expect(((await call('GET', '/staff/tove', { as: coordinator })).body as { active: boolean }).active).toBe(true);
    await expectOneToOne(team);
  });

  it('concurrent creates: each person gets exactly one sign-in, and the same person twice gets one record and one sign-in', async () => {
    const ids = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
    const results = await Promise.all(ids.map((id) => create(coordinator, staffBody(id, 'individual_therapist'))));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 201));
    const same = await Promise.all([1, 2, 3].map(() => create(coordinator, staffBody('xena', 'family_therapist'))));
    expect(same.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    await expectOneToOne(team);
    // Two teams adding the same e-mail at once: one wins; the other's record is undone, so its 409 changed nothing.
    const raced = await Promise.all([
      create(coordinator, { ...staffBody('yara', 'family_therapist'), email: 'shared@ikb.example' }),
      create(otherCoordinator, { ...staffBody('yara', 'family_therapist'), email: 'shared@ikb.example' }),
    ]);
    expect(raced.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = raced[0]?.status === 201 ? coordinator : otherCoordinator;
    const loser = winner === coordinator ? otherCoordinator : coordinator;
    expect((await call('GET', '/staff/yara', { as: winner })).status).toBe(200);
    expect((await call('GET', '/staff/yara', { as: loser })).status).toBe(404);
    expect((await signIns()).filter((s) => s.email === 'shared@ikb.example')).toHaveLength(1);
    await expectOneToOne(team);
    await expectOneToOne(otherTeam);
  });

  it('the demo start: admin and every demo staff member get a sign-in, also when staff exist but the sign-ins file does not', async () => {
    const deps = { ...defaultDeps(), signIns: new LocalSignInDirectory(signInFile) };
    await seedDemoTeam(deps);
    await ensureDemoSignIns(deps);
    const first = await signIns();
    expect(first.find((s) => s.email === demoAdminEmail)).toMatchObject({ groups: ['admin'], enabled: true });
    expect(first.find((s) => s.email === demoAdminEmail)?.teamId).toBeUndefined();
    for (const member of demoStaff)
      expect(
        first.filter((s) => s.teamId === demoTeamId && s.staffId === member.id),
        member.id,
      ).toHaveLength(1);
    await expectOneToOne(demoTeamId);

    // An existing .local from before sign-ins: the staff are there, the file is not.
    rmSync(signInFile);
    await ensureDemoSignIns(deps);
    await expectOneToOne(demoTeamId);
    expect((await signIns()).filter((s) => s.email === demoAdminEmail)).toHaveLength(1);
    // A second start changes nothing: the same subjects.
    const again = await signIns();
    await ensureDemoSignIns(deps);
    expect(await signIns()).toEqual(again);
  });
});

describe('the sign-ins file', () => {
  it('reads a missing file as no sign-ins and refuses a malformed one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ikb-sign-ins-'));
    expect(await readLocalSignIns(join(dir, 'missing.json'))).toEqual([]);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'bad.json'), '[{"sub":1}]');
    await expect(readLocalSignIns(join(dir, 'bad.json'))).rejects.toThrow();
  });
});

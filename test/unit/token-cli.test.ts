import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { jwksVerifier, loadOrCreateSigningKey } from '../../infra/local/dev-tokens.js';
import { webClientId } from '../../infra/local/oidc.js';

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const emptyDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ikb-token-'));
  dirs.push(dir);
  return dir;
};
const token = (dir: string, who = 'admin') =>
  run('npx', ['tsx', 'infra/local/token.ts', who], { env: { ...process.env, IKB_LOCAL_DIR: dir } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

// Issue 24 §6: in a folder without the running system, `npm run token` silently made a new signing key, and its
// token got a bare 401 from the system that was running elsewhere.
describe('npm run token', () => {
  it('where no system has run: says so, points to IKB_LOCAL_DIR, exits 2 and creates no key', async () => {
    const dir = emptyDir();
    const res = await token(dir);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('no running system here');
    expect(res.stderr).toContain('IKB_LOCAL_DIR');
    expect(res.stderr).toContain(dir);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'oidc-signing-key.json'))).toBe(false);
  });

  it('with the system’s key and its issuer: an ID token the provider’s JWKS verifies; not running: exit 2, no token', async () => {
    const dir = emptyDir();
    const key = await loadOrCreateSigningKey(join(dir, 'oidc-signing-key.json'));
    const stopped = await token(dir);
    expect(stopped.code).toBe(2);
    expect(stopped.stdout).toBe('');
    expect(stopped.stderr).toContain('not running');
    const issuer = 'http://localhost:3999/oidc';
    writeFileSync(join(dir, 'local-system.json'), JSON.stringify({ tableName: 't', dynamoEndpoint: 'http://127.0.0.1:1', issuer }));
    const running = await token(dir);
    expect(running.code).toBe(0);
    expect(running.stderr).toBe('');
    const verify = jwksVerifier({ keys: [key.publicJwk], issuer, audience: webClientId });
    expect(await verify(running.stdout.trim())).toMatchObject({ sub: 'admin', 'cognito:groups': '[admin]' });
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SignJWT, jwtVerify } from 'jose';
import { claimNames } from '../../shared/http/principal.js';
import type { Group } from '../../shared/http/principal.js';

/** Who a dev token is for: the same facts a Cognito ID token carries. */
export interface DevIdentity {
  subject: string;
  teamId?: string | undefined;
  staffId?: string | undefined;
  groups: Group[];
}

const issuer = 'ikb-planner-local';
const audience = 'ikb-planner';

/** The local signing key at `path`, if a system has made one there. */
export function loadKey(path: string): Uint8Array | undefined {
  return existsSync(path) ? Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url') : undefined;
}

/** The local signing key: created once under .local/ (git-ignored), so tokens survive restarts. */
export function loadOrCreateKey(path: string): Uint8Array {
  const existing = loadKey(path);
  if (existing) return existing;
  const key = randomBytes(32);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, key.toString('base64url'), { mode: 0o600 });
  return key;
}

/** Signs a dev token (HS256, 12 h) with the claims the Cognito authorizer would pass on. */
export async function signDevToken(key: Uint8Array, who: DevIdentity): Promise<string> {
  return new SignJWT({
    [claimNames.groups]: who.groups,
    ...(who.teamId ? { [claimNames.team]: who.teamId } : {}),
    ...(who.staffId ? { [claimNames.staff]: who.staffId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(who.subject)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(key);
}

/**
 * Verifies a dev token and returns its claims in API Gateway's shape: every claim a string, arrays as "[a b]",
 * exactly as the HTTP API JWT authorizer hands them to a Lambda. Undefined when the token is not valid.
 */
export async function verifyDevToken(key: Uint8Array, token: string): Promise<Record<string, string> | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, { issuer, audience, algorithms: ['HS256'] });
    const claims: Record<string, string> = {};
    for (const [name, value] of Object.entries(payload)) {
      claims[name] = Array.isArray(value) ? `[${value.join(' ')}]` : String(value);
    }
    return claims;
  } catch {
    return undefined;
  }
}

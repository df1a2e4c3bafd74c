import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';
import type { JWK } from 'jose';
import { claimNames } from '../../shared/domain/principal.js';
import type { Group } from '../../shared/domain/principal.js';

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

/** The local OpenID provider's RS256 key pair (as JWKs), kept under .local/ so tokens and sessions survive restarts. */
export interface LocalSigningKey {
  privateJwk: JWK & { kid: string; alg: 'RS256'; use: 'sig' };
  publicJwk: JWK & { kid: string; alg: 'RS256'; use: 'sig' };
}

/** Loads the local provider's signing key from `path`, creating it on first use. */
export async function loadOrCreateSigningKey(path: string): Promise<LocalSigningKey> {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as LocalSigningKey;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(8).toString('hex');
  const key: LocalSigningKey = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(key), { mode: 0o600 });
  return key;
}

/**
 * Signs an ID token (RS256, 12 h) as the local OpenID provider would issue it, for curl and scripts
 * (`npm run token`): the API verifies both alike, against the provider's JWKS.
 */
export async function signLocalIdToken(key: LocalSigningKey, who: DevIdentity, options: { issuer: string; audience: string }): Promise<string> {
  return new SignJWT({
    [claimNames.groups]: who.groups,
    ...(who.teamId ? { [claimNames.team]: who.teamId } : {}),
    ...(who.staffId ? { [claimNames.staff]: who.staffId } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.privateJwk.kid })
    .setSubject(who.subject)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(await importJWK(key.privateJwk, 'RS256'));
}

/** API Gateway hands every claim to the Lambda as a string, arrays as "[a b]". */
function gatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) claims[name] = Array.isArray(value) ? `[${value.join(' ')}]` : String(value);
  return claims;
}

/**
 * What API Gateway's JWT authorizer does with the Cognito pool: verifies an RS256 token against the issuer's JWKS,
 * its issuer and audience (the app client), and hands the claims on. Undefined when the token is not valid.
 */
export function jwksVerifier(options: {
  keys: JWK[];
  issuer: string;
  audience: string;
}): (token: string) => Promise<Record<string, string> | undefined> {
  const jwks = createLocalJWKSet({ keys: options.keys });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: options.issuer, audience: options.audience, algorithms: ['RS256'] });
      return gatewayClaims(payload);
    } catch {
      return undefined;
    }
  };
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

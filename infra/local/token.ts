import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { loadOrCreateSigningKey, signLocalIdToken } from './dev-tokens.js';
import { webClientId } from './oidc.js';
import { demoIdentities } from './seed.js';
import { localDir } from './system.js';

/** `npm run token -- <staff-id | admin>`: prints a fresh ID token of the local OpenID provider for a demo identity. */
const who = process.argv[2];
const identities = demoIdentities();
const identity = identities.find((i) => (i.staffId ?? i.subject) === who);
if (!identity) {
  console.error(`usage: npm run token -- <id>   (one of: ${identities.map((i) => i.staffId ?? i.subject).join(', ')})`);
  process.exit(2);
}
const systemFile = join(localDir, 'local-system.json');
const keyFile = join(localDir, 'oidc-signing-key.json');
const running = existsSync(systemFile) ? z.object({ issuer: z.string() }).safeParse(JSON.parse(readFileSync(systemFile, 'utf8'))) : undefined;
if (!running?.success || !existsSync(keyFile)) {
  console.error(`No running system in ${localDir}: start it with \`npm start\` (or set IKB_LOCAL_DIR to the folder the running system uses).`);
  process.exit(2);
}
console.log(await signLocalIdToken(await loadOrCreateSigningKey(keyFile), identity, { issuer: running.data.issuer, audience: webClientId }));

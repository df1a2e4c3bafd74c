import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { loadOrCreateSigningKey, signLocalIdToken } from './dev-tokens.js';
import { webClientId } from './oidc.js';
import { demoIdentities } from './seed.js';
import { localDir } from './system.js';

/**
 * `npm run token -- <staff-id | admin>`: prints a fresh ID token of the local OpenID provider for a demo identity,
 * signed with the key of the system `npm start` runs from this folder (or IKB_LOCAL_DIR), for its issuer. It never
 * makes a key: one made here would sign tokens the running system answers with a bare 401 (issue 24 §6).
 */
const who = process.argv[2];
const identities = demoIdentities();
const identity = identities.find((i) => (i.staffId ?? i.subject) === who);
if (!identity) {
  console.error(`usage: npm run token -- <id>   (one of: ${identities.map((i) => i.staffId ?? i.subject).join(', ')})`);
  process.exit(2);
}
const keyPath = join(localDir, 'oidc-signing-key.json');
const systemFile = join(localDir, 'local-system.json');
const running = existsSync(systemFile) ? z.object({ issuer: z.string() }).safeParse(JSON.parse(readFileSync(systemFile, 'utf8'))) : undefined;
if (!existsSync(keyPath) || !running?.success) {
  console.error(
    [
      existsSync(keyPath)
        ? `npm run token: the system of ${localDir} is not running now, so its sign-in issuer (its URL) is unknown; start it with \`npm start\`.`
        : `npm run token: no running system here — ${keyPath} does not exist, so no token can be made that a running system accepts.`,
      'Run it in the folder where `npm start` runs, or set IKB_LOCAL_DIR to that system’s .local folder, e.g.',
      '  IKB_LOCAL_DIR=/path/to/ikb-planner/.local npm run token -- sara',
    ].join('\n'),
  );
  process.exit(2);
}
console.log(await signLocalIdToken(await loadOrCreateSigningKey(keyPath), identity, { issuer: running.data.issuer, audience: webClientId }));

import { join } from 'node:path';
import { loadOrCreateKey, signDevToken } from './dev-tokens.js';
import { demoIdentities } from './seed.js';
import { localDir } from './system.js';

/** `npm run token -- <staff-id | admin>`: prints a fresh dev token for a demo identity. */
const who = process.argv[2];
const identities = demoIdentities();
const identity = identities.find((i) => (i.staffId ?? i.subject) === who);
if (!identity) {
  console.error(`usage: npm run token -- <id>   (one of: ${identities.map((i) => i.staffId ?? i.subject).join(', ')})`);
  process.exit(2);
}
console.log(await signDevToken(loadOrCreateKey(join(localDir, 'dev-signing-key')), identity));

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadKey, signDevToken } from './dev-tokens.js';
import { demoIdentities } from './seed.js';
import { localDir } from './system.js';

/**
 * `npm run token -- <staff-id | admin>`: prints a fresh dev token for a demo identity, signed with the key of the
 * system `npm start` runs from this folder (or IKB_LOCAL_DIR). It never makes a key: one made here would sign tokens
 * the running system answers with a bare 401 (issue 24 §6).
 */
const who = process.argv[2];
const identities = demoIdentities();
const identity = identities.find((i) => (i.staffId ?? i.subject) === who);
if (!identity) {
  console.error(`usage: npm run token -- <id>   (one of: ${identities.map((i) => i.staffId ?? i.subject).join(', ')})`);
  process.exit(2);
}
const keyPath = join(localDir, 'dev-signing-key');
const key = loadKey(keyPath);
if (!key) {
  console.error(
    [
      `npm run token: no running system here — ${keyPath} does not exist, so no token can be made that a running system accepts.`,
      'Run it in the folder where `npm start` runs, or set IKB_LOCAL_DIR to that system’s .local folder, e.g.',
      '  IKB_LOCAL_DIR=/path/to/ikb-planner/.local npm run token -- sara',
    ].join('\n'),
  );
  process.exit(2);
}
if (!existsSync(join(localDir, 'local-system.json'))) {
  console.error(`npm run token: note: the system of ${localDir} is not running now; the token is for it once \`npm start\` runs there.`);
}
console.log(await signDevToken(key, identity));

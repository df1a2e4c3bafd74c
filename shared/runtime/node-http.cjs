// `node:http` for the Lambda bundles, loaded through require() (issue 14 §2). A bundled ESM `import … from
// "node:http"` (only @middy/util has one, for STATUS_CODES) makes Node build the module's ESM namespace, which
// reads every lazy export of `http` and so loads undici (fetch, WebSocket): ≈ 40 ms of every cold start for
// nothing. infra/bundling.ts aliases `node:http` to this file; require('http') (no `node:` prefix, so the alias
// does not catch it again) returns the same module without that cost.
/* global module, require */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the point of this file: require(), not import
module.exports = require('http');

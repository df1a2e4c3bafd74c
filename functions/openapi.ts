import { brotliDecompressSync } from 'node:zlib';
import type { Core } from '../shared/http/handler.js';
import { httpHandler, RawResponse } from '../shared/http/handler.js';
import { openApiBrotli } from '../shared/http/openapi.generated.js';
import * as routes from '../shared/http/route-defs.js';

// Generated from the route table by `npm run openapi` (a unit test keeps it current): decompressing it at load costs
// ≈ 2 ms, where building the document from every zod schema cost ≈ 100 ms of each cold start.
const document = brotliDecompressSync(Buffer.from(openApiBrotli, 'base64')).toString('utf8');

export const core: Core<typeof routes.openapi> = async () =>
  new RawResponse(200, document, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' });
export const handler = httpHandler(routes.openapi, core);

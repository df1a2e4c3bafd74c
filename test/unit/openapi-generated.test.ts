import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/http/openapi.js';
import { openApiBrotli } from '../../shared/http/openapi.generated.js';
import { allRoutes } from '../../shared/http/routes.js';
import { appVersion } from '../../shared/version.js';
import { webTypesFile, webTypesSource } from '../../shared/cli/openapi.js';

describe('the generated OpenAPI document the openapi function serves', () => {
  it('is the document built from the route table now (else: npm run openapi)', () => {
    const served = JSON.parse(brotliDecompressSync(Buffer.from(openApiBrotli, 'base64')).toString('utf8')) as unknown;
    expect(served, 'shared/http/openapi.generated.ts is stale: run `npm run openapi` and commit it').toEqual(openApiDocument(allRoutes, appVersion));
  });
});

describe("the web app's API types", () => {
  it('are generated from the document now (else: npm run openapi)', async () => {
    expect(readFileSync(webTypesFile, 'utf8'), 'web/src/api/schema.d.ts is stale: run `npm run openapi` and commit it').toBe(await webTypesSource());
  });
});

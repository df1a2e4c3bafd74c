import { build } from 'esbuild';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { allRoutes, handlerFileOf } from '../../shared/http/routes.js';
import { httpEvent, lambdaContext } from '../../infra/local/http-event.js';

const out = mkdtempSync(join(tmpdir(), 'ikb-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('Lambda bundles', () => {
  it('has a handler file for every route, and every function bundles as the ApiFunction construct bundles it', async () => {
    for (const route of allRoutes) expect(existsSync(`functions/${handlerFileOf(route.id)}.ts`), route.id).toBe(true);
    const entries = readdirSync('functions').filter((f) => f.endsWith('.ts')).map((f) => `functions/${f}`);
    expect(entries.length).toBeGreaterThan(allRoutes.length);
    // Same options as infra/constructs/api-function.ts; the AWS SDK v3 is provided by the Node.js 24 runtime.
    const result = await build({
      entryPoints: entries,
      outdir: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      minify: true,
      outExtension: { '.js': '.mjs' },
      mainFields: ['module', 'main'],
      external: ['@aws-sdk/*'],
      banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes('aws-cdk-lib'))).toBe(false);
    expect(inputs.some((i) => i.includes('infra/'))).toBe(false);
  });

  it('runs a bundled handler as Lambda would', async () => {
    const mod = (await import(pathToFileURL(join(out, 'health.mjs')).href)) as { handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }> };
    const route = allRoutes.find((r) => r.id === 'health');
    if (!route) throw new Error('no health route');
    const res = await mod.handler(httpEvent({ route, path: '/health', pathParameters: {} }), lambdaContext('health'));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
  });
});

import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_LIMIT_BYTES, esbuildOptionsOf } from '../../infra/bundling.js';
import { allRoutes, handlerFileOf } from '../../shared/http/routes.js';
import { httpEvent, lambdaContext } from '../../infra/local/http-event.js';

const out = mkdtempSync(join(tmpdir(), 'ikb-bundle-'));
const entries = readdirSync('functions')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `functions/${f}`);
let metafile: Metafile;
let errors: unknown[];

beforeAll(async () => {
  // The very options the synth bundles with (infra/bundling.ts), all entries in one esbuild run as there.
  const result = await build(esbuildOptionsOf(entries, out));
  metafile = result.metafile;
  errors = result.errors;
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** The package (or project folder) an esbuild input belongs to. */
function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? input.split('/')[0] ?? input;
}

describe('Lambda bundles', () => {
  it('has a handler file for every route, and every function bundles as the ApiFunction construct bundles it', () => {
    for (const route of allRoutes) expect(existsSync(`functions/${handlerFileOf(route.id)}.ts`), route.id).toBe(true);
    expect(entries.length).toBeGreaterThan(allRoutes.length);
    expect(errors).toEqual([]);
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((i) => i.includes('aws-cdk-lib'))).toBe(false);
    expect(inputs.some((i) => i.includes('infra/'))).toBe(false);
    expect(inputs.some((i) => i.includes('node_modules/@aws-sdk/'))).toBe(false);
  });

  it(`keeps every function's JavaScript bundle under ${kb(BUNDLE_LIMIT_BYTES)} (source maps and file assets such as .wasm counted apart)`, () => {
    const outputs = Object.entries(metafile.outputs);
    const bundles = outputs
      .filter(([, output]) => output.entryPoint !== undefined)
      .map(([file, output]) => {
        const map = metafile.outputs[`${file}.map`];
        const biggest = Object.entries(output.inputs).reduce(
          (byPackage, [input, { bytesInOutput }]) => byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput),
          new Map<string, number>(),
        );
        const top = [...biggest.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4)
          .map(([name, bytes]) => `${name} ${kb(bytes)}`)
          .join(', ');
        return { name: basename(file, '.mjs'), bytes: output.bytes, mapBytes: map?.bytes ?? 0, top };
      })
      .sort((a, b) => b.bytes - a.bytes);
    // Files esbuild emits beside a bundle (the file loader, e.g. HiGHS's .wasm): shipped in the asset, not parsed as JS.
    const assets = outputs.filter(([file, output]) => output.entryPoint === undefined && !file.endsWith('.map'));

    console.log(
      [
        `${bundles.length} bundles, ${kb(bundles.at(-1)?.bytes ?? 0)}–${kb(bundles[0]?.bytes ?? 0)} (limit ${kb(BUNDLE_LIMIT_BYTES)}):`,
        ...bundles.map((b) => `  ${b.name.padEnd(24)} ${kb(b.bytes).padStart(7)}  map ${kb(b.mapBytes).padStart(7)}  ${b.top}`),
        ...(assets.length > 0 ? ['file assets (not counted):', ...assets.map(([file, output]) => `  ${basename(file)} ${kb(output.bytes)}`)] : []),
      ].join('\n'),
    );

    expect(bundles).toHaveLength(entries.length);
    const over = bundles.filter((b) => b.bytes >= BUNDLE_LIMIT_BYTES).map((b) => `${b.name} ${kb(b.bytes)} (${b.top})`);
    expect(over).toEqual([]);
  });

  it('runs a bundled handler as Lambda would', async () => {
    const mod = (await import(pathToFileURL(join(out, 'health.mjs')).href)) as {
      handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    const route = allRoutes.find((r) => r.id === 'health');
    if (!route) throw new Error('no health route');
    const res = await mod.handler(httpEvent({ route, path: '/health', pathParameters: {} }), lambdaContext('health'));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
  });

  // Issue 14 §2: a function's cold start builds only what it uses. Each function imports its own route from
  // shared/http/route-defs.ts, and every route and schema there is a @__PURE__ initializer, so esbuild drops the rest.
  it('keeps in each function only its own route, and in health no schema at all (tree-shaking, cold starts)', () => {
    const leaks: string[] = [];
    for (const route of allRoutes) {
      const file = join(out, `${handlerFileOf(route.id)}.mjs`);
      const text = readFileSync(file, 'utf8');
      // Minified, a route definition reads id:"<routeId>" (summaries are escaped, ids are plain ASCII).
      const has = (id: string) => text.includes(`id:"${id}"`);
      expect(has(route.id), `${route.id} lacks its own route`).toBe(true);
      const others = allRoutes.filter((r) => r.id !== route.id && has(r.id)).map((r) => r.id);
      if (others.length > 0) leaks.push(`${route.id}: ${others.join(', ')}`);
    }
    expect(leaks).toEqual([]);
    const health = Object.entries(metafile.outputs).find(([file]) => basename(file) === 'health.mjs')?.[1];
    // A few constants may stay (a template literal such as common.ts's year-range message); no schema.
    const schemaBytes = Object.entries(health?.inputs ?? {})
      .filter(([input]) => input.includes('shared/schemas/'))
      .reduce((n, [, { bytesInOutput }]) => n + bytesInOutput, 0);
    expect(schemaBytes).toBeLessThan(200);
  });

  // An ESM import of node:http makes Node build its namespace, which loads undici (≈ 40 ms of a cold start):
  // infra/bundling.ts aliases it to shared/runtime/node-http.cjs, which require()s it.
  it('has no bundle that imports node:http as ESM', () => {
    const esmHttp = Object.keys(metafile.outputs)
      .filter((file) => file.endsWith('.mjs'))
      .filter((file) => /from\s*["'](node:)?http["']/.test(readFileSync(file, 'utf8')))
      .map((file) => basename(file));
    expect(esmHttp).toEqual([]);
  });
});

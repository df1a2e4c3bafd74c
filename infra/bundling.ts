import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * How every Lambda entry is bundled, in one place: `ApiFunction` hands it to `NodejsFunction`, and the
 * bundle-size test and the load-time bench turn it into the same esbuild call (`esbuildOptionsOf`), so the
 * bundles they measure are the ones CDK deploys. The AWS SDK v3 stays external: the Node.js 24 runtime has it.
 */
export const lambdaBundling = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // ESM bundles still meet CommonJS dependencies that call require().
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  externalModules: ['@aws-sdk/*'],
} as const satisfies BundlingOptions;

/** The largest JavaScript bundle a function may have (the entry's .mjs, without its source map or file assets such as .wasm). */
export const BUNDLE_LIMIT_BYTES = 1024 * 1024;

/**
 * The esbuild options NodejsFunction derives from `lambdaBundling` (aws-lambda-nodejs `buildEsbuildArgs`:
 * `--bundle --platform=node --format --target --minify --sourcemap --sources-content --external --banner:js
 * --main-fields`), for building many entries at once into `outdir`: without code splitting each entry's
 * output is exactly its own bundle. Outputs are named `<entry>.mjs` instead of CDK's `index.mjs`.
 */
export function esbuildOptionsOf(entryPoints: string[], outdir: string): BuildOptions & { entryPoints: string[]; outdir: string; metafile: true } {
  const { format, target, minify, sourceMap, sourcesContent, mainFields, banner, externalModules } = lambdaBundling;
  return {
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format,
    target,
    minify,
    sourcemap: sourceMap,
    sourcesContent,
    mainFields: [...mainFields],
    banner: { js: banner },
    external: [...externalModules],
    outExtension: { '.js': '.mjs' },
    metafile: true,
    logLevel: 'silent',
  };
}

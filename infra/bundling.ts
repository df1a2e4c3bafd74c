import { buildSync } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { copyFileSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerImage } from 'aws-cdk-lib';
import type { BundlingOptions, ILocalBundling } from 'aws-cdk-lib';

/**
 * Bundled code's `node:http` goes through require() instead of an ESM import (see shared/runtime/node-http.cjs:
 * the ESM import loads undici, ≈ 40 ms of every cold start). An absolute path: esbuild resolves it the same
 * from the synth and from the tests.
 */
const nodeHttpShim = fileURLToPath(new URL('../shared/runtime/node-http.cjs', import.meta.url));

/** The project's root: where functions/ and node_modules/ are. */
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * How every Lambda entry is bundled, in one place: the synth bundles every function with it in one esbuild pass
 * (`FunctionBundles`), and the bundle-size test and the load-time bench turn it into the same esbuild call
 * (`esbuildOptionsOf`), so the bundles they measure are the ones CDK deploys. They are the options the functions had
 * when each was a `NodejsFunction` (its `--bundle --platform=node --format=esm --target --minify --sourcemap
 * --sources-content=false --main-fields --external --banner:js --alias`). The AWS SDK v3 stays external: the
 * Node.js 24 runtime has it.
 */
export const lambdaBundling = {
  format: 'esm',
  target: 'node24',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // ESM bundles still meet CommonJS dependencies that call require().
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  externalModules: ['@aws-sdk/*'],
} as const;

/**
 * The largest JavaScript bundle a function may have (the entry's .mjs, without its source map or file assets such as
 * .wasm): issue 14 §2 asks for under 1 MB and ideally under 700 KB; since each function bundles only its own route
 * and the zod it uses, every bundle is 250–400 KB, so the ideal is the limit.
 */
export const BUNDLE_LIMIT_BYTES = 700 * 1024;

type EntryPoints = string[] | { in: string; out: string }[];

/**
 * The esbuild options for building many entries at once into `outdir`: without code splitting each entry's output is
 * exactly its own bundle. Outputs are named `<entry>.mjs`, or as an entry's `out` says (`<name>/index` for Lambda).
 */
export function esbuildOptionsOf<E extends EntryPoints>(
  entryPoints: E,
  outdir: string,
): BuildOptions & { entryPoints: E; outdir: string; metafile: true } {
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
    alias: { 'node:http': nodeHttpShim },
    outExtension: { '.js': '.mjs' },
    metafile: true,
    logLevel: 'silent',
  };
}

/**
 * Copies HiGHS's WebAssembly (3.4 MB) beside a bundle instead of inlining it in the JavaScript:
 * `shared/solver/highs.ts` finds it there (`new URL('./highs.wasm', import.meta.url)`) and loads it on the first
 * plan only, so the bundle stays small and other functions never carry it.
 */
export function copyHighsWasm(bundleDir: string): void {
  copyFileSync(join(projectRoot, 'node_modules', 'highs', 'build', 'highs.wasm'), join(bundleDir, 'highs.wasm'));
}

/** Every Lambda entry: functions/*.ts. */
export const functionEntries = (): string[] =>
  readdirSync(join(projectRoot, 'functions'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `functions/${file}`);

const prebuiltPrefix = 'bundling-functions-';

/**
 * Every function's bundle, made by ONE esbuild pass over all of functions/*.ts the first time a synth needs one (64
 * separate `NodejsFunction` esbuild runs took most of a 2-minute synth). Each lands in
 * `<cloud assembly>/bundling-functions-<name>/index.mjs` (+ `.map`) — the depth NodejsFunction bundled at, so even
 * the source maps are the same — and `codeOf` hands it to CDK as that function's asset. A synth that skips bundling
 * (`aws:cdk:bundling-stacks`, as the stack tests do) never runs esbuild.
 */
export class FunctionBundles {
  private static readonly byOutdir = new Map<string, FunctionBundles>();
  private built = false;

  private constructor(private readonly outdir: string) {}

  /** The bundles of one cloud assembly (one `cdk.out`). */
  static of(assetOutdir: string): FunctionBundles {
    let bundles = FunctionBundles.byOutdir.get(assetOutdir);
    if (!bundles) FunctionBundles.byOutdir.set(assetOutdir, (bundles = new FunctionBundles(assetOutdir)));
    return bundles;
  }

  /** The folder esbuild wrote an entry's bundle to, bundling everything first if not yet done. */
  private prebuiltDirOf(entry: string): string {
    if (!this.built) {
      const entryPoints = functionEntries().map((file) => ({ in: join(projectRoot, file), out: `${prebuiltPrefix}${basename(file, '.ts')}/index` }));
      const result = buildSync({ ...esbuildOptionsOf(entryPoints, this.outdir), absWorkingDir: projectRoot, metafile: true });
      if (result.errors.length > 0) throw new Error(`esbuild: ${result.errors.map((e) => e.text).join('; ')}`);
      this.built = true;
    }
    const dir = join(this.outdir, `${prebuiltPrefix}${basename(entry, '.ts')}`);
    if (!existsSync(join(dir, 'index.mjs'))) throw new Error(`No bundle for ${entry} (not under functions/, or already handed to another asset)`);
    return dir;
  }

  /**
   * CDK bundling options for one entry: "bundling" moves its pre-built index.mjs and map into CDK's bundling folder
   * (and for a solver, copies highs.wasm beside them). The entry and `solver` are fields of the local bundler, so CDK's
   * asset cache (keyed by these options) tells the functions apart.
   */
  bundlingOf(entry: string, options: { solver: boolean }): BundlingOptions {
    const local: ILocalBundling & { entry: string; solver: boolean } = {
      entry,
      solver: options.solver,
      tryBundle: (outputDir: string) => {
        const dir = this.prebuiltDirOf(entry);
        for (const file of readdirSync(dir)) renameSync(join(dir, file), join(outputDir, file));
        rmSync(dir, { recursive: true, force: true });
        if (options.solver) copyHighsWasm(outputDir);
        return true;
      },
    };
    // Never pulled or run: the local bundler always succeeds or throws.
    return { image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x'), local };
  }

  /** The folder CDK takes an asset's source from: the project (not copied; the asset is the bundle). */
  static readonly sourceDir = projectRoot;
}

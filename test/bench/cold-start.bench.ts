import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { esbuildOptionsOf } from '../../infra/bundling.js';
import { percentile, printTable } from './stats.js';

/**
 * Cold-start module load: every function bundled exactly as CDK bundles it (infra/bundling.ts), plus two
 * references bundled the same way — the floor (middy + DynamoDB DocumentClient) and the reference (floor +
 * zod + luxon + Powertools logger) — each imported in a fresh Node process, as the Lambda runtime imports
 * the handler module during Init. Rounds interleave all bundles, so load on the shared machine hits them
 * alike; medians over LOAD_RUNS rounds (default 15). The target is ≤ 1.2 × the reference for every handler.
 * A second pass loads a few bundles with NODE_OPTIONS=--enable-source-maps (their .map beside them) to price
 * the option.
 */

const RUNS = Number(process.env.LOAD_RUNS ?? 15);
const TARGET = 1.2;
// Under node_modules/ so that the external @aws-sdk/* resolve from the project's node_modules, as they
// resolve from the runtime's in Lambda.
const OUT = resolve('node_modules/.cache/ikb-cold-start');
const SOURCE_MAP_SAMPLE = [
  'floor',
  'reference',
  'reference-whole-zod',
  'health',
  'get-family',
  'calendar-feed',
  'create-meeting',
  'propose-plan',
  'dispatch-reminders',
];

// The environment a function gets in AWS (infra/constructs/api-function.ts, the dispatcher's settings).
const lambdaEnv = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-north-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'ikb-bench',
  POWERTOOLS_SERVICE_NAME: 'ikb-planner',
  LOG_LEVEL: 'INFO',
  MAIL_FROM: 'planner@ikb.example.org',
  SMS_MODE: 'aws',
  SMS_ORIGINATOR: 'IKB',
  SIGN_IN_MODE: 'cognito',
  USER_POOL_ID: 'eu-north-1_bench',
};

// In the fresh process: time the import of the handler module (parse, link, evaluate its module scope).
const loader = `
const cpu = process.cpuUsage();
const started = performance.now();
const mod = await import(process.env.BENCH_MODULE);
const loaded = performance.now();
const used = process.cpuUsage(cpu);
if (typeof mod.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify({ loadMs: loaded - started, cpuMs: (used.user + used.system) / 1000, bootMs: started }));
`;

interface Sample {
  loadMs: number;
  /** CPU time of the process during the import (all its threads): less sensitive than wall time to a busy machine. */
  cpuMs: number;
  bootMs: number;
}

function loadOnce(file: string, nodeOptions?: string): Sample {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', loader], {
    env: { ...lambdaEnv, BENCH_MODULE: pathToFileURL(file).href, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`${basename(file)} failed to load: ${child.stderr}`);
  return JSON.parse(child.stdout) as Sample;
}

const median = (values: readonly number[]) => percentile(values, 50);
const ms = (value: number) => value.toFixed(1);

export async function run(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const functions = readdirSync('functions')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `functions/${f}`);
  const references = ['test/bench/cold-start/floor.ts', 'test/bench/cold-start/reference.ts', 'test/bench/cold-start/reference-whole-zod.ts'];
  const { metafile } = await build(esbuildOptionsOf([...references, ...functions], OUT));
  const bundles = Object.entries(metafile.outputs)
    .filter(([, output]) => output.entryPoint !== undefined)
    .map(([file, output]) => ({
      name: basename(file, '.mjs'),
      file: resolve(file),
      bytes: output.bytes,
      mapBytes: statSync(`${resolve(file)}.map`).size,
    }));
  const nodeVersion = spawnSync(process.execPath, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(
    `${bundles.length} bundles (${functions.length} functions + floor + reference), ${RUNS} rounds, fresh Node ${nodeVersion} process per load`,
  );

  const samples = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  const cpuSamples = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  const boot: number[] = [];
  for (let round = 0; round < RUNS; round += 1) {
    // Rotate the order each round so no bundle always follows the same neighbour.
    const order = bundles.map((_, i) => bundles[(i + round * 7) % bundles.length]).filter((b) => b !== undefined);
    for (const bundle of order) {
      const sample = loadOnce(bundle.file);
      samples.get(bundle.name)?.push(sample.loadMs);
      cpuSamples.get(bundle.name)?.push(sample.cpuMs);
      boot.push(sample.bootMs);
    }
  }
  const medianOf = (name: string) => median(samples.get(name) ?? []);
  const floor = medianOf('floor');
  const reference = medianOf('reference');
  const wholeZod = medianOf('reference-whole-zod');
  const cpuOf = (name: string) => median(cpuSamples.get(name) ?? []);
  const cpuReference = cpuOf('reference');
  const rows = bundles
    .map((b) => ({ ...b, load: medianOf(b.name), p90: percentile(samples.get(b.name) ?? [], 90), cpu: cpuOf(b.name) }))
    .sort((a, b) => b.load - a.load);
  printTable(
    `Module load (median of ${RUNS} fresh processes; Node's own start before the import: median ${ms(median(boot))} ms)`,
    [
      'bundle',
      'KB',
      'load ms (median)',
      'p90 ms',
      '× floor',
      '× reference',
      `≤ ${TARGET} × reference`,
      '× reference, whole zod',
      'CPU ms (median)',
      'CPU × reference',
    ],
    rows.map((r) => [
      r.name,
      (r.bytes / 1024).toFixed(0),
      ms(r.load),
      ms(r.p90),
      (r.load / floor).toFixed(2),
      (r.load / reference).toFixed(2),
      r.load <= TARGET * reference ? 'yes' : 'NO',
      (r.load / wholeZod).toFixed(2),
      ms(r.cpu),
      (r.cpu / cpuReference).toFixed(2),
    ]),
  );
  const baselines = ['floor', 'reference', 'reference-whole-zod'];
  const over = rows.filter((r) => r.load > TARGET * reference && !baselines.includes(r.name));
  console.log(
    `\nfloor ${ms(floor)} ms, reference (zod + luxon + logger) ${ms(reference)} ms = ${(reference / floor).toFixed(2)} × floor; ` +
      `functions ${ms(Math.min(...rows.filter((r) => !baselines.includes(r.name)).map((r) => r.load)))}–${ms(Math.max(...rows.filter((r) => !baselines.includes(r.name)).map((r) => r.load)))} ms; ` +
      `${over.length === 0 ? 'every function within' : `${over.length} over`} ${TARGET} × reference${over.length ? `: ${over.map((r) => r.name).join(', ')}` : ''}`,
  );
  const functionRows = rows.filter((r) => !baselines.includes(r.name));
  const overWhole = functionRows.filter((r) => r.load > TARGET * wholeZod);
  const ratios = functionRows.map((r) => r.load / reference).sort((a, b) => a - b);
  const cpuOver = functionRows.filter((r) => r.cpu > TARGET * cpuReference);
  console.log(
    `wall: median function ${percentile(ratios, 50).toFixed(2)} × reference, largest ${(ratios.at(-1) ?? 0).toFixed(2)} ×; ` +
      `against the reference with zod imported whole (${ms(wholeZod)} ms): ${overWhole.length === 0 ? 'every function within' : `${overWhole.length} over`} ${TARGET} ×, largest ${((functionRows[0]?.load ?? 0) / wholeZod).toFixed(2)} ×; ` +
      `CPU: reference ${ms(cpuReference)} ms, ${cpuOver.length === 0 ? 'every function within' : `${cpuOver.length} over`} ${TARGET} ×${cpuOver.length ? `: ${cpuOver.map((r) => r.name).join(', ')}` : ''}`,
  );

  // The price of --enable-source-maps: Node reads and parses each module's source map while it loads it.
  const sampled = bundles.filter((b) => SOURCE_MAP_SAMPLE.includes(b.name));
  const withMaps = new Map<string, number[]>(sampled.map((b) => [b.name, []]));
  const without = new Map<string, number[]>(sampled.map((b) => [b.name, []]));
  for (let round = 0; round < RUNS; round += 1) {
    for (const bundle of sampled) {
      without.get(bundle.name)?.push(loadOnce(bundle.file).loadMs);
      withMaps.get(bundle.name)?.push(loadOnce(bundle.file, '--enable-source-maps').loadMs);
    }
  }
  printTable(
    `NODE_OPTIONS=--enable-source-maps (median of ${RUNS}, same rounds, with and without alternating)`,
    ['bundle', 'map KB', 'without ms', 'with ms', 'cost ms', 'ratio'],
    sampled.map((b) => {
      const off = median(without.get(b.name) ?? []);
      const on = median(withMaps.get(b.name) ?? []);
      return [b.name, (b.mapBytes / 1024).toFixed(0), ms(off), ms(on), ms(on - off), (on / off).toFixed(2)];
    }),
  );
  console.log(`\nbundles in ${join('node_modules', '.cache', 'ikb-cold-start')}`);
}

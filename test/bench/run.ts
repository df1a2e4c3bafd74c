import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: runs each benchmark module in turn, each in its own Node process (every module starts its own
 * DynamoDB Local and configures the handlers through the environment, as Lambda does at cold start).
 * `npm run bench -- planner` runs only the modules whose name contains "planner".
 * Each module exports `run(): Promise<void>` and prints its own tables.
 */
const modules: { name: string; load: () => Promise<{ run: () => Promise<void> }>; byNameOnly?: boolean }[] = [
  { name: 'planner', load: () => import('./planner.bench.js') },
  { name: 'planner-http', load: () => import('./planner-http.bench.js') },
  { name: 'booking', load: () => import('./booking.bench.js') },
  { name: 'dispatch', load: () => import('./dispatch.bench.js') },
  { name: 'calendar', load: () => import('./calendar.bench.js') },
  { name: 'figures', load: () => import('./figures.bench.js') },
  { name: 'replan', load: () => import('./replan.bench.js') },
  { name: 'purge', load: () => import('./purge.bench.js') },
  { name: 'cold-start', load: () => import('./cold-start.bench.js') },
  { name: 'web', load: () => import('./web.bench.js') },
  // Five minutes (SOAK_SECONDS): only when asked for by name, `npm run bench -- soak`.
  { name: 'soak', load: () => import('./soak.bench.js'), byNameOnly: true },
];

const only = process.argv.indexOf('--only');
if (only >= 0) {
  const bench = modules.find((m) => m.name === process.argv[only + 1]);
  if (!bench) process.exit(2);
  await (await bench.load()).run();
  process.exit(process.exitCode ?? 0);
}

const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const selected = modules.filter((m) => (filters.length === 0 ? !m.byNameOnly : filters.some((f) => m.name.includes(f))));
if (selected.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}; known: ${modules.map((m) => m.name).join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const bench of selected) {
  console.log(`\n## ${bench.name}`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--only', bench.name], { stdio: 'inherit' });
  if (child.status !== 0) {
    console.error(`benchmark ${bench.name} failed (exit ${child.status ?? child.signal})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);

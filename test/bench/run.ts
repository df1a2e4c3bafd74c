/**
 * `npm run bench`: runs each benchmark module in turn (`npm run bench -- planner` runs only the
 * modules whose name contains "planner"). Each module exports `run(): Promise<void>` and prints its own table.
 */
const modules: { name: string; load: () => Promise<{ run: () => Promise<void> }> }[] = [
  { name: 'planner', load: () => import('./planner.bench.js') },
  { name: 'booking', load: () => import('./booking.bench.js') },
];

const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const selected = modules.filter((m) => filters.length === 0 || filters.some((f) => m.name.includes(f)));
if (selected.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}; known: ${modules.map((m) => m.name).join(', ')}`);
  process.exit(2);
}
for (const bench of selected) {
  console.log(`\n## ${bench.name}`);
  const { run } = await bench.load();
  await run();
}
process.exit(0);

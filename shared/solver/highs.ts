import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Highs } from 'highs';

// The package's types describe a CommonJS default export while Node (and an ESM bundle) load its ESM build.
type HighsLoader = (options?: { locateFile?: (file: string) => string }) => Promise<Highs>;

let loading: Promise<Highs> | undefined;

/**
 * HiGHS (WebAssembly), loaded on first use only and then kept for the life of the process (a warm Lambda reuses
 * it). In a Lambda bundle the 3.4 MB `highs.wasm` is a file beside the bundle (copied there for a `solver` route,
 * see copyHighsWasm in infra/bundling.ts), never inlined in the JavaScript; from source, the package's own copy.
 */
export function loadHighs(): Promise<Highs> {
  loading ??= (async () => {
    const imported: unknown = await import('highs');
    const candidate = (imported as { default?: unknown }).default ?? imported;
    const loader = (typeof candidate === 'function' ? candidate : (candidate as { default: unknown }).default) as HighsLoader;
    const beside = new URL('./highs.wasm', import.meta.url);
    const local = beside.protocol === 'file:' && existsSync(fileURLToPath(beside));
    return loader(local ? { locateFile: (file) => fileURLToPath(new URL(`./${file}`, import.meta.url)) } : {});
  })();
  return loading;
}

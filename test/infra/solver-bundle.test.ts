import { build } from 'esbuild';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Highs } from 'highs';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_LIMIT_BYTES, copyHighsWasm, esbuildOptionsOf } from '../../infra/bundling.js';
import { allRoutes } from '../../shared/http/routes.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The HiGHS loader bundled exactly as the functions are (infra/bundling.ts), into a fresh folder. */
async function bundledLoader(): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ikb-solver-'));
  dirs.push(dir);
  const result = await build(esbuildOptionsOf(['shared/solver/highs.ts'], dir));
  expect(result.errors).toEqual([]);
  return { dir, file: join(dir, 'highs.mjs') };
}

const tinyMip = 'Maximize\n obj: x + y\nSubject To\n c: x + 2 y <= 3\nBounds\n 0 <= x <= 1\n 0 <= y <= 1\nGenerals\n x y\nEnd';

describe('HiGHS in a Lambda bundle', () => {
  it('is only in the functions that plan', () => {
    expect(allRoutes.filter((r) => r.solver).map((r) => r.id)).toEqual(['proposePlan']);
  });

  it('keeps the WebAssembly out of the JavaScript: the bundle stays small and needs highs.wasm beside it', async () => {
    // Arrange
    const { file } = await bundledLoader();

    // Act
    const loader = (await import(pathToFileURL(file).href)) as { loadHighs: () => Promise<Highs> };

    // Assert: 3.4 MB of WebAssembly is not in a bundle far under the limit, and without the file nothing loads.
    expect(statSync(file).size).toBeLessThan(BUNDLE_LIMIT_BYTES / 4);
    await expect(loader.loadHighs()).rejects.toThrow();
  });

  it('solves once the synth has copied highs.wasm beside the bundle', async () => {
    // Arrange
    const { dir, file } = await bundledLoader();
    copyHighsWasm(dir);
    expect(existsSync(join(dir, 'highs.wasm'))).toBe(true);

    // Act
    const { loadHighs } = (await import(`${pathToFileURL(file).href}?copied`)) as { loadHighs: () => Promise<Highs> };
    const solution = (await loadHighs()).solve(tinyMip, { output_flag: false });

    // Assert
    expect(solution.Status).toBe('Optimal');
    expect(solution.ObjectiveValue).toBe(2);
  });
});

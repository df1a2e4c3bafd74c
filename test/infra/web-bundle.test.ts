import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../infra/local/web-server.js';

/** The web app's production bundle, built into a temporary folder (npm start may be serving web/dist meanwhile). */
const outDir = mkdtempSync(join(tmpdir(), 'ikb-web-dist-'));
beforeAll(async () => buildWeb(outDir), 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

describe('the web bundle', () => {
  it('loads at most 150 KB of JavaScript (gzip) before the first page: the entry and what index.html preloads', () => {
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
    expect(initial.length).toBeGreaterThan(0);
    const gzip = initial.reduce((n, f) => n + gzipSync(readFileSync(join(outDir, f)), { level: 9 }).length, 0);
    expect(gzip).toBeLessThanOrEqual(150 * 1024);
  });

  it('has no inline script, and names no third-party origin to load from', () => {
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const file of files(outDir).filter((f) => /\.(html|css)$/.test(f))) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/(?:src|href)=["']?https?:\/\/|url\(["']?https?:\/\/|@import/);
    }
  });
});

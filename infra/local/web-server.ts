import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { WebConfig } from '../web-headers.js';

/** The web app's source and bundle (Vite): `npm run build` writes web/dist, `npm start` rebuilds it when stale. */
export const webDir = join(import.meta.dirname, '..', '..', 'web');
export const webDist = join(webDir, 'dist');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Written into web/dist once a build has finished: a build stopped half-way (Ctrl-C, a failed start) leaves none. */
const completeStamp = join(webDist, '.build-complete');

/** Builds the web bundle when web/dist is missing, unfinished or older than its sources (a clone, or after an edit). */
export async function ensureWebBuild(): Promise<'built' | 'current'> {
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => join(webDir, p)).filter((p) => existsSync(p));
  if (existsSync(completeStamp) && statSync(completeStamp).mtimeMs >= Math.max(...sources.map(newestMtime))) return 'current';
  await buildWeb();
  writeFileSync(completeStamp, `${new Date().toISOString()}\n`);
  return 'built';
}

/** Builds the web app's production bundle into `outDir` (default web/dist), whatever the caller's NODE_ENV. */
export async function buildWeb(outDir?: string): Promise<void> {
  const { build } = await import('vite');
  // vitest sets NODE_ENV "test", which would give React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(webDir, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}),
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/**
 * Serves the built web app as CloudFront does in AWS: the same security headers (infra/web-headers.ts), `config.json`
 * written for this system, hashed assets cached for good, and every other path answered with index.html (the SPA's
 * own routes), while a missing asset is a 404.
 */
export function createWebServer(options: { config: () => WebConfig; headers: () => Record<string, string>; localStatus?: () => unknown }): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const head = { ...options.headers() };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...head, Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const send = (status: number, type: string, body: Buffer | string, cache: string) => {
      res.writeHead(status, { ...head, 'Content-Type': type, 'Cache-Control': cache, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (url.pathname === '/config.json') {
      send(200, types['.json'] ?? '', JSON.stringify(options.config()), 'no-store');
      return;
    }
    // `npm start` only (not in AWS, where the path is a 404): whether the demo's pilot history is still being loaded,
    // `{"pilot":{"state":"loading"|"complete"|"failed","percent":0–100}}`, which the Utvärdering page shows.
    if (url.pathname === '/local-status.json' && options.localStatus) {
      send(200, types['.json'] ?? '', JSON.stringify(options.localStatus()), 'no-store');
      return;
    }
    let path: string;
    try {
      path = normalize(join(webDist, decodeURIComponent(url.pathname)));
    } catch {
      send(400, 'text/plain; charset=utf-8', 'Bad request', 'no-store');
      return;
    }
    const inside = path.startsWith(webDist + sep);
    if (inside && existsSync(path) && statSync(path).isFile()) {
      const immutable = url.pathname.startsWith('/assets/');
      const noCache = url.pathname === '/sw.js' || url.pathname.endsWith('.html') || url.pathname.endsWith('.webmanifest');
      send(
        200,
        types[extname(path)] ?? 'application/octet-stream',
        readFileSync(path),
        immutable ? 'public, max-age=31536000, immutable' : noCache ? 'no-cache' : 'public, max-age=300',
      );
      return;
    }
    if (!inside || url.pathname.startsWith('/assets/') || extname(url.pathname) !== '') {
      send(404, 'text/plain; charset=utf-8', 'Not found', 'no-store');
      return;
    }
    send(200, types['.html'] ?? '', readFileSync(join(webDist, 'index.html')), 'no-cache');
  });
}

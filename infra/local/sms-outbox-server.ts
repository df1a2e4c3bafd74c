import { createServer } from 'node:http';
import type { OutboxSms } from '../../shared/notify/sms-outbox.js';

/** A running outbox page and how to stop it. */
export interface SmsOutboxServer {
  url: string;
  stop: () => Promise<void>;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(messages: OutboxSms[]): string {
  const rows = messages
    .map((m) => `<tr><td>${escapeHtml(m.at)}</td><td>${escapeHtml(m.to)}</td><td><pre>${escapeHtml(m.text)}</pre></td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>SMS outbox (local)</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}pre{margin:0;white-space:pre-wrap}</style>
</head><body><h1>SMS outbox</h1><p>${messages.length} message(s), newest first. Nothing here was sent to a phone.</p>
<table><thead><tr><th>Sent (UTC)</th><th>To</th><th>Text</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}

/** Serves the local SMS outbox on loopback: `GET /` an HTML page (newest first), `GET /messages.json` the same as JSON. */
export async function startSmsOutboxServer(options: { outbox: { messages(): OutboxSms[] }; port?: number }): Promise<SmsOutboxServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    const newestFirst = options.outbox.messages().reverse();
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(newestFirst));
    } else if (path === '/messages.json') {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(newestFirst));
    } else {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    }
  });
  // Port 0 lets the OS choose a free port at bind time, so parallel test files never race for one.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

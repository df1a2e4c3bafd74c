import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { RouteDef, RouteId } from '../../shared/http/routes.js';
import { verifyDevToken } from './dev-tokens.js';
import type { LambdaHandler } from './handlers.js';
import { httpEvent, lambdaContext, matchRoute } from './http-event.js';

const maxBody = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string | undefined, headers: Record<string, string | number | boolean> = {}): void {
  const named = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
  // As API Gateway does: a body goes with its Content-Length (a HEAD response carries the GET body's, set by the handler).
  if (body && !Object.keys(named).some((k) => k.toLowerCase() === 'content-length')) named['Content-Length'] = String(Buffer.byteLength(body, 'utf8'));
  res.writeHead(status, named);
  res.end(body);
}

/**
 * The local stand-in for API Gateway: matches the route table, verifies the bearer token the way the JWT
 * authorizer would (401 before any Lambda runs), and invokes the very handler module CDK deploys.
 */
export function createApiServer(options: { routes: readonly RouteDef[]; handlers: Record<RouteId, LambdaHandler>; key: Uint8Array }): Server {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const matched = matchRoute(options.routes, req.method ?? 'GET', url.pathname);
      if (!matched || matched === 'method-not-allowed') {
        send(res, 404, JSON.stringify({ message: 'Not Found' }), { 'Content-Type': 'application/json' });
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      let claims: Record<string, string> | undefined;
      if (matched.route.auth !== 'public') {
        const token = /^Bearer (.+)$/.exec(headers['authorization'] ?? '')?.[1];
        claims = token ? await verifyDevToken(options.key, token) : undefined;
        if (!claims) {
          send(res, 401, JSON.stringify({ message: 'Unauthorized' }), { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' });
          return;
        }
      }
      const body = await readBody(req);
      const query: Record<string, string> = {};
      url.searchParams.forEach((value, name) => (query[name] = value));
      const event = httpEvent({ route: matched.route, method: matched.method, path: url.pathname, pathParameters: matched.pathParameters, query, headers, ...(body !== undefined ? { body } : {}), ...(claims ? { claims } : {}) });
      const handler = options.handlers[matched.route.id as RouteId];
      const result = await handler(event, lambdaContext(matched.route.id));
      send(res, result.statusCode ?? 200, typeof result.body === 'string' ? result.body : undefined, result.headers ?? {});
    })().catch(() => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ message: 'Internal Server Error' }), { 'Content-Type': 'application/json' });
      else res.end();
    });
  });
}

import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { PayloadTooLarge } from '../../shared/http/errors.js';
import { maxBodyBytes } from '../../shared/http/handler.js';
import type { RouteDef, RouteId } from '../../shared/http/routes.js';
import { apiCors } from '../web-headers.js';
import { verifyDevToken } from './dev-tokens.js';
import type { LambdaHandler } from './handlers.js';
import { httpEvent, lambdaContext, matchRoute } from './http-event.js';

/**
 * Past this many bytes the server stops draining an oversized body and closes the connection after its 413
 * (API Gateway's own HTTP API payload limit is 10 MB).
 */
const drainLimit = 10 * 1024 * 1024;

/**
 * Reads the body up to maxBodyBytes. A larger body is drained and dropped (answering before the client has
 * finished sending makes it see a reset instead of the 413), up to drainLimit.
 */
function readBody(req: IncomingMessage): Promise<{ body: string | undefined } | 'too-large' | 'far-too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
      else if (size > drainLimit) {
        req.off('data', onData);
        req.pause();
        resolve('far-too-large');
      } else chunks.length = 0;
    };
    req.on('data', onData);
    req.on('end', () => resolve(size > maxBodyBytes ? 'too-large' : { body: chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined }));
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
export function createApiServer(options: {
  routes: readonly RouteDef[];
  handlers: Record<RouteId, LambdaHandler>;
  /** A dev HS256 key (tests), or `verify`: the JWKS verifier of the local OpenID provider (npm start). */
  key?: Uint8Array;
  verify?: (token: string) => Promise<Record<string, string> | undefined>;
  /** The local OpenID provider, mounted at /oidc (Cognito's own origin in AWS). */
  oidc?: { mountPath: string; handle: (req: IncomingMessage, res: ServerResponse) => void };
  /** Whether CORS allows an origin (the web app's), as API Gateway's corsPreflight does. */
  corsAllows?: (origin: string) => boolean;
}): Server {
  const verify = options.verify ?? ((token: string) => (options.key ? verifyDevToken(options.key, token) : Promise.resolve(undefined)));
  return createServer((req, res) => {
    if (options.oidc && (req.url === options.oidc.mountPath || req.url?.startsWith(`${options.oidc.mountPath}/`))) {
      options.oidc.handle(req, res);
      return;
    }
    // API Gateway's CORS: it answers a preflight itself and adds the allow-origin header to every response.
    const origin = req.headers.origin;
    if (origin && options.corsAllows?.(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', apiCors.exposeHeaders.join(','));
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res.writeHead(204, {
          'Access-Control-Allow-Methods': apiCors.allowMethods.join(','),
          'Access-Control-Allow-Headers': apiCors.allowHeaders.join(','),
          'Access-Control-Max-Age': String(apiCors.maxAgeSeconds),
        });
        res.end();
        return;
      }
    }
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
        claims = token ? await verify(token) : undefined;
        if (!claims) {
          send(res, 401, JSON.stringify({ message: 'Unauthorized' }), { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' });
          return;
        }
      }
      let read = await readBody(req);
      // A route without a body schema ignores any body (as its Lambda does), whatever its size.
      if (read === 'too-large' && !matched.route.body) read = { body: undefined };
      if (read === 'too-large' || read === 'far-too-large') {
        // The same 413 the Lambda's middy stack answers (shared/http/handler.ts), never a connection reset.
        const refusal = JSON.stringify(new PayloadTooLarge(maxBodyBytes).body());
        const closing = read === 'far-too-large';
        send(res, 413, refusal, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...(closing ? { Connection: 'close' } : {}) });
        if (closing) res.on('finish', () => req.destroy());
        return;
      }
      const body = read.body;
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

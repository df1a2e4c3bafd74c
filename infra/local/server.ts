import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PayloadTooLarge, RequestHeaderTooLarge, problemOf } from '../../shared/http/errors.js';
import { maxBodyBytes } from '../../shared/http/handler.js';
import type { RouteDef, RouteId } from '../../shared/http/routes.js';
import { apiCors } from '../web-headers.js';
import { verifyDevToken } from './dev-tokens.js';
import type { LambdaHandler } from './handlers.js';
import { httpEvent, lambdaContext, matchRoute, splitTarget } from './http-event.js';

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
  if (body && !Object.keys(named).some((k) => k.toLowerCase() === 'content-length'))
    named['Content-Length'] = String(Buffer.byteLength(body, 'utf8'));
  res.writeHead(status, named);
  res.end(body);
}

/** Node's default limit for the request line and headers together (`http.maxHeaderSize`), which the server keeps. */
const headerLimit = 16 * 1024;

/**
 * A request head Node could not read (over headerLimit, or malformed): answered in the documented error shape
 * instead of Node's bare status line, and the rest of what the client sends is read and dropped before the
 * connection closes, so that the client sees the answer rather than a reset (a 70 KB URL used to reset it).
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset by the client needs no answer (Node's own advice for clientError).
  if (error.code === 'ECONNRESET' || !socket.writable || socket.destroyed) {
    socket.destroy();
    return;
  }
  const [status, reason, body] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', problemOf(new RequestHeaderTooLarge(headerLimit)).body]
      : [400, 'Bad Request', { error: { code: 'invalid', message: 'The request is not valid HTTP/1.1; nothing was changed.' } }];
  const text = JSON.stringify(body);
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  socket.setTimeout(5_000, () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
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
  const server = createServer({ maxHeaderSize: headerLimit }, (req, res) => {
    if (
      options.oidc &&
      (req.url === options.oidc.mountPath || req.url?.startsWith(`${options.oidc.mountPath}/`) || req.url?.startsWith(`${options.oidc.mountPath}?`))
    ) {
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
      const { path, rawQueryString } = splitTarget(req.url ?? '/');
      // Read (or drain) the body first, whatever comes next: answering while the client still sends makes it see a reset.
      const read = await readBody(req);
      if (read === 'far-too-large') {
        // Past API Gateway's own 10 MB, before any route: answered and the connection closed.
        send(res, 413, JSON.stringify(problemOf(new PayloadTooLarge(maxBodyBytes)).body), {
          'Content-Type': 'application/json',
          'Cache-Control': 'no-store',
          Connection: 'close',
        });
        res.on('finish', () => req.destroy());
        return;
      }
      const matched = matchRoute(options.routes, req.method ?? 'GET', path);
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
      if (read === 'too-large') {
        // The same 413 the Lambda's middy stack answers (shared/http/handler.ts) on every route, with a body schema or not.
        send(res, 413, JSON.stringify(problemOf(new PayloadTooLarge(maxBodyBytes)).body), {
          'Content-Type': 'application/json',
          'Cache-Control': 'no-store',
        });
        return;
      }
      const body = read.body;
      const query: Record<string, string> = {};
      new URLSearchParams(rawQueryString).forEach((value, name) => (query[name] = value));
      const event = httpEvent({
        route: matched.route,
        method: matched.method,
        path,
        pathParameters: matched.pathParameters,
        query,
        rawQueryString,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(claims ? { claims } : {}),
      });
      const handler = options.handlers[matched.route.id as RouteId];
      const result = await handler(event, lambdaContext(matched.route.id));
      send(res, result.statusCode ?? 200, typeof result.body === 'string' ? result.body : undefined, result.headers ?? {});
    })().catch(() => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ message: 'Internal Server Error' }), { 'Content-Type': 'application/json' });
      else res.end();
    });
  });
  server.on('clientError', answerClientError);
  return server;
}

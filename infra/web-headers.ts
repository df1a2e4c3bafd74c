/**
 * The web app's security headers, in one place: CloudFront's response headers policy (infra/web-stack) and the
 * local server (`npm start`) send exactly these, so the browser tests prove what AWS will serve.
 */
export interface WebOrigins {
  /** The API's origin (e.g. https://abc.execute-api.eu-north-1.amazonaws.com or http://localhost:3000). */
  api: string;
  /** The sign-in origins the app talks to from script (OpenID discovery, token and JWKS endpoints). */
  auth: readonly string[];
}

/** A strict Content-Security-Policy: only the app's own origin, the API and the sign-in service; no inline script. */
export function contentSecurityPolicy(origins: WebOrigins): string {
  const connect = [...new Set(["'self'", origins.api, ...origins.auth])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self' ${origins.auth.join(' ')}`.trim(),
  ].join('; ');
}

/** Every security header the web app is served with (names as browsers see them). */
export function webSecurityHeaders(origins: WebOrigins, options: { https: boolean }): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(origins),
    ...(options.https ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload' } : {}),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

/** What `config.json` beside the app holds: written at deploy time (CDK) or served by `npm start`, never built in. */
export interface WebConfig {
  /** The API's base URL, no trailing slash. */
  apiUrl: string;
  oidc: {
    /** The OpenID issuer (Cognito: https://cognito-idp.<region>.amazonaws.com/<poolId>; locally http://localhost:3000/oidc). */
    authority: string;
    clientId: string;
    scope: string;
    /**
     * Where sign-out goes when the provider has no end_session_endpoint (Cognito managed login: its /logout URL
     * with client_id and logout_uri). Absent: the provider's end_session_endpoint.
     */
    signOutUrl?: string;
  };
}

/**
 * The API's CORS for the web app (API Gateway's corsPreflight in AWS, the local server locally): the request
 * headers the app sends and the response headers it reads.
 */
export const apiCors = {
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match', 'if-modified-since'],
  exposeHeaders: ['etag', 'location', 'idempotency-key', 'idempotent-replayed'],
  allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  maxAgeSeconds: 3600,
} as const;

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Provider } from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { claimNames } from '../../shared/domain/principal.js';
import type { Group } from '../../shared/domain/principal.js';
import type { LocalSigningKey } from './dev-tokens.js';

/** A person who can sign in locally: what a Cognito user of the pool carries (the same claims reach the API). */
export interface LocalAccount {
  sub: string;
  email: string;
  teamId?: string | undefined;
  staffId?: string | undefined;
  groups: Group[];
  enabled: boolean;
}

/** The one public client, as the Cognito app client is: authorization code + PKCE, no secret. */
export const webClientId = 'ikb-planner-web';
/** The scopes the web app asks for (Cognito: the same three). */
export const webScopes = 'openid email profile';
/** Where the local provider is mounted on the API's server. */
export const oidcMountPath = '/oidc';

const customClaims = ['email', claimNames.groups, claimNames.team, claimNames.staff] as const;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The provider's own pages (sign-in, sign-out, errors): Swedish, no third-party fonts, no script. */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – IKB Planner (lokal inloggning)</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}
main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #c9ced6;border-radius:6px}
h1{font-size:1.4rem;margin:0 0 .5rem}p{margin:.5rem 0}
ul{list-style:none;padding:0;margin:1rem 0}li{margin:.4rem 0}
button{font:inherit;min-height:44px;width:100%;text-align:left;padding:.5rem .75rem;border:1px solid #1d4f91;border-radius:4px;background:#fff;color:#1d4f91;cursor:pointer}
button.primary{background:#1d4f91;color:#fff;text-align:center}
button:focus-visible,input:focus-visible{outline:3px solid #b35900;outline-offset:2px}
label{display:block;font-weight:600;margin-top:1rem}input{font:inherit;width:100%;box-sizing:border-box;min-height:44px;padding:.4rem;border:1px solid #6b7280;border-radius:4px}
.note{font-size:.9rem;color:#4b5563}.error{color:#a1161f;font-weight:600}
</style></head><body><main>${body}</main></body></html>`;
}

const roleLabel: Record<Group, string> = { admin: 'administratör', coordinator: 'samordnare', therapist: 'terapeut' };

function signInPage(uid: string, accounts: LocalAccount[], error?: string): string {
  const choices = accounts
    .filter((a) => a.enabled)
    .map(
      (a) =>
        `<li><form method="post" action="${oidcMountPath}/interaction/${escapeHtml(uid)}/login"><input type="hidden" name="email" value="${escapeHtml(a.email)}"><button type="submit">Logga in som ${escapeHtml(a.staffId ?? a.email)} <span class="note">(${escapeHtml(a.groups.map((g) => roleLabel[g]).join(', '))}, ${escapeHtml(a.email)})</span></button></form></li>`,
    )
    .join('');
  return page(
    'Logga in',
    `<h1>Logga in</h1>
<p class="note">Lokal inloggning för utveckling och test. I AWS loggar man in med Cognito (med tvåstegsverifiering).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${oidcMountPath}/interaction/${escapeHtml(uid)}/login">
<label for="email">E-postadress</label><input id="email" name="email" type="email" autocomplete="username" required>
<p><button class="primary" type="submit">Logga in</button></p></form>
<h2>Demoanvändare</h2><ul>${choices}</ul>`,
  );
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size < 16_384) chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/**
 * A real OpenID provider standing in for Cognito's managed login (`oidc-provider`, the certified Node implementation):
 * authorization code with PKCE for the web app's public client, RS256 ID tokens with Cognito's claims
 * (`cognito:groups`, `custom:team_id`, `custom:staff_id`), refresh tokens, RP-initiated sign-out. Its sign-in page
 * lists the local accounts to choose from (there is no password: this runs only on a developer's machine).
 */
export function createLocalOidc(options: {
  issuer: string;
  key: LocalSigningKey;
  webOrigins: readonly string[];
  accounts: () => Promise<LocalAccount[]>;
}): { handle: (req: IncomingMessage, res: ServerResponse) => void } {
  const claimsOf = (a: LocalAccount) => ({
    sub: a.sub,
    email: a.email,
    [claimNames.groups]: a.groups,
    ...(a.teamId ? { [claimNames.team]: a.teamId } : {}),
    ...(a.staffId ? { [claimNames.staff]: a.staffId } : {}),
  });
  const configuration: Configuration = {
    clients: [
      {
        client_id: webClientId,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: options.webOrigins.map((o) => `${o}/`),
        post_logout_redirect_uris: options.webOrigins.map((o) => `${o}/`),
      },
    ],
    jwks: { keys: [options.key.privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub', ...customClaims] },
    // As Cognito does: the ID token carries the user's attributes and groups (the API's authorizer reads them there).
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const account = (await options.accounts()).find((a) => a.sub === sub && a.enabled);
      return account ? { accountId: account.sub, claims: () => claimsOf(account) } : undefined;
    },
    pkce: { required: () => true },
    // Cognito issues a refresh token with every code exchange; so does this stand-in (no offline_access scope needed).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // A first-party app: no consent screen, as with Cognito's managed login.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const client = ctx.oidc.client;
      const session = ctx.oidc.session;
      if (!client || !session?.accountId) return undefined;
      const grantId = session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(webScopes);
      grant.addOIDCClaims([...customClaims]);
      await grant.save();
      return grant;
    },
    clientBasedCORS: (_ctx, origin) => options.webOrigins.includes(origin),
    interactions: { url: (_ctx, interaction) => `${oidcMountPath}/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: 3600,
      IdToken: 3600,
      AuthorizationCode: 60,
      RefreshToken: 12 * 3600,
      Session: 12 * 3600,
      Grant: 12 * 3600,
      Interaction: 3600,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = page(
            'Logga ut',
            `<h1>Logga ut</h1><p>Vill du logga ut från IKB Planner?</p>${form}<p><button class="primary" type="submit" form="op.logoutForm" value="yes" name="logout">Ja, logga ut</button></p>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = page('Utloggad', '<h1>Du är utloggad</h1>');
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Fel vid inloggning', `<h1>Inloggningen misslyckades</h1><p>${escapeHtml(String(out.error_description ?? out.error))}</p>`);
    },
  };
  const provider = new Provider(options.issuer, configuration);
  const callback = provider.callback();

  const send = (res: ServerResponse, status: number, html: string) => {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${options.webOrigins.join(' ')}; frame-ancestors 'none'; base-uri 'none'`,
      'Referrer-Policy': 'no-referrer',
    });
    res.end(html);
  };

  const interaction = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
    if (!match) return false;
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET' && !match[2]) {
      send(res, 200, signInPage(details.uid, await options.accounts()));
      return true;
    }
    if (req.method === 'POST' && match[2]) {
      const email = (await readForm(req)).get('email')?.trim().toLowerCase() ?? '';
      const account = (await options.accounts()).find((a) => a.email.toLowerCase() === email);
      if (!account || !account.enabled) {
        send(
          res,
          200,
          signInPage(details.uid, await options.accounts(), account ? 'Kontot är inaktiverat.' : 'Ingen användare med den e-postadressen.'),
        );
        return true;
      }
      await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
      return true;
    }
    return false;
  };

  return {
    handle: (req, res) => {
      const url = req.url ?? '/';
      const path = url.slice(oidcMountPath.length) || '/';
      void (async () => {
        if (path.startsWith('/interaction/') && (await interaction(req, res, path.split('?')[0] ?? path))) return;
        // oidc-provider finds its mount path from originalUrl minus url, as behind express/connect.
        (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
        req.url = path;
        callback(req, res);
      })().catch(() => {
        if (!res.headersSent) send(res, 400, page('Fel vid inloggning', '<h1>Inloggningen misslyckades</h1><p>Försök igen från appen.</p>'));
        else res.end();
      });
    },
  };
}

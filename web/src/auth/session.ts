import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { User } from 'oidc-client-ts';
import type { WebConfig } from '../config';

/** The roles of SPEC §8 as the ID token carries them (Cognito groups). */
export type Group = 'admin' | 'coordinator' | 'therapist';

/** Who is signed in: from the verified ID token's claims (the same the API reads). */
export interface Person {
  subject: string;
  email: string | undefined;
  teamId: string | undefined;
  staffId: string | undefined;
  groups: Group[];
}

const groupsOf = (raw: unknown): Group[] =>
  (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/) : []).filter(
    (g): g is Group => g === 'admin' || g === 'coordinator' || g === 'therapist',
  );

export function personOf(user: User): Person {
  const p = user.profile as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    subject: user.profile.sub,
    email: str(p['email']),
    teamId: str(p['custom:team_id']),
    staffId: str(p['custom:staff_id']),
    groups: groupsOf(p['cognito:groups']),
  };
}

/**
 * Sign-in through the OpenID provider (Cognito managed login in AWS, the local oidc-provider on `npm start`):
 * authorization code with PKCE, a public client. Tokens stay in memory only (never localStorage); the short-lived
 * PKCE state of a redirect in sessionStorage, as oidc-client-ts keeps it, removed when the redirect returns.
 * Refresh on expiry with the refresh token (no hidden iframe: the CSP forbids frames).
 */
export function createUserManager(config: WebConfig): UserManager {
  const origin = window.location.origin;
  return new UserManager({
    authority: config.oidc.authority,
    client_id: config.oidc.clientId,
    redirect_uri: `${origin}/`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: config.oidc.scope,
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    automaticSilentRenew: true,
    monitorSession: false,
    loadUserInfo: false,
  });
}

/** Completes a redirect back from the provider (`?code=…&state=…`), returning to where the person was. */
export async function completeSignIn(manager: UserManager): Promise<User | undefined> {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('code') && !url.searchParams.has('error')) return undefined;
  const user = await manager.signinRedirectCallback();
  const target = typeof user.state === 'string' && user.state.startsWith('/') ? user.state : '/';
  window.history.replaceState(null, '', target);
  return user;
}

/** Ends the session at the provider too (Cognito: its /logout URL; elsewhere the end-session endpoint). */
export async function signOut(manager: UserManager, config: WebConfig): Promise<void> {
  const user = await manager.getUser();
  await manager.removeUser();
  if (config.oidc.signOutUrl) {
    window.location.assign(config.oidc.signOutUrl);
    return;
  }
  await manager.signoutRedirect(user?.id_token ? { id_token_hint: user.id_token } : {});
}

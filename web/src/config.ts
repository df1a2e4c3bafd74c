/** What `config.json` beside the app says (written at deploy time by CDK, served by `npm start`): see infra/web-headers.ts. */
export interface WebConfig {
  apiUrl: string;
  oidc: { authority: string; clientId: string; scope: string; signOutUrl?: string };
}

function isConfig(value: unknown): value is WebConfig {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<WebConfig>;
  return (
    typeof v.apiUrl === 'string' && typeof v.oidc?.authority === 'string' && typeof v.oidc.clientId === 'string' && typeof v.oidc.scope === 'string'
  );
}

/** Reads config.json once at start; the app cannot run without it. */
export async function loadConfig(): Promise<WebConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  const body: unknown = await res.json();
  if (!res.ok || !isConfig(body)) throw new Error('config.json saknas eller är ogiltig');
  return { ...body, apiUrl: body.apiUrl.replace(/\/$/, '') };
}

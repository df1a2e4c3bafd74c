import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { Group, claimNames } from '../domain/principal.js';
import type { Principal } from '../domain/principal.js';
import { Unauthorized } from './errors.js';

/** API Gateway hands JWT array claims over as a string "[a b]"; dev tokens may carry a real array. */
function parseGroups(raw: unknown): Group[] {
  const parts = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  return parts.flatMap((p) => {
    const g = Group.safeParse(p.trim());
    return g.success ? [g.data] : [];
  });
}

type ClaimsEvent = Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'>;

/** The verified principal of a request; 401 when the request carries no verified identity. */
export function principalOf(event: ClaimsEvent): Principal {
  const claims: Record<string, unknown> = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const subject = claims['sub'];
  if (typeof subject !== 'string' || subject === '') throw new Unauthorized('Sign-in required.');
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    subject,
    teamId: str(claims[claimNames.team]),
    staffId: str(claims[claimNames.staff]),
    groups: new Set(parseGroups(claims[claimNames.groups])),
  };
}

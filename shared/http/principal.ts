import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import * as z from 'zod';
import { Unauthorized } from './errors.js';

export const Group = /* @__PURE__ */ (() => z.enum(['admin', 'coordinator', 'therapist']))();
export type Group = z.infer<typeof Group>;

/** Who is calling, from claims the API's JWT authorizer (or the local server) has verified. */
export interface Principal {
  subject: string;
  teamId: string | undefined;
  staffId: string | undefined;
  groups: ReadonlySet<Group>;
}

/** The claim names the Cognito user pool issues and the local dev tokens copy. */
export const claimNames = {
  team: 'custom:team_id',
  staff: 'custom:staff_id',
  groups: 'cognito:groups',
} as const;

/** API Gateway hands JWT array claims over as a string "[a b]"; dev tokens may carry a real array. */
function parseGroups(raw: unknown): Group[] {
  const parts = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
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

import * as z from 'zod';

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

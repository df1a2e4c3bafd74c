import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AttributeType, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Group, claimNames } from '../domain/principal.js';
import type { SignIn, SignInDirectory, SignInIdentity, StaffRef } from './sign-in-directory.js';
import { SignInDirectoryFailed, SignInTaken, belongsTo, normalEmail } from './sign-in-directory.js';

type Client = Pick<CognitoIdentityProviderClient, 'send'>;

const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

/**
 * The sign-in directory in AWS: the Cognito user pool, through the admin API only. The pool signs people in by
 * e-mail, so the e-mail is the user name every call passes; `custom:team_id` and `custom:staff_id` are set here
 * at creation and never by the person (the app client may not write them). The function that holds this has
 * exactly these admin actions on this one pool (infra/stateless-stack.ts).
 */
export class CognitoSignInDirectory implements SignInDirectory {
  constructor(
    private readonly client: Client,
    private readonly userPoolId: string,
  ) {}

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new SignInDirectoryFailed(operation, error);
    }
  }

  /** The user and their groups, or undefined when the pool has no user with this e-mail. */
  async find(email: string): Promise<SignIn | undefined> {
    const username = normalEmail(email);
    let user;
    try {
      user = await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }));
    } catch (error) {
      if (errorName(error) === 'UserNotFoundException') return undefined;
      throw new SignInDirectoryFailed('AdminGetUser', error);
    }
    const groups = (await this.groupsOf(username)) ?? [];
    return signInOf(user.UserAttributes ?? [], user.Enabled ?? false, groups);
  }

  async findByStaff(staff: StaffRef): Promise<SignIn | undefined> {
    const found = await this.find(staff.email);
    return found && belongsTo(found, staff) ? found : undefined;
  }

  async ensure(identity: SignInIdentity): Promise<SignIn> {
    const username = normalEmail(identity.email);
    let existing = await this.find(username);
    if (!existing) {
      try {
        await this.client.send(
          new AdminCreateUserCommand({
            UserPoolId: this.userPoolId,
            Username: username,
            // Cognito e-mails the invitation with a temporary password; the person sets theirs and their MFA at first sign-in.
            DesiredDeliveryMediums: ['EMAIL'],
            UserAttributes: [
              { Name: 'email', Value: username },
              { Name: 'email_verified', Value: 'true' },
              ...(identity.teamId !== undefined ? [{ Name: claimNames.team, Value: identity.teamId }] : []),
              ...(identity.staffId !== undefined ? [{ Name: claimNames.staff, Value: identity.staffId }] : []),
            ],
          }),
        );
      } catch (error) {
        // Created meanwhile by a concurrent request: take the one that is there (checked below like any other).
        if (errorName(error) !== 'UsernameExistsException') throw new SignInDirectoryFailed('AdminCreateUser', error);
      }
      existing = await this.find(username);
      if (!existing) throw new SignInDirectoryFailed('AdminGetUser', new Error('created user not found'));
    }
    if (!belongsTo(existing, identity)) throw new SignInTaken();
    await this.putInGroup(username, existing.groups, identity.group);
    return { ...existing, groups: [identity.group] };
  }

  async disable(email: string): Promise<void> {
    await this.ignoringMissingUser('AdminDisableUser', () =>
      this.client.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: normalEmail(email) })),
    );
  }

  async enable(email: string): Promise<void> {
    await this.ignoringMissingUser('AdminEnableUser', () =>
      this.client.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: normalEmail(email) })),
    );
  }

  async setGroup(email: string, group: Group): Promise<void> {
    const username = normalEmail(email);
    const current = await this.groupsOf(username);
    if (current === undefined) return;
    await this.putInGroup(username, current, group);
  }

  /** Adds the new group before removing the old ones, so a failure in between never leaves the person in no group. */
  private async putInGroup(username: string, current: readonly Group[], group: Group): Promise<void> {
    if (!current.includes(group)) {
      await this.call('AdminAddUserToGroup', () =>
        this.client.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: group })),
      );
    }
    for (const other of current.filter((g) => g !== group)) {
      await this.call('AdminRemoveUserFromGroup', () =>
        this.client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: other })),
      );
    }
  }

  /** The user's groups; undefined when the pool has no such user. */
  private async groupsOf(username: string): Promise<Group[] | undefined> {
    let out;
    try {
      out = await this.client.send(new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: username, Limit: 60 }));
    } catch (error) {
      if (errorName(error) === 'UserNotFoundException') return undefined;
      throw new SignInDirectoryFailed('AdminListGroupsForUser', error);
    }
    return (out.Groups ?? []).flatMap((g) => {
      const parsed = Group.safeParse(g.GroupName);
      return parsed.success ? [parsed.data] : [];
    });
  }

  private async ignoringMissingUser(operation: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (errorName(error) === 'UserNotFoundException') return;
      throw new SignInDirectoryFailed(operation, error);
    }
  }
}

function signInOf(attributes: readonly AttributeType[], enabled: boolean, groups: Group[]): SignIn {
  const attribute = (name: string) => attributes.find((a) => a.Name === name)?.Value;
  const teamId = attribute(claimNames.team);
  const staffId = attribute(claimNames.staff);
  return {
    subject: attribute('sub') ?? '',
    email: normalEmail(attribute('email') ?? ''),
    ...(teamId !== undefined ? { teamId } : {}),
    ...(staffId !== undefined ? { staffId } : {}),
    groups,
    enabled,
  };
}

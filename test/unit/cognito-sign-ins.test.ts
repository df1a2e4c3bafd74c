import { Readable } from 'node:stream';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { CognitoSignInDirectory } from '../../shared/identity/cognito-sign-ins.js';
import { SignInDirectoryFailed, SignInTaken } from '../../shared/identity/sign-in-directory.js';

// No Cognito emulator exists here, so this checks only what goes over the wire and how answers are read: the real SDK
// client serialises each command and parses each reply, and a stub HTTP handler stands in for the service. Whether
// Cognito then behaves as assumed (invitation e-mail, alias user names) is not proven by this file.

interface Wire {
  target: string;
  body: Record<string, unknown>;
}
type Reply = { status?: number; error?: string; body?: Record<string, unknown> };

const poolId = 'eu-north-1_TestPool';

/** A real Cognito client whose HTTP handler records each request and answers from `answer`. */
function directoryWith(answer: (wire: Wire) => Reply) {
  const requests: Wire[] = [];
  const client = new CognitoIdentityProviderClient({
    region: 'eu-north-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
        const wire = {
          target: String(request.headers['x-amz-target']).replace('AWSCognitoIdentityProviderService.', ''),
          body: JSON.parse(String(request.body ?? '{}')) as Record<string, unknown>,
        };
        requests.push(wire);
        const reply = answer(wire);
        const status = reply.status ?? (reply.error ? 400 : 200);
        const body = JSON.stringify(reply.error ? { __type: reply.error, message: 'stubbed' } : (reply.body ?? {}));
        return {
          response: {
            statusCode: status,
            reason: '',
            headers: { 'content-type': 'application/x-amz-json-1.1', ...(reply.error ? { 'x-amzn-errortype': reply.error } : {}) },
            body: Readable.from([Buffer.from(body)]),
          },
        };
      },
    },
  });
  return { directory: new CognitoSignInDirectory(client, poolId), requests };
}

const user = (attributes: Record<string, string>, enabled = true) => ({
  Username: '6f1c-uuid',
  Enabled: enabled,
  UserStatus: 'FORCE_CHANGE_PASSWORD',
  UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
});
const anna = { sub: 'sub-anna', email: 'anna@ikb.example', 'custom:team_id': 'kalmar', 'custom:staff_id': 'anna' };

describe('Cognito sign-in directory: request shapes', () => {
  it('creates a missing user with AdminCreateUser: e-mail as user name, verified, team and staff ids, invitation by e-mail; then the group', async () => {
    let created = false;
    const { directory, requests } = directoryWith(({ target }) => {
      if (target === 'AdminGetUser') return created ? { body: user(anna) } : { error: 'UserNotFoundException' };
      if (target === 'AdminCreateUser') {
        created = true;
        return { body: { User: { Username: '6f1c-uuid' } } };
      }
      if (target === 'AdminListGroupsForUser') return { body: { Groups: [] } };
      return { body: {} };
    });
    const signIn = await directory.ensure({ email: 'Anna@IKB.example', teamId: 'kalmar', staffId: 'anna', group: 'therapist' });
    expect(signIn).toEqual({
      subject: 'sub-anna',
      email: 'anna@ikb.example',
      teamId: 'kalmar',
      staffId: 'anna',
      groups: ['therapist'],
      enabled: true,
    });
    expect(requests.map((r) => r.target)).toEqual([
      'AdminGetUser',
      'AdminCreateUser',
      'AdminGetUser',
      'AdminListGroupsForUser',
      'AdminAddUserToGroup',
    ]);
    expect(requests[0]?.body).toEqual({ UserPoolId: poolId, Username: 'anna@ikb.example' });
    expect(requests[1]?.body).toEqual({
      UserPoolId: poolId,
      Username: 'anna@ikb.example',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [
        { Name: 'email', Value: 'anna@ikb.example' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:team_id', Value: 'kalmar' },
        { Name: 'custom:staff_id', Value: 'anna' },
      ],
    });
    expect(requests[1]?.body).not.toHaveProperty('TemporaryPassword');
    expect(requests[1]?.body).not.toHaveProperty('MessageAction');
    expect(requests[4]?.body).toEqual({ UserPoolId: poolId, Username: 'anna@ikb.example', GroupName: 'therapist' });
  });

  it('finds an existing user of the same staff record and only moves the group: add the new one first, then remove the old', async () => {
    const { directory, requests } = directoryWith(({ target }) => {
      if (target === 'AdminGetUser') return { body: user(anna) };
      if (target === 'AdminListGroupsForUser') return { body: { Groups: [{ GroupName: 'therapist' }] } };
      return { body: {} };
    });
    await directory.ensure({ email: 'anna@ikb.example', teamId: 'kalmar', staffId: 'anna', group: 'coordinator' });
    expect(requests.map((r) => r.target)).toEqual(['AdminGetUser', 'AdminListGroupsForUser', 'AdminAddUserToGroup', 'AdminRemoveUserFromGroup']);
    expect(requests[2]?.body).toMatchObject({ GroupName: 'coordinator' });
    expect(requests[3]?.body).toMatchObject({ GroupName: 'therapist' });
  });

  it('refuses an e-mail that belongs to another staff record or to the administrator, creating nothing', async () => {
    const { directory, requests } = directoryWith(({ target }) =>
      target === 'AdminGetUser' ? { body: user({ ...anna, 'custom:staff_id': 'bo' }) } : { body: { Groups: [] } },
    );
    await expect(directory.ensure({ email: 'anna@ikb.example', teamId: 'kalmar', staffId: 'anna', group: 'therapist' })).rejects.toBeInstanceOf(
      SignInTaken,
    );
    expect(requests.map((r) => r.target)).not.toContain('AdminCreateUser');
    const admin = directoryWith(({ target }) =>
      target === 'AdminGetUser' ? { body: user({ sub: 's', email: 'root@ikb.example' }) } : { body: { Groups: [{ GroupName: 'admin' }] } },
    );
    await expect(
      admin.directory.ensure({ email: 'root@ikb.example', teamId: 'kalmar', staffId: 'root', group: 'coordinator' }),
    ).rejects.toBeInstanceOf(SignInTaken);
  });

  it('takes the user a concurrent request created (UsernameExistsException) instead of failing', async () => {
    let gets = 0;
    const { directory, requests } = directoryWith(({ target }) => {
      if (target === 'AdminGetUser') return gets++ === 0 ? { error: 'UserNotFoundException' } : { body: user(anna) };
      if (target === 'AdminCreateUser') return { error: 'UsernameExistsException' };
      return { body: { Groups: [{ GroupName: 'therapist' }] } };
    });
    await expect(directory.ensure({ email: 'anna@ikb.example', teamId: 'kalmar', staffId: 'anna', group: 'therapist' })).resolves.toMatchObject({
      staffId: 'anna',
    });
    expect(requests.map((r) => r.target)).toEqual(['AdminGetUser', 'AdminCreateUser', 'AdminGetUser', 'AdminListGroupsForUser']);
  });

  it('disables and enables by e-mail, and a missing user is a no-op', async () => {
    const { directory, requests } = directoryWith(({ body }) =>
      body.Username === 'ghost@ikb.example' ? { error: 'UserNotFoundException' } : { body: {} },
    );
    await directory.disable('Anna@ikb.example');
    await directory.enable('anna@ikb.example');
    await directory.disable('ghost@ikb.example');
    expect(requests).toEqual([
      { target: 'AdminDisableUser', body: { UserPoolId: poolId, Username: 'anna@ikb.example' } },
      { target: 'AdminEnableUser', body: { UserPoolId: poolId, Username: 'anna@ikb.example' } },
      { target: 'AdminDisableUser', body: { UserPoolId: poolId, Username: 'ghost@ikb.example' } },
    ]);
  });

  it('finds by staff only the sign-in whose attributes name that staff record', async () => {
    const { directory } = directoryWith(({ target }) =>
      target === 'AdminGetUser' ? { body: user(anna, false) } : { body: { Groups: [{ GroupName: 'therapist' }, { GroupName: 'not-ours' }] } },
    );
    expect(await directory.findByStaff({ teamId: 'kalmar', staffId: 'anna', email: 'anna@ikb.example' })).toEqual({
      subject: 'sub-anna',
      email: 'anna@ikb.example',
      teamId: 'kalmar',
      staffId: 'anna',
      groups: ['therapist'],
      enabled: false,
    });
    expect(await directory.findByStaff({ teamId: 'other', staffId: 'anna', email: 'anna@ikb.example' })).toBeUndefined();
  });

  it('reports any other failure as SignInDirectoryFailed naming the operation and error class, never the e-mail', async () => {
    const { directory } = directoryWith(() => ({ error: 'TooManyRequestsException' }));
    const failure = await directory.disable('anna@ikb.example').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(SignInDirectoryFailed);
    expect(String((failure as Error).message)).toMatch(/AdminDisableUser.*TooManyRequestsException/);
    expect(String((failure as Error).message)).not.toContain('anna');
    await expect(directory.find('anna@ikb.example')).rejects.toBeInstanceOf(SignInDirectoryFailed);
  });
});

describe('signInDirectoryFromEnv', () => {
  it('needs SIGN_IN_MODE (no silent default), a pool id for cognito, and gives no directory when off', async () => {
    const { signInDirectoryFromEnv } = await import('../../shared/identity/sign-ins-from-env.js');
    expect(() => signInDirectoryFromEnv({})).toThrow(/SIGN_IN_MODE/);
    expect(() => signInDirectoryFromEnv({ SIGN_IN_MODE: 'cognito' })).toThrow(/USER_POOL_ID/);
    expect(signInDirectoryFromEnv({ SIGN_IN_MODE: 'off' })).toBeUndefined();
    expect(signInDirectoryFromEnv({ SIGN_IN_MODE: 'cognito', USER_POOL_ID: poolId })).toBeDefined();
    expect(signInDirectoryFromEnv({ SIGN_IN_MODE: 'local', IKB_LOCAL_DIR: '/tmp/x' })).toBeDefined();
  });
});

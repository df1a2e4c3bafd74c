import * as z from 'zod';
import type { SignInDirectory } from './sign-in-directory.js';
import { LocalSignInDirectory, defaultSignInFile } from './local-sign-ins.js';

const SignInConfig = /* @__PURE__ */ (() =>
  z.object({
    /**
     * `cognito` = the user pool (AWS); `local` = the JSON file the local OpenID provider reads (`npm start`);
     * `off` = staff records get no sign-in (test suites about other things). Required: no silent default.
     */
    SIGN_IN_MODE: z.enum(['cognito', 'local', 'off'], { error: 'SIGN_IN_MODE must be cognito, local or off' }),
    USER_POOL_ID: z.string().min(1).optional(),
    SIGN_IN_FILE: z.string().min(1).optional(),
    AWS_REGION: z.string().default('eu-north-1'),
  }))();

/** A directory whose adapter is loaded on first use: most staff requests never touch the sign-in (≈ 20 ms of SDK load saved). */
function lazy(create: () => Promise<SignInDirectory>): SignInDirectory {
  let directory: Promise<SignInDirectory> | undefined;
  const get = () => (directory ??= create());
  return {
    ensure: async (identity) => (await get()).ensure(identity),
    disable: async (email) => (await get()).disable(email),
    enable: async (email) => (await get()).enable(email),
    setGroup: async (email, group) => (await get()).setGroup(email, group),
    find: async (email) => (await get()).find(email),
    findByStaff: async (staff) => (await get()).findByStaff(staff),
  };
}

/** The sign-in directory the environment chooses (read and validated once, at load); undefined when SIGN_IN_MODE=off. */
export function signInDirectoryFromEnv(env: NodeJS.ProcessEnv = process.env): SignInDirectory | undefined {
  const config = SignInConfig.parse(env);
  if (config.SIGN_IN_MODE === 'off') return undefined;
  if (config.SIGN_IN_MODE === 'local') return new LocalSignInDirectory(config.SIGN_IN_FILE ?? defaultSignInFile(env));
  const userPoolId = config.USER_POOL_ID;
  if (!userPoolId) throw new Error('USER_POOL_ID is required when SIGN_IN_MODE=cognito');
  return lazy(async () => {
    const [{ CognitoIdentityProviderClient }, { CognitoSignInDirectory }] = await Promise.all([
      import('@aws-sdk/client-cognito-identity-provider'),
      import('./cognito-sign-ins.js'),
    ]);
    return new CognitoSignInDirectory(new CognitoIdentityProviderClient({ region: config.AWS_REGION }), userPoolId);
  });
}

import { randomUUID } from 'node:crypto';
import type { Codes } from './codes.ts';
import { codeMismatch } from './codes.ts';
import { requireClient, type PoolContext } from './context.ts';
import { CognitoError, invalidParameter, notAuthorized } from './errors.ts';
import { checkPasswordPolicy, passwordCredentials } from './passwords.ts';
import type { Requests } from './requests.ts';
import type { StoredUser } from './state.ts';
import type { Tokens } from './tokens.ts';
import type { UserExistenceMask } from './user-existence.ts';

/** Cognito's PostConfirmation_ConfirmSignUp Lambda trigger event. */
export interface PostConfirmationEvent {
  version: '1';
  region: string;
  userPoolId: string;
  userName: string;
  triggerSource: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword';
  callerContext: { awsSdkVersion: string; clientId: string };
  request: { userAttributes: Record<string, string> };
  response: Record<string, never>;
}

/**
 * The user pool's schema: Cognito's standard attributes a client may write at sign-up (the
 * `_verified` flags and `sub` are Cognito's own). Anything else is refused, as a pool with no
 * custom attributes does.
 */
const WRITABLE_ATTRIBUTES = new Set([
  'address',
  'birthdate',
  'email',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
]);
const MAX_ATTRIBUTE_LENGTH = 2048;

function signUpAttributes(list: Requests['SignUp']['UserAttributes']): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const { Name, Value } of list ?? []) {
    if (!Name || !WRITABLE_ATTRIBUTES.has(Name))
      throw invalidParameter(
        `Attributes did not conform to the schema: ${Name}: Attribute does not exist in the schema.`,
      );
    if ((Value ?? '').length > MAX_ATTRIBUTE_LENGTH)
      throw invalidParameter(
        `Attributes did not conform to the schema: ${Name}: String must be no longer than 2048 characters`,
      );
    attributes.set(Name, Value ?? '');
  }
  return attributes;
}

/** Sign-up, confirmation by emailed code, and password reset by emailed code. */
export function createSignUp(
  context: PoolContext,
  deps: {
    codes: Codes;
    tokens: Tokens;
    existence: UserExistenceMask;
    onPostConfirmation?(event: PostConfirmationEvent): Promise<void>;
  },
) {
  const { state, now } = context;
  const { codes, existence } = deps;

  return {
    async SignUp(input: Requests['SignUp']) {
      requireClient(context, input.ClientId);
      const attributes = signUpAttributes(input.UserAttributes);
      const email = (attributes.get('email') ?? input.Username!).toLowerCase();
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw invalidParameter('Invalid email address format.');
      checkPasswordPolicy(input.Password);
      if (state.findUser(email))
        throw new CognitoError('UsernameExistsException', 'An account with the given email already exists.');
      const sub = randomUUID();
      const at = new Date(now()).toISOString();
      const user: StoredUser = {
        sub,
        email,
        attributes: { ...Object.fromEntries(attributes), email },
        status: 'UNCONFIRMED',
        createdAt: at,
        updatedAt: at,
        ...(await passwordCredentials(context.poolName, sub, input.Password)),
      };
      state.addUser(user);
      const delivery = await codes.send(user, 'signUp');
      return { UserConfirmed: false, UserSub: sub, ...delivery };
    },

    async ConfirmSignUp(input: Requests['ConfirmSignUp']) {
      requireClient(context, input.ClientId);
      const user = state.findUser(input.Username);
      if (!user) throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
      if (user.status === 'CONFIRMED') throw notAuthorized('User cannot be confirmed. Current status is CONFIRMED');
      await codes.check(user, 'signUp', input.ConfirmationCode!);
      user.status = 'CONFIRMED';
      user.updatedAt = new Date(now()).toISOString();
      await state.save();
      // As on Cognito: the user stays confirmed and the caller sees the trigger's failure.
      await deps
        .onPostConfirmation?.({
          version: '1',
          region: context.region,
          userPoolId: context.userPoolId,
          userName: user.sub,
          triggerSource: 'PostConfirmation_ConfirmSignUp',
          callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: context.clientId },
          request: {
            userAttributes: {
              sub: user.sub,
              ...user.attributes,
              email_verified: 'true',
              'cognito:user_status': 'CONFIRMED',
              'cognito:email_alias': user.email,
            },
          },
          response: {},
        })
        .catch((error: Error) => {
          throw new CognitoError(
            'UserLambdaValidationException',
            `PostConfirmation failed with error ${error.message}.`,
          );
        });
      return {};
    },

    async ResendConfirmationCode(input: Requests['ResendConfirmationCode']) {
      requireClient(context, input.ClientId);
      const user = state.findUser(input.Username);
      if (!user) return existence.codeDelivery(input.Username!);
      if (user.status === 'CONFIRMED') throw invalidParameter('User is already confirmed.');
      return codes.send(user, 'signUp');
    },

    async ForgotPassword(input: Requests['ForgotPassword']) {
      requireClient(context, input.ClientId);
      const user = state.findUser(input.Username);
      if (!user) return existence.codeDelivery(input.Username!);
      return codes.send(user, 'forgotPassword');
    },

    /** A reset ends every session of the user: tokens issued before it stop working, refresh tokens too. */
    async ConfirmForgotPassword(input: Requests['ConfirmForgotPassword']) {
      requireClient(context, input.ClientId);
      const user = state.findUser(input.Username);
      if (!user) throw codeMismatch();
      checkPasswordPolicy(input.Password);
      await codes.check(user, 'forgotPassword', input.ConfirmationCode!);
      Object.assign(user, await passwordCredentials(context.poolName, user.sub, input.Password));
      user.updatedAt = new Date(now()).toISOString();
      await state.save();
      await deps.tokens.endSessionsOf(user.sub);
      return {};
    },
  };
}

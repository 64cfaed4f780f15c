import type { PoolContext } from './context.ts';
import { CognitoError, invalidParameter } from './errors.ts';
import type { Requests } from './requests.ts';
import type { Tokens } from './tokens.ts';

/**
 * The admin operations the functions call with IAM credentials (the handler checks the SigV4
 * signature, service `cognito-idp`): disabling a user (no sign-in or refresh, every session
 * ended, as AdminDisableUser revokes the user's tokens) and deleting one (account deletion).
 * Locally an ended session's access token is refused at once by the API too; on AWS AppSync
 * accepts it until it expires.
 */
export function createAdmin(context: PoolContext, deps: { tokens: Tokens }) {
  const { state } = context;
  function userOf(input: { UserPoolId?: string; Username?: string }) {
    if (input.UserPoolId !== context.userPoolId)
      throw new CognitoError('ResourceNotFoundException', `User pool ${input.UserPoolId} does not exist.`);
    if (!input.Username) throw invalidParameter('Username');
    const user = state.findUser(input.Username);
    if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  }
  return {
    async AdminDisableUser(input: Requests['AdminDisableUser']) {
      const user = userOf(input);
      user.enabled = false;
      await deps.tokens.endSessionsOf(user.sub);
      return {};
    },
    async AdminDeleteUser(input: Requests['AdminDeleteUser']) {
      const user = userOf(input);
      await deps.tokens.endSessionsOf(user.sub);
      state.removeUser(user.sub);
      await state.save();
      return {};
    },
  };
}

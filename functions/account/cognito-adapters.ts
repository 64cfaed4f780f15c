import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SignInAccounts } from './ports.ts';

const nameOf = (error: unknown) => (error as { name?: string }).name ?? '';

/**
 * The user pool: the password is checked by signing in with it (USER_PASSWORD_AUTH, which the
 * app client allows), so Cognito's own lockout applies to guesses; the account is disabled and
 * deleted with the admin API (IAM).
 */
export function createSignInAccounts(
  cognito: CognitoIdentityProviderClient,
  pool: { userPoolId: string; clientId: string },
): SignInAccounts {
  return {
    async passwordMatches(email, password) {
      try {
        // Tokens, or a second-factor challenge: either way the password was right. The tokens are not kept.
        await cognito.send(
          new InitiateAuthCommand({
            ClientId: pool.clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: email, PASSWORD: password },
          }),
        );
        return true;
      } catch (error) {
        if (
          [
            'NotAuthorizedException',
            'UserNotFoundException',
            'PasswordResetRequiredException',
            'UserNotConfirmedException',
          ].includes(nameOf(error))
        )
          return false;
        throw error;
      }
    },
    async disable(userId) {
      try {
        await cognito.send(new AdminDisableUserCommand({ UserPoolId: pool.userPoolId, Username: userId }));
        return true;
      } catch (error) {
        if (nameOf(error) === 'UserNotFoundException') return false;
        throw error;
      }
    },
    async delete(userId) {
      try {
        await cognito.send(new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: userId }));
        return true;
      } catch (error) {
        if (nameOf(error) === 'UserNotFoundException') return false;
        throw error;
      }
    },
  };
}

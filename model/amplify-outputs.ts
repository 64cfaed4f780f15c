/**
 * `amplify_outputs.json` in Amplify Gen 2's format for the local stack. Amplify drops unknown
 * keys, so `auth.user_pool_endpoint` is read by the app itself:
 *   Amplify.configure({ ...Amplify.getConfig(), Auth: { Cognito: { ...Amplify.getConfig().Auth!.Cognito, userPoolEndpoint: outputs.auth.user_pool_endpoint } } })
 * No `identity_pool_id`: with one, Amplify would call Cognito Identity, which is not emulated.
 */
export interface AmplifyOutputs {
  version: string;
  auth: {
    aws_region: string;
    user_pool_id: string;
    user_pool_client_id: string;
    user_pool_endpoint: string;
    username_attributes: string[];
    standard_required_attributes: string[];
    user_verification_types: string[];
    mfa_configuration: 'OPTIONAL';
    mfa_methods: Array<'TOTP'>;
    password_policy?: Record<string, unknown>;
  };
  data: {
    url: string;
    aws_region: string;
    default_authorization_type: 'AMAZON_COGNITO_USER_POOLS';
    authorization_types: string[];
  };
}

export function amplifyOutputs(options: {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  userPoolEndpoint: string;
  graphqlUrl: string;
  passwordPolicy?: Record<string, unknown>;
}): AmplifyOutputs {
  return {
    version: '1.4',
    auth: {
      aws_region: options.region,
      user_pool_id: options.userPoolId,
      user_pool_client_id: options.userPoolClientId,
      user_pool_endpoint: options.userPoolEndpoint,
      username_attributes: ['email'],
      standard_required_attributes: ['email'],
      user_verification_types: ['email'],
      // As infra/constructs/auth.ts configures the pool: MFA optional, TOTP only.
      mfa_configuration: 'OPTIONAL',
      mfa_methods: ['TOTP'],
      ...(options.passwordPolicy ? { password_policy: options.passwordPolicy } : {}),
    },
    data: {
      url: options.graphqlUrl,
      aws_region: options.region,
      default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
      authorization_types: ['AWS_IAM'],
    },
  };
}

import type {
  AdminDeleteUserRequest,
  AdminDisableUserRequest,
  AssociateSoftwareTokenRequest,
  ConfirmForgotPasswordRequest,
  ConfirmSignUpRequest,
  ForgotPasswordRequest,
  GetTokensFromRefreshTokenRequest,
  GetUserRequest,
  GlobalSignOutRequest,
  InitiateAuthRequest,
  ResendConfirmationCodeRequest,
  RespondToAuthChallengeRequest,
  RevokeTokenRequest,
  SetUserMFAPreferenceRequest,
  SignUpRequest,
  VerifySoftwareTokenRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoError } from './errors.ts';

/**
 * The requests the stand-in serves, with the type of each member as Cognito's model declares
 * it. A body is checked against its shape before any operation reads it, as Cognito's
 * front end does: a value of the wrong type is a 400 `SerializationException` (never a
 * value coerced, never a crash), a required member missing is an `InvalidParameterException`
 * in Cognito's words, and members the stand-in does not use are ignored.
 */
export interface Requests {
  SignUp: SignUpRequest;
  ConfirmSignUp: ConfirmSignUpRequest;
  ResendConfirmationCode: ResendConfirmationCodeRequest;
  ForgotPassword: ForgotPasswordRequest;
  ConfirmForgotPassword: ConfirmForgotPasswordRequest;
  InitiateAuth: InitiateAuthRequest;
  RespondToAuthChallenge: RespondToAuthChallengeRequest;
  GetTokensFromRefreshToken: GetTokensFromRefreshTokenRequest;
  GetUser: GetUserRequest;
  AssociateSoftwareToken: AssociateSoftwareTokenRequest;
  VerifySoftwareToken: VerifySoftwareTokenRequest;
  SetUserMFAPreference: SetUserMFAPreferenceRequest;
  RevokeToken: RevokeTokenRequest;
  GlobalSignOut: GlobalSignOutRequest;
  AdminDisableUser: AdminDisableUserRequest;
  AdminDeleteUser: AdminDeleteUserRequest;
}
export type Operation = keyof Requests;

type MemberType = 'string' | 'boolean' | 'stringMap' | 'attributeList' | 'mfaSettings';
interface Shape {
  members: Record<string, MemberType>;
  required: string[];
}

const clientCall = { ClientId: 'string', ClientMetadata: 'stringMap' } as const;
const mfaSettings = { SMSMfaSettings: 'mfaSettings', SoftwareTokenMfaSettings: 'mfaSettings' } as const;

const SHAPES: { [O in Operation]: Shape } = {
  SignUp: {
    members: {
      ...clientCall,
      Username: 'string',
      Password: 'string',
      SecretHash: 'string',
      UserAttributes: 'attributeList',
      ValidationData: 'attributeList',
    },
    required: ['ClientId', 'Username'],
  },
  ConfirmSignUp: {
    members: { ...clientCall, Username: 'string', ConfirmationCode: 'string', Session: 'string' },
    required: ['ClientId', 'Username', 'ConfirmationCode'],
  },
  ResendConfirmationCode: { members: { ...clientCall, Username: 'string' }, required: ['ClientId', 'Username'] },
  ForgotPassword: { members: { ...clientCall, Username: 'string' }, required: ['ClientId', 'Username'] },
  ConfirmForgotPassword: {
    members: { ...clientCall, Username: 'string', ConfirmationCode: 'string', Password: 'string' },
    required: ['ClientId', 'Username', 'ConfirmationCode', 'Password'],
  },
  InitiateAuth: {
    members: { ...clientCall, AuthFlow: 'string', AuthParameters: 'stringMap', Session: 'string' },
    required: ['ClientId', 'AuthFlow'],
  },
  RespondToAuthChallenge: {
    members: { ...clientCall, ChallengeName: 'string', Session: 'string', ChallengeResponses: 'stringMap' },
    required: ['ClientId', 'ChallengeName'],
  },
  GetTokensFromRefreshToken: {
    members: { ...clientCall, RefreshToken: 'string', ClientSecret: 'string', DeviceKey: 'string' },
    required: ['ClientId', 'RefreshToken'],
  },
  GetUser: { members: { AccessToken: 'string' }, required: ['AccessToken'] },
  AssociateSoftwareToken: { members: { AccessToken: 'string', Session: 'string' }, required: [] },
  VerifySoftwareToken: {
    members: { AccessToken: 'string', Session: 'string', UserCode: 'string', FriendlyDeviceName: 'string' },
    required: ['UserCode'],
  },
  SetUserMFAPreference: {
    members: { AccessToken: 'string', EmailMfaSettings: 'mfaSettings', ...mfaSettings },
    required: ['AccessToken'],
  },
  RevokeToken: {
    members: { ClientId: 'string', Token: 'string', ClientSecret: 'string' },
    required: ['ClientId', 'Token'],
  },
  GlobalSignOut: { members: { AccessToken: 'string' }, required: ['AccessToken'] },
  AdminDisableUser: { members: { UserPoolId: 'string', Username: 'string' }, required: ['UserPoolId', 'Username'] },
  AdminDeleteUser: { members: { UserPoolId: 'string', Username: 'string' }, required: ['UserPoolId', 'Username'] },
};

/** Operations only IAM-signed callers (service `cognito-idp`) may call, as on AWS. */
export const isAdminOperation = (name: string) => name.startsWith('Admin');

export const isOperation = (name: string): name is Operation => Object.hasOwn(SHAPES, name);

const kindOf = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'list'
      : typeof value === 'object'
        ? 'structure'
        : typeof value === 'string'
          ? 'string'
          : typeof value === 'boolean'
            ? 'boolean'
            : 'number';

/** Coral's wording for a JSON value where another type was expected. */
function mismatch(found: string): CognitoError {
  const messages: Record<string, string> = {
    structure: 'Start of structure or map found where not expected.',
    list: 'Start of list found where not expected.',
    string: 'STRING_VALUE can not be converted to the expected type.',
    number: 'NUMBER_VALUE can not be converted to the expected type.',
    boolean: 'Boolean value found where not expected.',
  };
  return new CognitoError('SerializationException', messages[found] ?? 'Unexpected value.');
}

const isRecord = (value: unknown): value is Record<string, unknown> => kindOf(value) === 'structure';

function check(type: MemberType, value: unknown): void {
  const found = kindOf(value);
  switch (type) {
    case 'string':
    case 'boolean':
      if (found !== type) throw mismatch(found);
      return;
    case 'stringMap':
      if (!isRecord(value)) throw mismatch(found);
      for (const entry of Object.values(value))
        if (entry !== null && kindOf(entry) !== 'string') throw mismatch(kindOf(entry));
      return;
    case 'attributeList':
      if (!Array.isArray(value)) throw mismatch(found);
      for (const attribute of value) {
        if (!isRecord(attribute)) throw mismatch(kindOf(attribute));
        for (const member of ['Name', 'Value'])
          if (attribute[member] !== undefined && attribute[member] !== null) check('string', attribute[member]);
      }
      return;
    case 'mfaSettings':
      if (!isRecord(value)) throw mismatch(found);
      for (const member of ['Enabled', 'PreferredMfa'])
        if (value[member] !== undefined && value[member] !== null) check('boolean', value[member]);
      return;
  }
}

const lowerFirst = (name: string) => `${name[0].toLowerCase()}${name.slice(1)}`;

/** The body of `operation`, checked against its shape; JSON nulls read as absent members. */
export function parseRequest<O extends Operation>(operation: O, body: unknown): Requests[O] {
  if (!isRecord(body)) throw mismatch(kindOf(body));
  const shape = SHAPES[operation];
  const input: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [member, type] of Object.entries(shape.members)) {
    const value = Object.hasOwn(body, member) ? body[member] : undefined;
    if (value === undefined || value === null) continue;
    check(type, value);
    input[member] = value;
  }
  const missing = shape.required.filter((member) => input[member] === undefined);
  if (missing.length)
    throw new CognitoError(
      'InvalidParameterException',
      `${missing.length} validation error${missing.length > 1 ? 's' : ''} detected: ${missing
        .map((member) => `Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`)
        .join('; ')}`,
    );
  return input as unknown as Requests[O];
}

/**
 * Every failure the app shows, in words a person understands: GraphQL errors by their
 * errorType (schema.graphql), Cognito's by their exception name, and a network that is gone.
 * Whatever failed, what the person typed stays where it was.
 */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly info: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What Amplify rejects with: `{data, errors}` for GraphQL errors, an Error otherwise. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const e = error as {
    errors?: Array<{
      message?: string;
      errorType?: string;
      errorInfo?: Record<string, unknown> | null;
      /** A request refused before it ran (HTTP 401…): Amplify's GraphQLError around the REST error. */
      originalError?: { name?: string } | null;
    }>;
    name?: string;
    message?: string;
  };
  const first = e?.errors?.[0];
  if (first) {
    const network = /network error|failed to fetch|load failed|networkerror/i.test(first.message ?? '');
    return new ApiError(
      network ? 'NetworkError' : (first.errorType ?? first.originalError?.name ?? 'UnknownError'),
      first.message ?? '',
      first.errorInfo ?? {},
    );
  }
  if (e instanceof TypeError || /failed to fetch|network/i.test(e?.message ?? ''))
    return new ApiError('NetworkError', String(e?.message));
  return new ApiError(e?.name ?? 'UnknownError', e?.message ?? String(error));
}

const COGNITO: Record<string, string> = {
  NotAuthorizedException: 'The email or password is not right.',
  UserNotFoundException: 'The email or password is not right.',
  UsernameExistsException: 'An account with this email already exists. Sign in, or reset the password.',
  CodeMismatchException: 'That code is not the one we sent. Check the latest email and try again.',
  ExpiredCodeException: 'That code has expired. Ask for a new one.',
  InvalidPasswordException: 'The password does not meet the rules below.',
  LimitExceededException: 'Too many attempts. Wait a few minutes, then try again.',
  TooManyRequestsException: 'Too many attempts. Wait a few minutes, then try again.',
  TooManyFailedAttemptsException: 'Too many failed attempts. Wait a few minutes, then try again.',
  UserNotConfirmedException: 'This account is not confirmed yet. Enter the code from the email we sent.',
  EnableSoftwareTokenMFAException: 'That code did not match your authenticator app. Try the current code.',
  EmptySignInUsername: 'Enter your email.',
  EmptySignInPassword: 'Enter your password.',
  EmptySignUpUsername: 'Enter your email.',
  EmptySignUpPassword: 'Enter a password.',
  EmptyConfirmSignUpCode: 'Enter the code from the email.',
  UserAlreadyAuthenticatedException: 'You are already signed in.',
  InvalidParameterException: 'Something in the form is not valid. Check the email and the code.',
};

export function describeError(error: unknown, subject = 'this'): string {
  const e = toApiError(error);
  if (e.type === 'NetworkError' || (typeof navigator !== 'undefined' && !navigator.onLine))
    return 'You seem to be offline. Nothing was lost: try again when the connection is back.';
  if (COGNITO[e.type]) return COGNITO[e.type];
  switch (e.type) {
    case 'ValidationError':
      return e.message || 'Something in the form is not valid.';
    case 'NotFound':
      return `We could not find ${subject}: it may have been deleted on another device.`;
    case 'Conflict':
      return `${capitalize(subject)} was changed somewhere else (another tab or device) since you opened it. Your edits are still here: check the current values and save again.`;
    case 'DuplicateReceipt':
      return 'You already uploaded this receipt.';
    case 'LimitExceeded':
      return typeof e.info.limit === 'number'
        ? `Too large: the limit is ${formatBytes(e.info.limit)}.`
        : e.message || 'A limit was reached.';
    case 'Unauthorized':
    case 'UnauthorizedException':
    case 'NoSignedUser':
    case 'UserUnAuthenticatedException':
      return 'Your session has ended. Sign in again; nothing you entered here is lost.';
    case 'OcrFailed':
      return 'We could not read this receipt. You can type the expense in instead.';
    default:
      return 'Something went wrong on our side. Nothing was lost; please try again in a moment.';
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

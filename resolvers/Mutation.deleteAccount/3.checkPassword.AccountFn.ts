import { runtime, type Context } from '@aws-appsync/utils';
import { correlationIdOf } from '../lib/correlation';
import { callerId } from '../lib/errors';
import { fieldFunctionResult } from '../lib/lambda';

// The password, checked by signing in with it (Cognito's lockout applies); not needed right after a fresh sign-in.
export function request(ctx: Context) {
  if (ctx.stash.freshSignIn && !ctx.args.password) runtime.earlyReturn(null);
  return {
    operation: 'Invoke',
    payload: {
      typeName: 'Mutation',
      fieldName: 'deleteAccount',
      arguments: { password: ctx.args.password || null },
      sub: callerId(ctx),
      source: { email: ctx.stash.email },
      requestId: correlationIdOf(ctx),
    },
  };
}

export function response(ctx: Context) {
  return fieldFunctionResult(ctx);
}

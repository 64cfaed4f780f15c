import type { Context } from '@aws-appsync/utils';
import type { MutationUpdateProfileArgs } from '../../generated/graphql';
import type { UserObject } from '../../model/users';

type UpdateProfileContext = Context<MutationUpdateProfileArgs, Record<string, never>, { result: UserObject }>;

/** updateProfile: the one write (step 1, which validates) → with a new home currency, RatesFn converts every expense again (async). */
export function request(): Record<string, never> {
  return {};
}

export function response(ctx: UpdateProfileContext): UserObject {
  return ctx.prev.result;
}

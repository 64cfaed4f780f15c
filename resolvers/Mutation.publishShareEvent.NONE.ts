import type { Context, NONERequest } from '@aws-appsync/utils';
import type { MutationPublishShareEventArgs, ShareEvent } from '../generated/graphql';

type PublishShareEventContext = Context<
  MutationPublishShareEventArgs,
  Record<string, never>,
  undefined,
  undefined,
  ShareEvent
>;

// Called by the sharing function over IAM; the event fans out to onShareEvent subscribers whose
// filter matches its recipient. Nothing is stored: the Sharing table marks what was told.
export function request(ctx: PublishShareEventContext): NONERequest {
  return { payload: ctx.args.input };
}

export function response(ctx: PublishShareEventContext): ShareEvent {
  return ctx.result;
}

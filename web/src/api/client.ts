import { generateClient } from 'aws-amplify/api';
import { toApiError } from '../lib/errors.ts';

/**
 * GraphQL through Amplify's own client (`generateClient`): the user pool's access token on
 * every request, subscriptions over AppSync's real-time protocol. Errors come back as ApiError.
 */
type LooseClient = {
  graphql(options: { query: string; variables?: Record<string, unknown> }): unknown;
};
let client: LooseClient | undefined;
const api = () => (client ??= generateClient() as unknown as LooseClient);

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  try {
    const result = (await api().graphql({ query, variables })) as { data: T };
    return result.data;
  } catch (error) {
    throw toApiError(error);
  }
}

export interface Subscription {
  unsubscribe(): void;
}

export function subscribe<T>(
  query: string,
  onData: (data: T) => void,
  onError: (error: unknown) => void,
): Subscription {
  const observable = api().graphql({ query }) as {
    subscribe(observer: { next(value: { data: T }): void; error(error: unknown): void }): Subscription;
  };
  return observable.subscribe({ next: (value) => onData(value.data), error: onError });
}

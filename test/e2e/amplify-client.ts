/**
 * A real Amplify v6 client (unmodified `aws-amplify`, default SRP sign-in), driven over IPC
 * by test/e2e/amplify.test.ts. It runs in its own process because Amplify opens `wss://` to
 * the local API, and Node reads NODE_EXTRA_CA_CERTS (the stack's self-signed certificate)
 * only at startup.
 */
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { WebSocket } from 'ws';

// Node 20 has no global WebSocket; without one Amplify retries silently forever.
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;

type Request = { id: number; command: string; args: any[] };

const subscriptions = new Map<string, { events: unknown[]; errors: unknown[]; unsubscribe(): void }>();
// Loosely typed on purpose: the generated client's deep types are irrelevant to a test driver.
type LooseClient = { graphql(options: Record<string, unknown>): unknown };
let client: LooseClient | undefined;

const commands: Record<string, (...args: any[]) => Promise<unknown>> = {
  async configure(outputsUrl: string) {
    const outputs = (await (await fetch(outputsUrl)).json()) as Parameters<typeof Amplify.configure>[0] & {
      auth: { user_pool_endpoint: string };
    };
    Amplify.configure(outputs);
    // The one line README documents: Amplify drops unknown keys, so the endpoint is set here.
    const config = Amplify.getConfig();
    Amplify.configure({
      ...config,
      Auth: { Cognito: { ...config.Auth!.Cognito, userPoolEndpoint: outputs.auth.user_pool_endpoint } },
    } as Parameters<typeof Amplify.configure>[0]);
    client = generateClient() as unknown as LooseClient;
    return true;
  },
  signUp: (email: string, password: string) =>
    signUp({ username: email, password, options: { userAttributes: { email } } }),
  confirmSignUp: (email: string, code: string) => confirmSignUp({ username: email, confirmationCode: code }),
  signIn: (email: string, password: string) => signIn({ username: email, password }),
  signOut: () => signOut(),
  async session() {
    const session = await fetchAuthSession();
    return { sub: session.tokens?.accessToken.payload.sub, accessToken: session.tokens?.accessToken.toString() };
  },
  /** `auth` picks another Amplify auth mode, e.g. {authMode: 'lambda', authToken} (default: the user pool). */
  async graphql(query: string, variables: Record<string, unknown> = {}, auth: Record<string, string> = {}) {
    try {
      return await (client!.graphql({ query, variables, ...auth }) as Promise<unknown>);
    } catch (error) {
      // client.graphql rejects with {data, errors} when the response carries errors.
      const e = error as { data?: unknown; errors?: Array<{ message: string; errorType?: string }> };
      return {
        data: e.data ?? null,
        errors: (e.errors ?? [{ message: String(error) }]).map((x) => ({ message: x.message, errorType: x.errorType })),
      };
    }
  },
  async subscribe(name: string, query: string, auth: Record<string, string> = {}) {
    const record = { events: [] as unknown[], errors: [] as unknown[], unsubscribe: () => {} };
    const observable = client!.graphql({ query, ...auth }) as unknown as {
      subscribe(o: { next(v: unknown): void; error(e: unknown): void }): { unsubscribe(): void };
    };
    const subscription = observable.subscribe({
      next: (value) => record.events.push((value as { data: unknown }).data),
      error: (error) => record.errors.push(JSON.parse(JSON.stringify(error, Object.getOwnPropertyNames(error ?? {})))),
    });
    record.unsubscribe = () => subscription.unsubscribe();
    subscriptions.set(name, record);
    return true;
  },
  async received(name: string) {
    const record = subscriptions.get(name)!;
    return { events: record.events, errors: record.errors };
  },
  async unsubscribe(name: string) {
    subscriptions.get(name)?.unsubscribe();
    return true;
  },
};

process.on('message', (request: Request) => {
  commands[request.command](...request.args).then(
    (result) => process.send!({ id: request.id, result: JSON.parse(JSON.stringify(result ?? null)) }),
    (error: Error) => process.send!({ id: request.id, error: { name: error.name, message: error.message } }),
  );
});
process.send!({ ready: true });

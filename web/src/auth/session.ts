import { fetchAuthSession, signOut as amplifySignOut } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import { loadConfig } from '../config.ts';
import { createStore } from '../lib/store.ts';

/** Who is signed in, from Amplify's session (tokens kept in localStorage, refreshed by Amplify). */
export type Session =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; email: string; sub: string }
  | { status: 'failed'; message: string };

export const session = createStore<Session>({ status: 'loading' });

/** What the sign-in page says after a sign-out the app made (the account deleted). */
export const signedOutNotice = createStore<string | null>(null);

async function readSession(): Promise<void> {
  try {
    const { tokens } = await fetchAuthSession();
    if (!tokens?.idToken) {
      session.set({ status: 'signedOut' });
      return;
    }
    session.set({
      status: 'signedIn',
      email: String(tokens.idToken.payload.email ?? ''),
      sub: String(tokens.idToken.payload.sub ?? ''),
    });
  } catch {
    session.set({ status: 'signedOut' });
  }
}

export async function startSession(): Promise<void> {
  try {
    await loadConfig();
  } catch {
    session.set({
      status: 'failed',
      message: 'The app could not reach its server. Check the connection, then reload the page.',
    });
    return;
  }
  Hub.listen('auth', ({ payload }) => {
    if (payload.event === 'signedIn' || payload.event === 'tokenRefresh') void readSession();
    if (payload.event === 'signedOut' || payload.event === 'tokenRefresh_failure') session.set({ status: 'signedOut' });
  });
  await readSession();
}

export async function signOut(): Promise<void> {
  try {
    await amplifySignOut();
  } finally {
    session.set({ status: 'signedOut' });
  }
}

/** After a sign-in step completes (Hub fires too; this makes the switch immediate). */
export const refreshSession = readSession;

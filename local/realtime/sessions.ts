import { UnauthorizedError, type Authenticator, type Caller } from '../server/auth.ts';

/**
 * What a real-time connection or subscription was authorized with stays valid only as long as
 * its token: at the token's expiry, or when its sign-in session ends (RevokeToken,
 * GlobalSignOut, a password reset), its holder is ended with AppSync's message for the
 * token (`Token has expired.`, `Unauthorized`). AppSync closes the connection then; Amplify
 * reconnects with fresh tokens, or fails for good when the session is gone.
 */
export interface SessionWatchOptions {
  authenticator: Authenticator;
  /** Subscribes to the ends of sign-in sessions (the Cognito stand-in's); returns the unsubscribe. */
  onSessionsEnded?: (listener: () => void) => () => void;
}

interface Watched {
  token: string;
  sourceIp: string[];
  end(message: string): void;
  timer?: NodeJS.Timeout;
}

// setTimeout's longest delay; a later expiry is looked at again then.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** When `caller`'s token expires (ms since the epoch), or undefined for credentials without expiry (IAM). */
export function expiryOf(caller: Caller): number | undefined {
  if (caller.mode !== 'AMAZON_COGNITO_USER_POOLS') return undefined;
  const exp = caller.identity.claims.exp;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

export function createSessionWatch(options: SessionWatchOptions) {
  const watched = new Set<Watched>();

  function ended(entry: Watched, message: string) {
    if (!watched.delete(entry)) return;
    clearTimeout(entry.timer);
    entry.end(message);
  }

  function armTimer(entry: Watched, expiresAt: number) {
    entry.timer = setTimeout(
      () => {
        if (Date.now() >= expiresAt) ended(entry, 'Token has expired.');
        else armTimer(entry, expiresAt);
      },
      Math.min(Math.max(expiresAt - Date.now(), 0), MAX_TIMER_MS),
    ).unref();
  }

  /** Authenticates every watched token again: those of ended sessions are refused now. */
  function recheckAll() {
    for (const entry of [...watched]) {
      options.authenticator.authenticateToken(entry.token, entry.sourceIp).catch((error: unknown) => {
        ended(entry, error instanceof UnauthorizedError ? error.message : 'Unauthorized');
      });
    }
  }
  const unsubscribe = options.onSessionsEnded?.(recheckAll);

  return {
    /** Calls `end` once, when the token `caller` was authenticated with expires or its session ends; returns the unwatch. */
    watch(token: string, caller: Caller, sourceIp: string[], end: (message: string) => void): () => void {
      const entry: Watched = { token, sourceIp, end };
      watched.add(entry);
      const expiresAt = expiryOf(caller);
      if (expiresAt !== undefined) armTimer(entry, expiresAt);
      return () => {
        watched.delete(entry);
        clearTimeout(entry.timer);
      };
    },
    close() {
      unsubscribe?.();
      for (const entry of watched) clearTimeout(entry.timer);
      watched.clear();
    },
  };
}

export type SessionWatch = ReturnType<typeof createSessionWatch>;

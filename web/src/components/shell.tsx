import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { session, signOut } from '../auth/session.ts';
import { liveState, startLive, stopLive } from '../lib/live.ts';
import { loadProfile, profile } from '../lib/profile.ts';
import { refreshReviewCount, reviewCount } from '../lib/review-count.ts';
import { restoreQueue } from '../lib/upload-queue.ts';
import { Toasts } from './toasts.tsx';

const NAV = [
  { href: '/', label: 'Receipts' },
  { href: '/review', label: 'Review' },
  { href: '/expenses', label: 'Expenses' },
  { href: '/import', label: 'Import' },
  { href: '/budgets', label: 'Budgets' },
  { href: '/subscriptions', label: 'Subscriptions' },
  { href: '/shared', label: 'Shared' },
  { href: '/reports', label: 'Reports' },
  { href: '/settings', label: 'Settings' },
];

let started = false;

/** What a signed-in session runs in the background: live events, the profile, the upload queue. */
function startSignedIn() {
  if (started) return;
  started = true;
  startLive();
  void loadProfile().catch(() => {});
  void refreshReviewCount();
  void restoreQueue();
}

export function Shell(props: { signedIn: boolean; children: ComponentChildren }) {
  const { path } = useLocation();
  const count = reviewCount.use();
  const live = liveState.use();
  const me = profile.use();
  const state = session.use();

  useEffect(() => {
    if (props.signedIn) startSignedIn();
    else if (started) {
      started = false;
      stopLive();
    }
  }, [props.signedIn]);

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/">
          Smart Expense Tracker
        </a>
        {props.signedIn && (
          <>
            <nav aria-label="Main">
              <ul>
                {NAV.map((item) => (
                  <li key={item.href}>
                    <a href={item.href} aria-current={path === item.href ? 'page' : undefined}>
                      {item.label}
                      {item.href === '/review' && count > 0 && (
                        <span class="badge">
                          {count}
                          <span class="visually-hidden"> to review</span>
                        </span>
                      )}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <div class="account">
              <span class="who" title={me?.email}>
                {state.status === 'signedIn' ? state.email : ''}
              </span>
              <button type="button" class="link" onClick={() => void signOut()}>
                Sign out
              </button>
            </div>
          </>
        )}
      </header>
      {props.signedIn && live === 'disrupted' && (
        <p class="notice warning banner" role="status">
          Live updates are paused: the connection to the server was lost. They resume by themselves; receipts and alerts
          that arrive meanwhile show up when you reload.
        </p>
      )}
      <main id="main" class="page" tabIndex={-1}>
        {props.children}
      </main>
      <Toasts />
    </>
  );
}

import { useEffect } from 'preact/hooks';
import lazy, { ErrorBoundary } from 'preact-iso/lazy';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso/router';
import { session, startSession } from './auth/session.ts';
import { Shell } from './components/shell.tsx';

/**
 * Routes: the signed-out pages (sign in, sign up, confirm, forgot password) and, once signed
 * in, the app's screens. Every screen is its own chunk, loaded when first opened, so the first
 * load carries only this shell, Preact and Amplify's auth.
 */
const AuthPages = {
  SignIn: lazy(() => import('./auth/sign-in.tsx').then((m) => m.SignIn)),
  SignUp: lazy(() => import('./auth/sign-up.tsx').then((m) => m.SignUp)),
  Confirm: lazy(() => import('./auth/sign-up.tsx').then((m) => m.Confirm)),
  ForgotPassword: lazy(() => import('./auth/forgot-password.tsx').then((m) => m.ForgotPassword)),
};
const Home = lazy(() => import('./pages/home.tsx').then((m) => m.Home));
const Review = lazy(() => import('./pages/review.tsx').then((m) => m.Review));
const Expenses = lazy(() => import('./pages/expenses.tsx').then((m) => m.Expenses));
const Budgets = lazy(() => import('./pages/budgets.tsx').then((m) => m.Budgets));
const Reports = lazy(() => import('./pages/reports.tsx').then((m) => m.Reports));
const Import = lazy(() => import('./pages/import.tsx').then((m) => m.Import));
const Subscriptions = lazy(() => import('./pages/subscriptions.tsx').then((m) => m.Subscriptions));
const Shared = lazy(() => import('./pages/shared.tsx').then((m) => m.Shared));
const Settings = lazy(() => import('./pages/settings.tsx').then((m) => m.Settings));

const SIGNED_OUT_PATHS = ['/sign-in', '/sign-up', '/confirm', '/forgot-password'];

function Routes() {
  const state = session.use();
  const location = useLocation();
  const signedOutPage = SIGNED_OUT_PATHS.includes(location.path);

  useEffect(() => {
    if (state.status === 'signedOut' && !signedOutPage) location.route('/sign-in', true);
    if (state.status === 'signedIn' && signedOutPage) location.route('/', true);
  }, [state.status, signedOutPage]);

  if (state.status === 'failed')
    return (
      <Shell signedIn={false}>
        <p role="alert" class="notice danger">
          {state.message}
        </p>
      </Shell>
    );
  if (state.status === 'loading' || (state.status === 'signedOut') !== signedOutPage)
    return (
      <Shell signedIn={false}>
        <p class="loading">Loading…</p>
      </Shell>
    );
  return (
    <Shell signedIn={state.status === 'signedIn'}>
      <ErrorBoundary>
        <Router>
          <Route path="/sign-in" component={AuthPages.SignIn} />
          <Route path="/sign-up" component={AuthPages.SignUp} />
          <Route path="/confirm" component={AuthPages.Confirm} />
          <Route path="/forgot-password" component={AuthPages.ForgotPassword} />
          <Route path="/" component={Home} />
          <Route path="/review" component={Review} />
          <Route path="/expenses" component={Expenses} />
          <Route path="/budgets" component={Budgets} />
          <Route path="/reports" component={Reports} />
          <Route path="/import" component={Import} />
          <Route path="/subscriptions" component={Subscriptions} />
          <Route path="/shared" component={Shared} />
          <Route path="/settings" component={Settings} />
          <Route default component={NotFound} />
        </Router>
      </ErrorBoundary>
    </Shell>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        <a href="/">Go to your receipts</a>
      </p>
    </section>
  );
}

export function App() {
  useEffect(() => void startSession(), []);
  return (
    <LocationProvider>
      <Routes />
    </LocationProvider>
  );
}

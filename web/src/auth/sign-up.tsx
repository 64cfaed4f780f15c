import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { autoSignIn, confirmSignUp, resendSignUpCode, signUp } from 'aws-amplify/auth';
import { Field } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { browserLocale, browserTimezone } from '../lib/dates.ts';
import { useAction } from '../lib/action.ts';
import { describeError } from '../lib/errors.ts';
import { refreshSession } from './session.ts';
import { useOutboxUrl, usePasswordRules } from './password-rules.tsx';

/**
 * Sign up with email and password. The browser's locale and timezone go along as Cognito's
 * standard `locale` and `zoneinfo` attributes: the new profile's home currency, timezone and
 * date order are made from them (functions/post-confirmation), and Settings changes them.
 */
export function SignUp() {
  const { route } = useLocation();
  const rules = usePasswordRules();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      const username = email.trim().toLowerCase();
      await signUp({
        username,
        password,
        options: {
          userAttributes: { email: username, locale: browserLocale(), zoneinfo: browserTimezone() },
          autoSignIn: true,
        },
      });
      route(`/confirm?email=${encodeURIComponent(username)}`);
    });
  }

  return (
    <Page title="Create your account">
      <form class="card narrow" onSubmit={submit}>
        <Field label="Email" type="email" autocomplete="email" required value={email} onValue={setEmail} />
        <Field
          label="Password"
          type="password"
          autocomplete="new-password"
          required
          value={password}
          onValue={setPassword}
          hint={rules}
        />
        <p class="hint">
          Your currency, timezone and date format start from this browser's settings ({browserLocale()},{' '}
          {browserTimezone()}); change them any time in Settings.
        </p>
        <ErrorMessage message={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
        <p class="form-links">
          <a href="/sign-in">I already have an account</a>
        </p>
      </form>
    </Page>
  );
}

export function Confirm() {
  const { query, route } = useLocation();
  const outbox = useOutboxUrl();
  const [email, setEmail] = useState(query.email ?? '');
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      const result = await confirmSignUp({ username: email.trim().toLowerCase(), confirmationCode: code.trim() });
      if (result.nextStep.signUpStep === 'COMPLETE_AUTO_SIGN_IN') {
        try {
          await autoSignIn();
          await refreshSession();
          return;
        } catch {
          /* signed up on another page load: sign in by hand */
        }
      }
      route(`/sign-in?confirmed=1&email=${encodeURIComponent(email.trim())}`);
    });
  }

  async function resend() {
    setError(null);
    try {
      await resendSignUpCode({ username: email.trim().toLowerCase() });
      setNotice('A new code is on its way.');
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  return (
    <Page title="Confirm your email">
      <form class="card narrow" onSubmit={submit}>
        <p>We sent a six-digit code to {email || 'your email'}. Enter it here to finish.</p>
        {outbox && (
          <p class="notice info">
            Running locally: emails land in the <a href={outbox}>outbox</a> (opens the list of sent emails).
          </p>
        )}
        {!query.email && (
          <Field label="Email" type="email" autocomplete="username" required value={email} onValue={setEmail} />
        )}
        <Field
          label="Code"
          inputMode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          required
          value={code}
          onValue={setCode}
        />
        <ErrorMessage message={error} />
        {notice && (
          <p class="notice success" role="status">
            {notice}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Confirming…' : 'Confirm'}
        </button>
        <p class="form-links">
          <button type="button" class="link" onClick={() => void resend()}>
            Send a new code
          </button>
        </p>
      </form>
    </Page>
  );
}

import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { confirmSignIn, signIn } from 'aws-amplify/auth';
import { Field } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { useAction } from '../lib/action.ts';
import { refreshSession, signedOutNotice } from './session.ts';

/** Sign in (SRP, Amplify's default), then the authenticator code when the account has TOTP on. */
export function SignIn() {
  const { query, route } = useLocation();
  const [email, setEmail] = useState(query.email ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'password' | 'totp'>('password');
  const { busy, error, setError, run } = useAction();
  const notice = signedOutNotice.use();

  async function finish(next: { isSignedIn: boolean; nextStep: { signInStep: string } }) {
    const stepName = next.nextStep.signInStep;
    if (next.isSignedIn || stepName === 'DONE') await refreshSession();
    else if (stepName === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE') setStep('totp');
    else if (stepName === 'CONFIRM_SIGN_UP') route(`/confirm?email=${encodeURIComponent(email)}`);
    else if (stepName === 'RESET_PASSWORD') route(`/forgot-password?email=${encodeURIComponent(email)}`);
    else setError('This account needs a step this app does not support yet. Contact support.');
  }

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      if (step === 'password') await finish(await signIn({ username: email.trim(), password }));
      else await finish(await confirmSignIn({ challengeResponse: code.trim() }));
    });
  }

  return (
    <Page title="Sign in">
      {query.confirmed && <p class="notice success">Your account is confirmed. Sign in to start.</p>}
      {query.reset && <p class="notice success">Your password was changed. Sign in with the new one.</p>}
      {notice && (
        <p class="notice success" role="status">
          {notice}
        </p>
      )}
      <form class="card narrow" onSubmit={submit} noValidate={false}>
        {step === 'password' ? (
          <>
            <Field label="Email" type="email" autocomplete="username" required value={email} onValue={setEmail} />
            <Field
              label="Password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onValue={setPassword}
            />
          </>
        ) : (
          <Field
            label="Code from your authenticator app"
            inputMode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            required
            value={code}
            onValue={setCode}
            hint="Six digits, as your app shows them now."
          />
        )}
        <ErrorMessage message={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="form-links">
          <a href={`/forgot-password${email ? `?email=${encodeURIComponent(email)}` : ''}`}>Forgot your password?</a>
          <a href="/sign-up">Create an account</a>
        </p>
      </form>
    </Page>
  );
}

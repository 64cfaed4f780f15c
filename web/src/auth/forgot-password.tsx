import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { confirmResetPassword, resetPassword } from 'aws-amplify/auth';
import { Field } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { useAction } from '../lib/action.ts';
import { useOutboxUrl, usePasswordRules } from './password-rules.tsx';

/** Forgot password: a code by email, then a new password. */
export function ForgotPassword() {
  const { query, route } = useLocation();
  const rules = usePasswordRules();
  const outbox = useOutboxUrl();
  const [email, setEmail] = useState(query.email ?? '');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<'email' | 'code'>('email');
  const { busy, error, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      const username = email.trim().toLowerCase();
      if (step === 'email') {
        await resetPassword({ username });
        setStep('code');
      } else {
        await confirmResetPassword({ username, confirmationCode: code.trim(), newPassword: password });
        route(`/sign-in?reset=1&email=${encodeURIComponent(username)}`);
      }
    });
  }

  return (
    <Page title="Reset your password">
      <form class="card narrow" onSubmit={submit}>
        {step === 'email' ? (
          <Field label="Email" type="email" autocomplete="username" required value={email} onValue={setEmail} />
        ) : (
          <>
            <p>If {email} has an account, we emailed it a code.</p>
            {outbox && (
              <p class="notice info">
                Running locally: the code is in the <a href={outbox}>outbox</a>.
              </p>
            )}
            <Field
              label="Code"
              inputMode="numeric"
              autocomplete="one-time-code"
              required
              value={code}
              onValue={setCode}
            />
            <Field
              label="New password"
              type="password"
              autocomplete="new-password"
              required
              value={password}
              onValue={setPassword}
              hint={rules}
            />
          </>
        )}
        <ErrorMessage message={error} />
        <button type="submit" class="primary" disabled={busy}>
          {step === 'email' ? 'Email me a code' : 'Set new password'}
        </button>
        <p class="form-links">
          <a href="/sign-in">Back to sign in</a>
        </p>
      </form>
    </Page>
  );
}

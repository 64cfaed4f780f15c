import { useEffect, useState } from 'preact/hooks';
import { fetchMFAPreference, setUpTOTP, updateMFAPreference, verifyTOTPSetup } from 'aws-amplify/auth';
import { Field, SelectField } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { ISO_4217_CODES } from '../../../model/currencies.ts';
import { useAction } from '../lib/action.ts';
import { describeError } from '../lib/errors.ts';
import { currencyName } from '../lib/money.ts';
import { profile, saveProfile } from '../lib/profile.ts';
import { session } from '../auth/session.ts';
import { DeleteAccount, ExportData, ReceiptsByEmail, Retention } from './account.tsx';
import { CustomCategories } from './categories.tsx';

/**
 * Settings: the profile (currency, timezone, date order, email reports), your own categories, two-step sign-in (TOTP),
 * receipts by email, how long receipt images are kept, an archive of all data, deleting the account.
 */
export function Settings() {
  return (
    <Page title="Settings">
      <nav class="in-page" aria-label="Settings sections">
        <a href="#profile-title">Profile</a> <a href="#categories-title">Categories</a>{' '}
        <a href="#mfa-title">Two-step sign-in</a> <a href="#forwarding-title">Receipts by email</a>{' '}
        <a href="#retention-title">Receipt images</a> <a href="#export-title">Your data</a>{' '}
        <a href="#delete-title">Delete account</a>
      </nav>
      <ProfileForm />
      <CustomCategories />
      <TwoStep />
      <ReceiptsByEmail />
      <Retention />
      <ExportData />
      <DeleteAccount />
    </Page>
  );
}

const CURRENCIES = ISO_4217_CODES.split(' ');

function timezones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(key: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

function ProfileForm() {
  const me = profile.use();
  const [name, setName] = useState('');
  const [homeCurrency, setHomeCurrency] = useState('USD');
  const [timezone, setTimezone] = useState('UTC');
  const [dateOrder, setDateOrder] = useState('DMY');
  const [weekly, setWeekly] = useState(false);
  const [monthly, setMonthly] = useState(false);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction('your profile');

  useEffect(() => {
    if (!me) return;
    setName(me.name ?? '');
    setHomeCurrency(me.homeCurrency);
    setTimezone(me.timezone);
    setDateOrder(me.dateOrder);
    setWeekly(me.reportSchedule.weekly);
    setMonthly(me.reportSchedule.monthly);
  }, [me?.updatedAt]);

  async function submit(event: Event) {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      await saveProfile({
        ...(name.trim() ? { name: name.trim() } : {}),
        homeCurrency,
        timezone,
        dateOrder,
        reportSchedule: { weekly, monthly },
      });
      setSaved(true);
    });
  }

  const zones = timezones();
  if (!zones.includes(timezone)) zones.unshift(timezone);

  return (
    <form class="card" onSubmit={submit} aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      {!me && <p class="loading">Loading…</p>}
      <Field label="Name" maxLength={100} autocomplete="name" value={name} onValue={setName} />
      <SelectField
        label="Home currency"
        value={homeCurrency}
        onValue={setHomeCurrency}
        options={CURRENCIES.map((c) => ({ value: c, label: `${c} – ${currencyName(c)}` }))}
        hint="New expenses and budgets start in it."
      />
      <SelectField
        label="Timezone"
        value={timezone}
        onValue={setTimezone}
        options={zones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))}
        hint="Decides where your days, weeks and months begin."
      />
      <SelectField
        label="Dates on your receipts"
        value={dateOrder}
        onValue={setDateOrder}
        options={[
          { value: 'DMY', label: 'Day first (31/12/2026)' },
          { value: 'MDY', label: 'Month first (12/31/2026)' },
          { value: 'YMD', label: 'Year first (2026-12-31)' },
        ]}
        hint="How a date such as 03/04 is read, and how dates are shown."
      />
      <fieldset>
        <legend>Email reports</legend>
        <div class="field checkbox">
          <input id="weekly" type="checkbox" checked={weekly} onChange={(e) => setWeekly(e.currentTarget.checked)} />
          <label for="weekly">Weekly, on Monday morning</label>
        </div>
        <div class="field checkbox">
          <input id="monthly" type="checkbox" checked={monthly} onChange={(e) => setMonthly(e.currentTarget.checked)} />
          <label for="monthly">Monthly, on the 1st</label>
        </div>
      </fieldset>
      <ErrorMessage message={error} />
      {saved && (
        <p class="notice success" role="status">
          Saved.
        </p>
      )}
      <button type="submit" class="primary" disabled={busy || !me}>
        {busy ? 'Saving…' : 'Save profile'}
      </button>
    </form>
  );
}

function TwoStep() {
  const state = session.use();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const { busy, error, setError, run } = useAction();

  useEffect(() => {
    fetchMFAPreference()
      .then((p) => setEnabled(p.enabled?.includes('TOTP') ?? false))
      .catch(() => setEnabled(false));
  }, []);

  async function start() {
    setError(null);
    try {
      const details = await setUpTOTP();
      const account = state.status === 'signedIn' ? state.email : 'account';
      setSetup({ secret: details.sharedSecret, uri: details.getSetupUri('Smart Expense Tracker', account).toString() });
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  async function verify(event: Event) {
    event.preventDefault();
    await run(async () => {
      await verifyTOTPSetup({ code: code.trim() });
      await updateMFAPreference({ totp: 'PREFERRED' });
      setEnabled(true);
      setSetup(null);
      setCode('');
    });
  }

  async function disable() {
    setError(null);
    try {
      await updateMFAPreference({ totp: 'DISABLED' });
      setEnabled(false);
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  return (
    <section class="card" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-step sign-in</h2>
      <p>
        With an authenticator app (any TOTP app), signing in also asks for the six-digit code it shows.{' '}
        {enabled === null ? '' : enabled ? 'It is on.' : 'It is off.'}
      </p>
      {enabled === false && !setup && (
        <button type="button" onClick={() => void start()}>
          Turn on two-step sign-in
        </button>
      )}
      {enabled && (
        <button type="button" onClick={() => void disable()}>
          Turn off two-step sign-in
        </button>
      )}
      {setup && (
        <form onSubmit={verify}>
          <p>
            Add this key to your authenticator app (or <a href={setup.uri}>open it in the app</a> on this device):
          </p>
          <p>
            <code class="secret" aria-label="Secret key">
              {setup.secret.replace(/(.{4})/g, '$1 ').trim()}
            </code>
          </p>
          <Field
            label="Code from the app"
            inputMode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            required
            value={code}
            onValue={setCode}
          />
          <button type="submit" class="primary" disabled={busy}>
            Verify and turn on
          </button>
        </form>
      )}
      <ErrorMessage message={error} />
    </section>
  );
}

import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  ADD_FORWARDING_SENDER,
  CONFIRM_FORWARDING_SENDER,
  DELETE_ACCOUNT,
  EXPORT_ACCOUNT,
  GET_JOB,
  REMOVE_FORWARDING_SENDER,
  REVOKE_FORWARDING_ADDRESS,
  ROTATE_FORWARDING_ADDRESS,
  SET_RECEIPT_RETENTION,
  type AddForwardingSenderData,
  type ConfirmForwardingSenderData,
  type DeleteAccountData,
  type ExportAccountData,
  type GetJobData,
  type Job,
  type RemoveForwardingSenderData,
  type RevokeForwardingAddressData,
  type RotateForwardingAddressData,
  type SetReceiptRetentionData,
  type User,
} from '../api/operations.ts';
import { Dialog } from '../components/dialog.tsx';
import { Field } from '../components/field.tsx';
import { ErrorMessage } from '../components/page.tsx';
import { session, signOut, signedOutNotice } from '../auth/session.ts';
import { useAction } from '../lib/action.ts';
import { formatDateTime } from '../lib/dates.ts';
import { ApiError, describeError, formatBytes, toApiError } from '../lib/errors.ts';
import { jobResult } from '../lib/jobs.ts';
import { loadProfile, profile } from '../lib/profile.ts';

/**
 * The account's data settings: receipts by email (the private forwarding address and the
 * further senders it takes mail from), how long receipt images are kept, an archive of
 * everything, and deleting the account (confirmed with the password).
 */

/** A mutation answering the profile: the profile store takes it, so every screen sees it. */
async function changeProfile<T extends Record<string, User | null>>(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<void> {
  const data = await gql<T>(query, variables);
  const user = Object.values(data)[0];
  if (user) profile.set(user);
}

/** A job's result with every field: the push (onJobDone) carries only the common ones. */
async function finishedJob(started: Job): Promise<Job> {
  const done = await jobResult(started);
  const { job } = await gql<GetJobData>(GET_JOB, { id: done.id });
  return job ?? done;
}

export function ReceiptsByEmail() {
  const me = profile.use();
  const { busy, error, setError, run } = useAction('your forwarding address');
  const [confirming, setConfirming] = useState<'rotate' | 'revoke' | null>(null);
  const [copied, setCopied] = useState(false);

  async function change<T extends Record<string, User | null>>(query: string) {
    setCopied(false);
    await run(() => changeProfile<T>(query));
  }

  async function copy(address: string) {
    try {
      await navigator.clipboard.writeText(address);
      setCopied(true);
    } catch {
      setError('The address could not be copied here: select it and copy it by hand.');
    }
  }

  const address = me?.forwardingAddress;
  return (
    <section class="card" aria-labelledby="forwarding-title">
      <h2 id="forwarding-title">Receipts by email</h2>
      <p>
        Forward e-receipts (a PDF or image attached, or the receipt in the message itself) to your private address: each
        becomes a receipt here, and you get a reply saying what became of it. Mail is taken only from{' '}
        <strong>{me?.email ?? 'your sign-in email'}</strong> and the senders you confirm below.
      </p>
      {!me && <p class="loading">Loading…</p>}
      {me && !address && (
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => void change<RotateForwardingAddressData>(ROTATE_FORWARDING_ADDRESS)}
        >
          Create my forwarding address
        </button>
      )}
      {address && (
        <>
          <p class="forwarding-address">
            <span class="label" id="forwarding-address-label">
              Your forwarding address
            </span>
            <code aria-labelledby="forwarding-address-label">{address}</code>
          </p>
          <div class="actions">
            <button type="button" onClick={() => void copy(address)}>
              Copy address
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirming('rotate')}>
              Make a new address…
            </button>
            <button type="button" class="danger" disabled={busy} onClick={() => setConfirming('revoke')}>
              Turn off…
            </button>
          </div>
          {copied && (
            <p class="notice success" role="status">
              Copied.
            </p>
          )}
        </>
      )}
      <ErrorMessage message={error} />
      {me && <Senders user={me} />}
      <Dialog
        title={confirming === 'revoke' ? 'Turn off your forwarding address?' : 'Make a new address?'}
        open={!!confirming}
        onClose={() => setConfirming(null)}
      >
        <p>
          Mail to <code>{address}</code> is refused from now on.{' '}
          {confirming === 'revoke'
            ? 'You can make a new address later; this one never works again.'
            : 'Update any shop or filter that sends to it.'}
        </p>
        <div class="actions">
          <button
            type="button"
            class={confirming === 'revoke' ? 'danger' : 'primary'}
            onClick={() => {
              const revoke = confirming === 'revoke';
              setConfirming(null);
              if (revoke) void change<RevokeForwardingAddressData>(REVOKE_FORWARDING_ADDRESS);
              else void change<RotateForwardingAddressData>(ROTATE_FORWARDING_ADDRESS);
            }}
          >
            {confirming === 'revoke' ? 'Turn off' : 'Make a new address'}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </section>
  );
}

const MAX_SENDERS = 5;

function Senders(props: { user: User }) {
  const [email, setEmail] = useState('');
  const { busy, error, run } = useAction('this sender');
  const senders = props.user.forwardingSenders;

  async function add(event: Event) {
    event.preventDefault();
    await run(async () => {
      await changeProfile<AddForwardingSenderData>(ADD_FORWARDING_SENDER, { email: email.trim() });
      setEmail('');
    });
  }

  return (
    <div class="senders">
      <h3>Other senders</h3>
      <p class="hint">
        Another address of yours (work mail, a partner's) may forward receipts too, once you enter the code we email to
        it. At most {MAX_SENDERS}.
      </p>
      {senders.length > 0 && (
        <ul class="sender-list" aria-label="Other senders">
          {senders.map((sender) => (
            <SenderRow key={sender.email} email={sender.email} confirmed={sender.confirmed} />
          ))}
        </ul>
      )}
      {senders.length < MAX_SENDERS && (
        <form class="inline-form" onSubmit={add}>
          <Field
            label="Sender's email"
            type="email"
            autocomplete="email"
            required
            maxLength={254}
            value={email}
            onValue={setEmail}
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Adding…' : 'Add sender'}
          </button>
        </form>
      )}
      <ErrorMessage message={error} />
    </div>
  );
}

function SenderRow(props: { email: string; confirmed: boolean }) {
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, run } = useAction((caught) => {
    const e = toApiError(caught);
    return e.type === 'ValidationError' && e.info.field === 'code'
      ? 'That code is not the one we sent, or it has expired. Check the latest email, or send a new code.'
      : describeError(caught, 'this sender');
  });

  async function act(work: () => Promise<void>, done?: string) {
    setMessage(null);
    await run(async () => {
      await work();
      if (done) setMessage(done);
    });
  }

  const confirm = (event: Event) => {
    event.preventDefault();
    void act(() =>
      changeProfile<ConfirmForwardingSenderData>(CONFIRM_FORWARDING_SENDER, {
        email: props.email,
        code: code.trim(),
      }),
    );
  };

  return (
    <li class="sender">
      <div class="sender-head">
        <span class="sender-email">{props.email}</span>
        <span class={`status ${props.confirmed ? 'processed' : 'needs_review'}`}>
          {props.confirmed ? 'Confirmed' : 'Waiting for its code'}
        </span>
        <button
          type="button"
          aria-label={`Remove ${props.email}`}
          disabled={busy}
          onClick={() =>
            void act(() => changeProfile<RemoveForwardingSenderData>(REMOVE_FORWARDING_SENDER, { email: props.email }))
          }
        >
          Remove
        </button>
      </div>
      {!props.confirmed && (
        <form class="inline-form" onSubmit={confirm}>
          <Field
            label={`Code sent to ${props.email}`}
            inputMode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            required
            value={code}
            onValue={setCode}
          />
          <button type="submit" disabled={busy}>
            Confirm
          </button>
          <button
            type="button"
            class="link"
            disabled={busy}
            onClick={() =>
              void act(
                () => changeProfile<AddForwardingSenderData>(ADD_FORWARDING_SENDER, { email: props.email }),
                'A new code is on its way.',
              )
            }
          >
            Send a new code
          </button>
        </form>
      )}
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      <ErrorMessage message={error} />
    </li>
  );
}

const RETENTION_MAX_DAYS = 2557;

export function Retention() {
  const me = profile.use();
  const [days, setDays] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction('the retention');
  const shown = days ?? (me ? String(me.receiptRetentionDays) : '');

  async function submit(event: Event) {
    event.preventDefault();
    const value = Number(shown);
    if (!Number.isInteger(value) || value < 1 || value > RETENTION_MAX_DAYS) {
      setError(`Enter a whole number of days from 1 to ${RETENTION_MAX_DAYS} (seven years).`);
      return;
    }
    setMessage(null);
    await run(async () => {
      const { setReceiptRetention: started } = await gql<SetReceiptRetentionData>(SET_RECEIPT_RETENTION, {
        days: value,
      });
      const done = await finishedJob(started);
      const applied = done.retention;
      setMessage(
        `Receipt images are now kept ${value} days.` +
          (applied
            ? ` ${applied.receipts} stored receipt${applied.receipts === 1 ? '' : 's'} updated, ${applied.imagesExpired} image${applied.imagesExpired === 1 ? '' : 's'} past it deleted.`
            : ''),
      );
      setDays(null);
      await loadProfile().catch(() => undefined);
    });
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="retention-title">
      <h2 id="retention-title">Receipt images</h2>
      <Field
        label="Keep receipt images for (days)"
        type="number"
        inputMode="numeric"
        min={1}
        max={RETENTION_MAX_DAYS}
        required
        value={shown}
        onValue={setDays}
        error={error}
        hint={`After that the image is deleted; the receipt and its expense stay. 1 to ${RETENTION_MAX_DAYS} days (seven years, the longest).`}
      />
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy || !me}>
        {busy ? 'Applying…' : 'Save retention'}
      </button>
    </form>
  );
}

export function ExportData() {
  const [job, setJob] = useState<Job | null>(null);
  const { busy, error, run } = useAction((caught) =>
    toApiError(caught).type === 'JobTimeout'
      ? 'Your archive is still being made. It will be emailed to you when it is ready.'
      : describeError(caught, 'your archive'),
  );

  async function start() {
    setJob(null);
    await run(async () => {
      const { exportAccount: started } = await gql<ExportAccountData>(EXPORT_ACCOUNT);
      setJob(await finishedJob(started));
    });
  }

  const archive = job?.accountExport;
  return (
    <section class="card" aria-labelledby="export-title">
      <h2 id="export-title">Your data</h2>
      <p>
        One zip with everything you stored: profile, expenses, budgets, alerts, receipts with their images, reports,
        learned categories and history, as JSON and CSV. The link is also emailed to you and works for a day.
      </p>
      <button type="button" onClick={() => void start()} disabled={busy}>
        {busy ? 'Preparing your archive…' : 'Export all my data'}
      </button>
      <div aria-live="polite">
        {archive?.url && (
          <p class="notice success export-ready">
            <a href={archive.url} download>
              Download your data
            </a>{' '}
            (zip, {formatBytes(archive.sizeBytes)}, {archive.fileCount} files; until {formatDateTime(archive.expiresAt)}
            )
          </p>
        )}
      </div>
      <ErrorMessage message={error} />
    </section>
  );
}

export function DeleteAccount() {
  const [open, setOpen] = useState(false);
  return (
    <section class="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete your account</h2>
      <p>
        Deletes your account and everything in it, for good: expenses, receipts and their images, budgets, reports,
        imports and history. Export your data first if you want to keep a copy.
      </p>
      <button type="button" class="danger" onClick={() => setOpen(true)}>
        Delete my account…
      </button>
      <Dialog title="Delete your account?" open={open} onClose={() => setOpen(false)}>
        {open && <ConfirmDeletion onCancel={() => setOpen(false)} />}
      </Dialog>
    </section>
  );
}

/**
 * Whether the deletion is done, read until it is (a minute at most): the job SUCCEEDED, or the
 * account is gone (the session ends with the sign-in account, and the job with the account, so
 * no push can be counted on). A FAILED job rejects with its error.
 */
async function deletionFinished(started: Job): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  for (let delay = 500; Date.now() < deadline; delay = Math.min(delay * 1.5, 3000)) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      const { job } = await gql<GetJobData>(GET_JOB, { id: started.id });
      if (!job || job.status === 'SUCCEEDED') return true;
      if (job.status === 'FAILED')
        throw new ApiError(job.error?.errorType ?? 'InternalError', job.error?.message ?? '');
    } catch (caught) {
      const type = toApiError(caught).type;
      if (['NotFound', 'Unauthorized', 'UnauthorizedException', 'NoSignedUser'].includes(type)) return true;
      if (type !== 'NetworkError') throw caught;
    }
  }
  return false;
}

function ConfirmDeletion(props: { onCancel(): void }) {
  const state = session.use();
  const email = state.status === 'signedIn' ? state.email : '';
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { deleteAccount: started } = await gql<DeleteAccountData>(DELETE_ACCOUNT, { password });
      const finished = await deletionFinished(started);
      signedOutNotice.set(
        finished
          ? `Your account and everything in it were deleted. A receipt of the deletion was emailed to ${email}.`
          : `Your account is being deleted. A receipt of the deletion will be emailed to ${email}.`,
      );
      await signOut().catch(() => undefined);
    } catch (caught) {
      const e = toApiError(caught);
      setError(
        e.type === 'Unauthorized' && e.info.field === 'password'
          ? 'That password is not right. Nothing was deleted.'
          : describeError(caught, 'your account'),
      );
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit}>
      <p>
        Everything in <strong>{email}</strong> is deleted: every expense, receipt and image, budget, report, import and
        its history, and the sign-in itself. <strong>This cannot be undone.</strong>
      </p>
      <Field
        label="Your password"
        type="password"
        autocomplete="current-password"
        required
        value={password}
        onValue={setPassword}
        hint="To confirm it is you."
      />
      <ErrorMessage message={error} />
      <div class="actions">
        <button type="submit" class="danger" disabled={busy || !password}>
          {busy ? 'Deleting…' : 'Delete my account for good'}
        </button>
        <button type="button" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

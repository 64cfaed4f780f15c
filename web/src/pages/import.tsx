import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  CREATE_STATEMENT_UPLOAD,
  GET_STATEMENT_IMPORT,
  IMPORT_STATEMENT,
  LIST_STATEMENT_IMPORTS,
  PREVIEW_STATEMENT,
  type CreateStatementUploadData,
  type GetStatementImportData,
  type ImportStatementData,
  type ListStatementImportsData,
  type PreviewStatementData,
  type StatementCsvMapping,
  type StatementImport,
  type StatementPreview,
  type StatementReportLine,
} from '../api/operations.ts';
import { Field, SelectField } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { formatDateTime, formatDay } from '../lib/dates.ts';
import { ApiError, describeError, formatBytes } from '../lib/errors.ts';
import { formatMoney } from '../lib/money.ts';
import { homeCurrency, profile } from '../lib/profile.ts';
import { putPresigned, sha256Hex } from '../lib/upload-queue.ts';
import type { StatementLineOutcome } from '../../../generated/graphql.ts';

/**
 * Import a bank or card statement: the file goes straight to S3 (createStatementUpload, a
 * presigned PUT), is previewed (format, lines as they would be read, and for a CSV its columns
 * with a proposed mapping the person can change), then imported in the background; the report
 * says what became of every line (a new expense, matched to a receipt's, already imported, money
 * in, unreadable) and which receipts no line matched.
 */
const MAX_BYTES = 5_242_880;
const ACCEPT = '.csv,.tsv,.txt,.ofx,.qfx,.xml,text/csv,application/xml,text/xml';
const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'DD-MM-YYYY', 'YYYYMMDD'];
const FORMAT_NAMES = { CSV: 'CSV', OFX: 'OFX / QFX', CAMT053: 'ISO 20022 camt.053' } as const;
const FINISHED = ['SUCCEEDED', 'FAILED'];

type Mapping = Omit<StatementCsvMapping, '__typename'>;

export function Import() {
  const [shownImport, setShownImport] = useState<string | null>(null);
  const [pastKey, setPastKey] = useState(0);
  return (
    <Page title="Import a statement">
      <p>
        Upload a bank or card statement (CSV, OFX, QFX or camt.053, up to {formatBytes(MAX_BYTES)}). Money going out
        becomes expenses; a purchase you already have a receipt for is attached to that receipt's expense, and a line
        imported before is never imported twice.
      </p>
      <NewImport
        onImported={(id) => {
          setShownImport(id);
          setPastKey((k) => k + 1);
        }}
      />
      {shownImport && <ImportReport key={shownImport} id={shownImport} onFinished={() => setPastKey((k) => k + 1)} />}
      <PastImports key={pastKey} onShow={setShownImport} shown={shownImport} />
    </Page>
  );
}

function NewImport(props: { onImported(id: string): void }) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<StatementPreview | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [account, setAccount] = useState('');
  const [currency, setCurrency] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'upload' | 'preview' | 'import' | null>(null);

  async function upload(event: Event) {
    event.preventDefault();
    if (!file) return;
    if (file.size < 1 || file.size > MAX_BYTES) {
      setError(`This file is ${formatBytes(file.size)}: a statement must be from 1 byte to ${formatBytes(MAX_BYTES)}.`);
      return;
    }
    setBusy('upload');
    setError(null);
    setPreview(null);
    try {
      const sha256 = await sha256Hex(file);
      const { createStatementUpload: presigned } = await gql<CreateStatementUploadData>(CREATE_STATEMENT_UPLOAD, {
        input: { fileName: file.name.slice(0, 255), size: file.size, sha256 },
      });
      await putPresigned(presigned.uploadUrl, JSON.parse(presigned.uploadHeaders) as Record<string, string>, file);
      const { previewStatement } = await gql<PreviewStatementData>(PREVIEW_STATEMENT, {
        uploadId: presigned.uploadId,
      });
      shown(previewStatement);
    } catch (caught) {
      setError(describeError(caught, 'this statement'));
    } finally {
      setBusy(null);
    }
  }

  function shown(next: StatementPreview) {
    setPreview(next);
    if (next.mapping) {
      const { __typename, ...plain } = next.mapping;
      void __typename;
      setMapping(plain);
    } else setMapping(null);
    if (!account && next.account) setAccount(next.account);
    if (!currency) setCurrency(next.currency ?? homeCurrency());
  }

  async function remap(event: Event) {
    event.preventDefault();
    if (!preview || !mapping) return;
    setBusy('preview');
    setError(null);
    try {
      const { previewStatement } = await gql<PreviewStatementData>(PREVIEW_STATEMENT, {
        uploadId: preview.uploadId,
        csv: mappingInput(mapping),
      });
      shown(previewStatement);
    } catch (caught) {
      setError(describeError(caught, 'this statement'));
    } finally {
      setBusy(null);
    }
  }

  async function run() {
    if (!preview) return;
    if (preview.format === 'CSV' && !account.trim()) {
      setError('Name the account this CSV is from (e.g. "Checking"): lines of two accounts are told apart by it.');
      return;
    }
    setBusy('import');
    setError(null);
    try {
      const input: Record<string, unknown> = { uploadId: preview.uploadId, format: preview.format };
      if (account.trim()) input.account = account.trim();
      if (currency.trim()) input.currency = currency.trim().toUpperCase();
      if (preview.format === 'CSV' && mapping) input.csv = mappingInput(mapping);
      const { importStatement } = await gql<ImportStatementData>(IMPORT_STATEMENT, { input });
      props.onImported(importStatement.id);
      setPreview(null);
      setMapping(null);
      setFile(null);
      setAccount('');
      setCurrency('');
    } catch (caught) {
      setError(describeError(caught, 'this statement'));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section class="card" aria-labelledby="new-import-title">
      <h2 id="new-import-title">1. Choose the statement</h2>
      <form class="inline-form" onSubmit={upload}>
        <div class="field">
          <label for="statement-file">Statement file</label>
          <input
            id="statement-file"
            type="file"
            accept={ACCEPT}
            required
            aria-describedby="statement-file-hint"
            onChange={(e) => {
              setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null);
              setPreview(null);
            }}
          />
          <p class="hint" id="statement-file-hint">
            From your bank's website: "export" or "download transactions".
          </p>
        </div>
        <button type="submit" class="primary" disabled={!file || !!busy}>
          {busy === 'upload' ? 'Reading…' : 'Upload and preview'}
        </button>
      </form>
      <ErrorMessage message={error} />
      {preview && (
        <>
          <h2>2. Check how it is read</h2>
          <dl class="figures">
            <div>
              <dt>Format</dt>
              <dd>{FORMAT_NAMES[preview.format]}</dd>
            </div>
            <div>
              <dt>Lines</dt>
              <dd>{preview.lineCount}</dd>
            </div>
            {preview.account && (
              <div>
                <dt>Account</dt>
                <dd>{preview.account}</dd>
              </div>
            )}
          </dl>
          {mapping && (
            <MappingForm
              columns={preview.columns}
              mapping={mapping}
              onChange={setMapping}
              onSubmit={remap}
              busy={busy === 'preview'}
            />
          )}
          <PreviewLines preview={preview} />
          <h2>3. Import</h2>
          <div class="row">
            <Field
              label="Account"
              maxLength={100}
              required={preview.format === 'CSV'}
              value={account}
              onValue={setAccount}
              hint="A name for the account, e.g. Checking or Visa."
            />
            <Field
              label="Currency of lines that name none"
              maxLength={3}
              pattern="[A-Za-z]{3}"
              value={currency}
              onValue={(v) => setCurrency(v.toUpperCase())}
            />
          </div>
          <button type="button" class="primary" onClick={() => void run()} disabled={!!busy}>
            {busy === 'import' ? 'Starting…' : `Import ${preview.lineCount} lines`}
          </button>
        </>
      )}
    </section>
  );
}

/** The mapping as the API takes it: only the columns set. */
function mappingInput(m: Mapping): Record<string, unknown> {
  const input: Record<string, unknown> = {
    date: m.date,
    description: m.description.filter(Boolean),
    dateFormat: m.dateFormat,
    decimalSeparator: m.decimalSeparator,
    amountSign: m.amountSign,
    delimiter: m.delimiter,
    headerRow: m.headerRow,
  };
  if (m.amount) input.amount = m.amount;
  else {
    if (m.debit) input.debit = m.debit;
    if (m.credit) input.credit = m.credit;
  }
  if (m.currency) input.currency = m.currency;
  return input;
}

function MappingForm(props: {
  columns: string[];
  mapping: Mapping;
  onChange(mapping: Mapping): void;
  onSubmit(event: Event): void;
  busy: boolean;
}) {
  const { mapping: m } = props;
  const set = (change: Partial<Mapping>) => props.onChange({ ...m, ...change });
  const columns = props.columns.map((c) => ({ value: c, label: c }));
  const optional = [{ value: '', label: '(none)' }, ...columns];
  const twoColumns = !m.amount;
  return (
    <form class="mapping" onSubmit={props.onSubmit}>
      <fieldset>
        <legend>Columns</legend>
        <div class="mapping-grid">
          <SelectField label="Date" value={m.date} onValue={(date) => set({ date })} options={columns} />
          <SelectField
            label="Description"
            value={m.description[0] ?? ''}
            onValue={(first) => set({ description: [first, ...m.description.slice(1, 2)] })}
            options={columns}
          />
          <SelectField
            label="More description"
            value={m.description[1] ?? ''}
            onValue={(second) => set({ description: [m.description[0] ?? '', second].filter(Boolean) })}
            options={optional}
          />
          <SelectField
            label="Amount"
            value={m.amount ?? ''}
            onValue={(amount) => set({ amount: amount || null })}
            options={[{ value: '', label: '(money out and in in two columns)' }, ...columns]}
          />
          {twoColumns && (
            <>
              <SelectField
                label="Money out"
                value={m.debit ?? ''}
                onValue={(debit) => set({ debit: debit || null })}
                options={optional}
              />
              <SelectField
                label="Money in"
                value={m.credit ?? ''}
                onValue={(credit) => set({ credit: credit || null })}
                options={optional}
              />
            </>
          )}
          <SelectField
            label="Currency column"
            value={m.currency ?? ''}
            onValue={(currency) => set({ currency: currency || null })}
            options={optional}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>How values are written</legend>
        <div class="mapping-grid">
          <SelectField
            label="Dates"
            value={m.dateFormat}
            onValue={(dateFormat) => set({ dateFormat })}
            options={(DATE_FORMATS.includes(m.dateFormat) ? DATE_FORMATS : [m.dateFormat, ...DATE_FORMATS]).map(
              (f) => ({ value: f, label: f }),
            )}
          />
          <SelectField
            label="Decimal mark"
            value={m.decimalSeparator}
            onValue={(decimalSeparator) => set({ decimalSeparator })}
            options={[
              { value: '.', label: 'Point (12.50)' },
              { value: ',', label: 'Comma (12,50)' },
            ]}
          />
          {!twoColumns && (
            <SelectField
              label="Money out is"
              value={m.amountSign}
              onValue={(amountSign) => set({ amountSign: amountSign as Mapping['amountSign'] })}
              options={[
                { value: 'NEGATIVE_IS_DEBIT', label: 'Negative (-12.50)' },
                { value: 'POSITIVE_IS_DEBIT', label: 'Positive (12.50)' },
              ]}
            />
          )}
          <SelectField
            label="Separator"
            value={m.delimiter}
            onValue={(delimiter) => set({ delimiter })}
            options={[
              { value: ',', label: 'Comma' },
              { value: ';', label: 'Semicolon' },
              { value: '\t', label: 'Tab' },
              { value: '|', label: 'Bar (|)' },
            ]}
          />
        </div>
        <div class="field checkbox">
          <input
            id="header-row"
            type="checkbox"
            checked={m.headerRow}
            onChange={(e) => set({ headerRow: e.currentTarget.checked })}
          />
          <label for="header-row">The first row holds column names</label>
        </div>
      </fieldset>
      <button type="submit" disabled={props.busy}>
        {props.busy ? 'Reading…' : 'Update preview'}
      </button>
    </form>
  );
}

/** The columns every table of statement lines has, between its own first and last. */
function LineHeads(props: { first?: string; last: string }) {
  return (
    <thead>
      <tr>
        {props.first && (
          <th scope="col" class="idx">
            {props.first}
          </th>
        )}
        <th scope="col" class="day">
          Date
        </th>
        <th scope="col" class="text">
          Description
        </th>
        <th scope="col" class="num">
          Amount
        </th>
        <th scope="col" class="last">
          {props.last}
        </th>
      </tr>
    </thead>
  );
}

const lineAmount = (line: { amount?: number | null; currency?: string | null }) =>
  line.amount === null || line.amount === undefined ? '—' : formatMoney(line.amount, line.currency ?? homeCurrency());

function PreviewLines(props: { preview: StatementPreview }) {
  const me = profile.use();
  const lines = props.preview.lines;
  return (
    <div class="table-scroll" role="region" aria-labelledby="preview-caption" tabIndex={0}>
      <table class="lines">
        <caption id="preview-caption">
          The first {lines.length} of {props.preview.lineCount} lines, as they would be imported
        </caption>
        <LineHeads last="Problem" />
        <tbody>
          {lines.map((line, i) => (
            <tr key={i} class={line.problem ? 'problem' : undefined}>
              <td class="day">{line.date ? formatDay(line.date, me?.dateOrder) : '—'}</td>
              <td class="text">{line.description}</td>
              <td class="num">{lineAmount(line)}</td>
              <td class="last">{line.problem ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const OUTCOMES: Record<StatementLineOutcome, string> = {
  CREATED: 'New expense',
  MATCHED: 'Matched to a receipt',
  ALREADY_IMPORTED: 'Already imported',
  SKIPPED_CREDIT: 'Money in, skipped',
  INVALID: 'Could not be read',
};

type LoadedImport = NonNullable<GetStatementImportData['statementImport']>;

/** `onFinished`: the import was seen running and is now done (the list of earlier imports reads it again). */
function ImportReport(props: { id: string; onFinished(): void }) {
  const me = profile.use();
  const [report, setReport] = useState<LoadedImport | null>(null);
  const [lines, setLines] = useState<StatementReportLine[]>([]);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  // An import runs in the background: read it until it is done (no push exists for imports).
  useEffect(() => {
    let stopped = false;
    let running = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async (delay: number) => {
      try {
        const { statementImport } = await gql<GetStatementImportData>(GET_STATEMENT_IMPORT, {
          id: props.id,
          limit: 50,
        });
        if (stopped) return;
        if (!statementImport) throw new ApiError('NotFound', 'no import');
        setReport(statementImport);
        setLines(statementImport.lines.items);
        setNextToken(statementImport.lines.nextToken);
        if (!FINISHED.includes(statementImport.status)) {
          running = true;
          timer = setTimeout(() => void read(Math.min(delay * 1.5, 5000)), delay);
        } else if (running) props.onFinished();
      } catch (caught) {
        if (!stopped) setError(describeError(caught, 'this import'));
      }
    };
    void read(500);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [props.id]);

  async function more() {
    if (!nextToken) return;
    setLoadingMore(true);
    try {
      const { statementImport } = await gql<GetStatementImportData>(GET_STATEMENT_IMPORT, {
        id: props.id,
        limit: 50,
        nextToken,
      });
      if (statementImport) {
        setLines((list) => [...list, ...statementImport.lines.items]);
        setNextToken(statementImport.lines.nextToken);
      }
    } catch (caught) {
      setError(describeError(caught, 'this import'));
    } finally {
      setLoadingMore(false);
    }
  }

  const done = report && FINISHED.includes(report.status);
  return (
    <section class="card import-report" aria-labelledby="report-title" aria-busy={!done}>
      <h2 id="report-title">Import report{report?.fileName ? `: ${report.fileName}` : ''}</h2>
      <ErrorMessage message={error} />
      <div role="status">
        {report && !done && <p class="loading">Importing… {report.lineCount ? `${report.lineCount} lines` : ''}</p>}
        {report?.status === 'SUCCEEDED' && (
          <p class="notice success">
            Imported {report.lineCount} lines from {report.account ?? 'the statement'}: {report.created} new expense
            {report.created === 1 ? '' : 's'}, {report.matched} matched to receipts.
          </p>
        )}
      </div>
      {report?.status === 'FAILED' && (
        <p class="notice danger" role="alert">
          The import stopped: {report.error?.message ?? 'something went wrong on our side'}. Lines already imported
          stay; importing the same file again finishes the rest.
        </p>
      )}
      {report && done && (
        <>
          <dl class="figures">
            <div>
              <dt>New expenses</dt>
              <dd>{report.created}</dd>
            </div>
            <div>
              <dt>Matched to receipts</dt>
              <dd>{report.matched}</dd>
            </div>
            <div>
              <dt>Already imported</dt>
              <dd>{report.alreadyImported}</dd>
            </div>
            <div>
              <dt>Money in, skipped</dt>
              <dd>{report.skippedCredits}</dd>
            </div>
            <div>
              <dt>Could not be read</dt>
              <dd>{report.invalid}</dd>
            </div>
          </dl>
          <p>
            <a href="/expenses">See your expenses</a>
          </p>
          {report.unmatchedReceipts.length > 0 && (
            <details class="unmatched">
              <summary>
                {report.unmatchedReceipts.length} receipt{report.unmatchedReceipts.length === 1 ? '' : 's'} of these
                days matched no line
              </summary>
              <ul>
                {report.unmatchedReceipts.map((r) => (
                  <li key={r.receiptId}>
                    {r.merchant}, {formatMoney(r.amount, r.currency)} on {formatDay(r.date, me?.dateOrder)}: {r.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <div class="table-scroll" role="region" aria-labelledby="report-lines-caption" tabIndex={0}>
            <table class="lines">
              <caption id="report-lines-caption">Every line of the statement</caption>
              <LineHeads first="#" last="Outcome" />
              <tbody>
                {lines.map((line) => (
                  <tr key={line.index} class={`outcome ${line.outcome.toLowerCase()}`}>
                    <td class="idx">{line.index}</td>
                    <td class="day">{line.date ? formatDay(line.date, me?.dateOrder) : '—'}</td>
                    <td class="text">{line.description}</td>
                    <td class="num">{lineAmount(line)}</td>
                    <td class="last">
                      <strong>{OUTCOMES[line.outcome]}</strong>
                      <span class="hint reason">{line.reason}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {nextToken && (
            <button type="button" onClick={() => void more()} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'More lines'}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function PastImports(props: { onShow(id: string): void; shown: string | null }) {
  const [items, setItems] = useState<StatementImport[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    gql<ListStatementImportsData>(LIST_STATEMENT_IMPORTS, { limit: 10 }).then(
      ({ listStatementImports }) => setItems(listStatementImports.items),
      (caught: unknown) => setError(describeError(caught, 'your imports')),
    );
  }, []);

  if (!error && (!items || items.length === 0)) return null;
  return (
    <section class="card" aria-labelledby="past-imports-title">
      <h2 id="past-imports-title">Earlier imports</h2>
      <ErrorMessage message={error} />
      <ul class="past-imports">
        {items?.map((item) => (
          <li key={item.id}>
            <span>
              {item.fileName ?? 'Statement'} ({item.account ?? FORMAT_NAMES[item.format ?? 'CSV']}),{' '}
              {formatDateTime(item.createdAt)}: {item.status === 'SUCCEEDED' ? `${item.created} new` : item.status}
            </span>
            {item.id !== props.shown && (
              <button
                type="button"
                onClick={() => props.onShow(item.id)}
                aria-label={`Show report: ${item.fileName ?? 'statement'}, ${formatDateTime(item.createdAt)}`}
              >
                Show report
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  EXPORT_EXPENSES,
  LIST_REPORTS,
  REPORT,
  SEND_REPORT,
  type ExportExpensesData,
  type ListReportsData,
  type Report,
  type ReportData,
  type SendReportData,
  type StoredReport,
} from '../api/operations.ts';
import { BudgetMeter, CategoryChart, DailyChart } from '../components/charts.tsx';
import { SelectField, Field } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { addDays, formatDateTime, formatDay, todayIn } from '../lib/dates.ts';
import { describeError, toApiError } from '../lib/errors.ts';
import { jobResult } from '../lib/jobs.ts';
import { formatMoney } from '../lib/money.ts';
import { profile } from '../lib/profile.ts';

/**
 * Reports: the weekly or monthly report of a chosen period with the email's charts, the CSV
 * of its expenses, the report sent by email on demand, and the reports sent before.
 */
export function Reports() {
  const me = profile.use();
  const [period, setPeriod] = useState<'WEEKLY' | 'MONTHLY'>('MONTHLY');
  const [date, setDate] = useState(todayIn(me?.timezone ?? 'UTC'));
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [sentReports, setSentReports] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    gql<ReportData>(REPORT, { period, date })
      .then((data) => current && setReport(data.report))
      .catch((caught) => current && setError(describeError(caught, 'this report')))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [period, date]);

  const step = (direction: 1 | -1) => {
    if (!report) return;
    setDate(direction > 0 ? addDays(report.periodEnd, 1) : addDays(report.periodStart, -1));
  };

  return (
    <Page title="Reports">
      <form class="filters" aria-label="Choose the report" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="Period"
          value={period}
          onValue={(v) => setPeriod(v as 'WEEKLY' | 'MONTHLY')}
          options={[
            { value: 'WEEKLY', label: 'Week' },
            { value: 'MONTHLY', label: 'Month' },
          ]}
        />
        <Field label="Containing the day" type="date" required value={date} onValue={(v) => v && setDate(v)} />
        <div class="actions inline">
          <button type="button" onClick={() => step(-1)} disabled={!report}>
            ← Previous
          </button>
          <button type="button" onClick={() => step(1)} disabled={!report}>
            Next →
          </button>
        </div>
      </form>
      <ErrorMessage message={error} />
      {loading && !report && <p class="loading">Loading…</p>}
      {report && (
        <div aria-busy={loading}>
          <h2>
            {period === 'WEEKLY' ? 'Week' : 'Month'} of {formatDay(report.periodStart, me?.dateOrder)} to{' '}
            {formatDay(report.periodEnd, me?.dateOrder)}
          </h2>
          <ReportActions report={report} onSent={() => setSentReports((n) => n + 1)} />
          {report.summary.currencies.length === 0 && <p class="empty">No spending in this period.</p>}
          {report.summary.currencies.map((summary) => (
            <section key={summary.currency} class="card report-currency" aria-label={`Spending in ${summary.currency}`}>
              <dl class="figures">
                <div>
                  <dt>Total</dt>
                  <dd>{formatMoney(summary.total, summary.currency)}</dd>
                </div>
                <div>
                  <dt>Expenses</dt>
                  <dd>{summary.count}</dd>
                </div>
                <div>
                  <dt>Change</dt>
                  <dd>
                    {summary.change >= 0 ? '+' : ''}
                    {formatMoney(summary.change, summary.currency)}
                    {summary.changePercent !== null && summary.changePercent !== undefined
                      ? ` (${summary.changePercent >= 0 ? '+' : ''}${summary.changePercent}%)`
                      : ''}
                  </dd>
                </div>
                {summary.largest && (
                  <div>
                    <dt>Largest</dt>
                    <dd>
                      {summary.largest.merchant}, {formatMoney(summary.largest.amount, summary.currency)}
                    </dd>
                  </div>
                )}
              </dl>
              <div class="charts">
                <CategoryChart title="Spending by category" totals={summary.byCategory} currency={summary.currency} />
                <DailyChart title="Spending per day" days={summary.byDay} currency={summary.currency} />
              </div>
            </section>
          ))}
          {report.summary.budgets.length > 0 && (
            <section class="card" aria-labelledby="report-budgets">
              <h3 id="report-budgets">Budgets as of {formatDay(report.summary.budgetsAsOf, me?.dateOrder)}</h3>
              {report.summary.budgets.map((b) => (
                <div key={b.budgetId} class="report-budget">
                  <h4>{b.name}</h4>
                  <BudgetMeter name={b.name} status={b.status} currency={b.currency} />
                </div>
              ))}
            </section>
          )}
        </div>
      )}
      <PastReports key={sentReports} />
    </Page>
  );
}

function ReportActions(props: { report: Report; onSent(): void }) {
  const { report } = props;
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'csv' | 'email' | null>(null);

  async function downloadCsv() {
    setBusy('csv');
    setError(null);
    setMessage(null);
    try {
      const { exportExpenses: started } = await gql<ExportExpensesData>(EXPORT_EXPENSES, {
        from: report.periodStart,
        to: report.periodEnd,
      });
      const exportExpenses = (await jobResult(started)).export!;
      const fileName = `expenses-${report.periodStart}-to-${report.periodEnd}.csv`;
      const href = exportExpenses.content
        ? URL.createObjectURL(new Blob([exportExpenses.content], { type: 'text/csv;charset=utf-8' }))
        : exportExpenses.url;
      const link = Object.assign(document.createElement('a'), { href, download: fileName });
      document.body.append(link);
      link.click();
      link.remove();
      if (href.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(href), 60_000);
      setMessage(`Downloaded ${fileName} (${exportExpenses.rowCount} expenses).`);
    } catch (caught) {
      setError(stillRunning(caught) ?? describeError(caught, 'the export'));
    } finally {
      setBusy(null);
    }
  }

  async function email() {
    setBusy('email');
    setError(null);
    setMessage(null);
    try {
      const { sendReport: started } = await gql<SendReportData>(SEND_REPORT, {
        period: report.period,
        date: report.periodStart,
      });
      const sent = (await jobResult(started)).delivery!;
      setMessage(`The report is on its way to ${sent.to}.`);
      props.onSent();
    } catch (caught) {
      setError(stillRunning(caught) ?? describeError(caught, 'the report'));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div class="report-actions">
      <div class="actions inline">
        <button type="button" onClick={() => void downloadCsv()} disabled={!!busy}>
          {busy === 'csv' ? 'Preparing…' : 'Download CSV'}
        </button>
        <button type="button" onClick={() => void email()} disabled={!!busy}>
          {busy === 'email' ? 'Sending…' : 'Email me this report'}
        </button>
      </div>
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      <ErrorMessage message={error} />
    </div>
  );
}

/** A job that has not finished within a minute goes on on the server: say so rather than fail. */
function stillRunning(error: unknown): string | null {
  return toApiError(error).type === 'JobTimeout'
    ? 'This is taking longer than usual. It goes on on the server: try again in a few minutes.'
    : null;
}

function PastReports() {
  const me = profile.use();
  const [items, setItems] = useState<StoredReport[]>([]);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load(token: string | null) {
    try {
      const { listReports } = await gql<ListReportsData>(LIST_REPORTS, { limit: 10, nextToken: token });
      setItems((list) => (token ? [...list, ...listReports.items] : listReports.items));
      setNextToken(listReports.nextToken);
    } catch (caught) {
      setError(describeError(caught, 'your past reports'));
    }
  }
  useEffect(() => void load(null), []);

  return (
    <section aria-labelledby="past-reports" class="past-reports">
      <h2 id="past-reports">Reports sent</h2>
      <ErrorMessage message={error} />
      {items.length === 0 && !error && (
        <p class="empty">None yet. Reports you email, and scheduled ones, are kept here.</p>
      )}
      <ul>
        {items.map((r) => (
          <li key={`${r.period}-${r.periodStart}-${r.storedAt}`}>
            <a href={r.url} download>
              {r.period === 'WEEKLY' ? 'Week' : 'Month'} {formatDay(r.periodStart, me?.dateOrder)} –{' '}
              {formatDay(r.periodEnd, me?.dateOrder)}
            </a>{' '}
            <span class="hint">sent {formatDateTime(r.storedAt)} (email file, opens in your mail app)</span>
          </li>
        ))}
      </ul>
      {nextToken && (
        <button type="button" onClick={() => void load(nextToken)}>
          Show older
        </button>
      )}
    </section>
  );
}

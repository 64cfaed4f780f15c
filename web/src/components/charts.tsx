import type { BudgetStatus, Category, CategoryTotal, DayTotal } from '../../../generated/graphql.ts';
import { categoryLabel } from '../lib/categories.ts';
import { formatMoney } from '../lib/money.ts';

/**
 * The report email's three charts (functions/report/charts.ts: spending by category, the
 * daily trend, budgets), drawn as SVG in the page with the theme's colours, each with the
 * same numbers as a table for screen readers and for anyone who prefers numbers.
 */
const WIDTH = 600;

export function CategoryChart(props: { title: string; totals: CategoryTotal[]; currency: string }) {
  const rowHeight = 30;
  const labelWidth = 130;
  const valueWidth = 110;
  const height = Math.max(1, props.totals.length) * rowHeight + 8;
  const max = Math.max(1, ...props.totals.map((t) => t.amount));
  const space = WIDTH - labelWidth - valueWidth - 16;
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      {props.totals.length === 0 ? (
        <p class="empty">No spending</p>
      ) : (
        <svg
          viewBox={`0 0 ${WIDTH} ${height}`}
          role="img"
          aria-label={`${props.title}: bar chart, as in the table below`}
        >
          {props.totals.map((t, i) => {
            const y = i * rowHeight + 4;
            const width = Math.max(2, Math.round((t.amount / max) * space));
            return (
              <g key={t.category}>
                <text x={labelWidth - 8} y={y + 17} text-anchor="end" class="chart-label">
                  {categoryLabel(t.category as Category)}
                </text>
                <rect x={labelWidth} y={y + 3} width={width} height={20} rx={3} class={`bar c${i % 8}`} />
                <text x={labelWidth + width + 8} y={y + 17} class="chart-value">
                  {formatMoney(t.amount, props.currency)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      <NumbersTable
        caption={props.title}
        headers={['Category', 'Amount', 'Expenses']}
        rows={props.totals.map((t) => [
          categoryLabel(t.category as Category),
          formatMoney(t.amount, props.currency),
          String(t.count),
        ])}
      />
    </figure>
  );
}

export function DailyChart(props: { title: string; days: DayTotal[]; currency: string }) {
  const height = 220;
  const left = 8;
  const bottom = 190;
  const top = 10;
  const max = Math.max(1, ...props.days.map((d) => d.amount));
  const slot = (WIDTH - left - 8) / Math.max(1, props.days.length);
  const every = props.days.length <= 10 ? 1 : Math.ceil(props.days.length / 8);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={`${props.title}: one bar per day, as in the table below`}
      >
        <line x1={left} y1={bottom} x2={WIDTH - 8} y2={bottom} class="axis" />
        {props.days.map((d, i) => {
          const h = Math.round((d.amount / max) * (bottom - top));
          const x = left + i * slot + slot * 0.15;
          return (
            <g key={d.date}>
              <rect x={x} y={bottom - h} width={slot * 0.7} height={h} class="bar c0">
                <title>
                  {d.date}: {formatMoney(d.amount, props.currency)}
                </title>
              </rect>
              {i % every === 0 && (
                <text x={x + slot * 0.35} y={bottom + 18} text-anchor="middle" class="chart-label small">
                  {d.date.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <NumbersTable
        caption={props.title}
        headers={['Day', 'Amount', 'Expenses']}
        rows={props.days.map((d) => [d.date, formatMoney(d.amount, props.currency), String(d.count)])}
      />
    </figure>
  );
}

const STATE_TEXT: Record<BudgetStatus['state'], string> = {
  ON_TRACK: 'On track',
  AT_RISK: 'At risk',
  OVER: 'Over budget',
};

/** One budget's bar: spent against the limit, with the forecast for the period's end marked. */
export function BudgetMeter(props: { name: string; status: BudgetStatus; currency: string }) {
  const { status } = props;
  // The bar spans the limit, or the spending when it is over; a forecast past that shows at the end.
  const scale = Math.max(status.limit, status.spent, 1);
  const pct = (value: number) => `${Math.min(100, Math.max(0, (value / scale) * 100)).toFixed(1)}%`;
  const money = (value: number) => formatMoney(value, props.currency);
  const text = `${money(status.spent)} of ${money(status.limit)} (${status.percentUsed}%), forecast ${money(status.forecast)}: ${STATE_TEXT[status.state]}`;
  return (
    <div class="budget-meter">
      <div class="meter-text">
        <span>
          {money(status.spent)} of {money(status.limit)}
        </span>
        <span class={`state ${status.state.toLowerCase()}`}>{STATE_TEXT[status.state]}</span>
      </div>
      <div
        class={`meter ${status.state.toLowerCase()}`}
        role="meter"
        aria-label={props.name}
        aria-valuemin={0}
        aria-valuemax={Math.max(100, status.percentUsed)}
        aria-valuenow={status.percentUsed}
        aria-valuetext={text}
      >
        <div class="meter-fill" style={{ width: pct(status.spent) }} />
        <div class="meter-limit" style={{ left: pct(status.limit) }} />
        {status.forecast > status.spent && <div class="meter-forecast" style={{ left: pct(status.forecast) }} />}
      </div>
      <p class="hint">
        {status.percentUsed}% used · forecast {money(status.forecast)} by {status.periodEnd}
        {status.rolloverAmount ? ` · ${money(status.rolloverAmount)} carried over` : ''}
        {status.excludedCount ? ` · ${status.excludedCount} in other currencies not counted` : ''}
      </p>
    </div>
  );
}

function NumbersTable(props: { caption: string; headers: string[]; rows: string[][] }) {
  if (!props.rows.length) return null;
  return (
    <details class="numbers">
      <summary>Show as a table</summary>
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.headers.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, i) => (
            <tr key={i}>{row.map((cell, j) => (j === 0 ? <th scope="row">{cell}</th> : <td>{cell}</td>))}</tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

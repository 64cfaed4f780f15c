import type { AnalyzeExpenseCommandOutput, Block, ExpenseField } from '@aws-sdk/client-textract';
import type { DateOrder, ReceiptExtraction } from '../../generated/graphql.ts';
import { readLayout, rowsOf, type TextLine } from './layout-rules.ts';
import { amountIn, currencyIn, datesIn } from './receipt-text.ts';

/**
 * Any AnalyzeExpense response → one normalized extraction. Textract's summary fields come
 * first (several pages and several candidates for one field are common: the best-supported
 * candidate wins); what they lack is read from the LINE blocks with the layout rules. Amounts
 * in minor units, dates as YYYY-MM-DD read in the user's day/month order, confidences 0..1.
 */
export interface ParseOptions {
  dateOrder: DateOrder;
  today?: Date;
  /** The user's currency: what a bare "$" most likely means, and the fallback. */
  homeCurrency?: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const confidenceOf = (field: ExpenseField) => round2(Math.min(field.ValueDetection?.Confidence ?? 0, field.Type?.Confidence ?? 100) / 100);
const typeOf = (field: ExpenseField) => field.Type?.Text ?? '';
const valueOf = (field: ExpenseField) => (field.ValueDetection?.Text ?? '').trim();
const labelOf = (field: ExpenseField) => (field.LabelDetection?.Text ?? '').trim();

function linesOf(blocks: Block[]): TextLine[] {
  return blocks
    .filter((b) => b.BlockType === 'LINE' && b.Text)
    .map((b) => ({
      text: b.Text!,
      confidence: (b.Confidence ?? 0) / 100,
      box: { left: b.Geometry?.BoundingBox?.Left ?? 0, top: b.Geometry?.BoundingBox?.Top ?? 0, width: b.Geometry?.BoundingBox?.Width ?? 0, height: b.Geometry?.BoundingBox?.Height ?? 0 },
      page: b.Page ?? 1,
    }));
}

/** The field of `types` with the highest confidence (earliest on ties); `accept` filters candidates. */
function best(fields: ExpenseField[], types: string[], accept: (f: ExpenseField) => boolean = () => true): ExpenseField | undefined {
  return fields
    .filter((f) => types.includes(typeOf(f)) && valueOf(f) && accept(f))
    .reduce<ExpenseField | undefined>((winner, f) => (!winner || confidenceOf(f) > confidenceOf(winner) ? f : winner), undefined);
}

export function parseAnalyzeExpense(response: AnalyzeExpenseCommandOutput, options: ParseOptions): ReceiptExtraction {
  const today = options.today ?? new Date();
  const documents = response.ExpenseDocuments ?? [];
  const fields = documents.flatMap((d) => d.SummaryFields ?? []);
  const lines = linesOf(documents.flatMap((d) => d.Blocks ?? []));
  const rawText = lines.length ? rowsOf(lines).map((r) => r.text).join('\n') : null;

  // Currency: Textract's own reading of an amount field, else symbols or codes in the amounts and text.
  const coded = fields.find((f) => f.Currency?.Code && ['TOTAL', 'AMOUNT_PAID', 'SUBTOTAL'].includes(typeOf(f)));
  const amountTexts = fields.filter((f) => ['TOTAL', 'AMOUNT_PAID', 'SUBTOTAL', 'TAX'].includes(typeOf(f))).map(valueOf).join(' ');
  const detected = coded?.Currency?.Code?.toUpperCase() ?? currencyIn(amountTexts, options.homeCurrency) ?? (rawText ? currencyIn(rawText, options.homeCurrency) : null);
  const currencyCode = detected ?? options.homeCurrency ?? 'USD';
  const currency = { value: currencyCode, confidence: coded ? confidenceOf(coded) : detected ? 0.8 : 0.3 };

  const layout = lines.length ? readLayout(lines, options.dateOrder, today, currencyCode) : null;
  const amount = (field: ExpenseField | undefined) => {
    if (!field) return null;
    const value = amountIn(valueOf(field), currencyCode);
    return value !== null && value >= 0 ? { amount: value, confidence: confidenceOf(field) } : null;
  };

  // Total: among TOTAL candidates the largest with good support (a "TOTAL" row also labels
  // totals before discounts or item counts); then AMOUNT_PAID; then the layout rules.
  const totals = fields.filter((f) => typeOf(f) === 'TOTAL' && amountIn(valueOf(f), currencyCode) !== null);
  const topConfidence = Math.max(0, ...totals.map(confidenceOf));
  const strongTotals = totals.filter((f) => confidenceOf(f) >= topConfidence * 0.6);
  const grand = strongTotals.find((f) => /grand|amount\s*due|balance\s*due/i.test(labelOf(f)));
  const largest = strongTotals.reduce<ExpenseField | undefined>((a, f) => (!a || amountIn(valueOf(f), currencyCode)! > amountIn(valueOf(a), currencyCode)! ? f : a), undefined);
  const total =
    amount(grand ?? largest) ??
    amount(best(fields, ['AMOUNT_PAID'])) ??
    (layout?.total ? { amount: layout.total.amount, confidence: round2(layout.total.confidence * 0.9) } : null);

  const dateField = best(fields, ['INVOICE_RECEIPT_DATE', 'ORDER_DATE'], (f) => datesIn(valueOf(f), options.dateOrder, today).length > 0);
  const date = dateField
    ? { value: datesIn(valueOf(dateField), options.dateOrder, today)[0], confidence: confidenceOf(dateField) }
    : layout?.date
      ? { value: layout.date.date, confidence: round2(layout.date.confidence * 0.9) }
      : null;

  const vendor = best(fields, ['VENDOR_NAME']) ?? best(fields, ['NAME'], (f) => (f.GroupProperties ?? []).some((g) => g.Types?.includes('VENDOR')));
  const merchant = vendor
    ? { value: valueOf(vendor).replace(/\s+/g, ' '), confidence: confidenceOf(vendor) }
    : layout?.merchant
      ? { value: layout.merchant.text, confidence: round2(layout.merchant.confidence) }
      : null;

  const subtotal = amount(best(fields, ['SUBTOTAL'])) ?? (layout?.subtotal ? { amount: layout.subtotal.amount, confidence: round2(layout.subtotal.confidence * 0.9) } : null);
  const tax = amount(best(fields, ['TAX'])) ?? (layout?.tax ? { amount: layout.tax.amount, confidence: round2(layout.tax.confidence * 0.9) } : null);
  const tip = amount(best(fields, ['GRATUITY', 'TIP']));

  const lineItems = documents
    .flatMap((d) => d.LineItemGroups ?? [])
    .flatMap((g) => g.LineItems ?? [])
    .map((item) => {
      const itemFields = item.LineItemExpenseFields ?? [];
      const field = (type: string) => itemFields.find((f) => typeOf(f) === type && valueOf(f));
      const description = field('ITEM');
      if (!description) return null;
      const quantity = field('QUANTITY') ? Number(valueOf(field('QUANTITY')!).replace(',', '.').replace(/[^\d.]/g, '')) : null;
      const used = itemFields.filter((f) => ['ITEM', 'QUANTITY', 'UNIT_PRICE', 'PRICE'].includes(typeOf(f)));
      return {
        description: valueOf(description).replace(/\s+/g, ' '),
        quantity: quantity !== null && Number.isFinite(quantity) && quantity > 0 ? quantity : null,
        unitPrice: field('UNIT_PRICE') ? amountIn(valueOf(field('UNIT_PRICE')!), currencyCode) : null,
        amount: field('PRICE') ? amountIn(valueOf(field('PRICE')!), currencyCode) : null,
        confidence: round2(Math.min(...used.map(confidenceOf))),
      };
    })
    .filter((item): item is NonNullable<typeof item> => item !== null);

  return { merchant, date, total, subtotal, tax, tip, currency, lineItems, rawText } as ReceiptExtraction;
}

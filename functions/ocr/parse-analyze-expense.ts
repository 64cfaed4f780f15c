import type { AnalyzeExpenseCommandOutput, Block, ExpenseField } from '@aws-sdk/client-textract';
import type { DateOrder, ExtractedLineItem, ReceiptExtraction } from '../../generated/graphql.ts';
import { mendedMerchantName, readLayout, rowsOf, type TextLine } from './layout-rules.ts';
import { readLineItems } from './line-items.ts';
import { currencyOf, labelLanguage } from './currency-evidence.ts';
import {
  amountIn,
  dateOrderEvidence,
  datesIn,
  decimalMarkOf,
  labelledDateIn,
  type DecimalMark,
} from './receipt-text.ts';
import { labelPattern, type Language } from './receipt-vocabulary.ts';

/**
 * Any AnalyzeExpense response → one normalized extraction. Textract's summary fields come
 * first (several pages and several candidates for one field are common); what they lack is
 * read from the LINE blocks with the layout rules. Amounts in minor units, dates as
 * YYYY-MM-DD, confidences 0..1. Dates are read in the order the receipt's own dates prove,
 * else in the user's order: Textract gives dates as printed and never knows the user.
 * Field types: https://docs.aws.amazon.com/textract/latest/dg/invoices-receipts.html
 */
export interface ParseOptions {
  dateOrder: DateOrder;
  today?: Date;
  /** The user's currency: what a bare "$" most likely means, and the fallback. */
  homeCurrency?: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const confidenceOf = (field: ExpenseField) =>
  round2(Math.min(field.ValueDetection?.Confidence ?? 0, field.Type?.Confidence ?? 100) / 100);
const typeOf = (field: ExpenseField) => field.Type?.Text ?? '';
const valueOf = (field: ExpenseField) => (field.ValueDetection?.Text ?? '').trim();
const labelOf = (field: ExpenseField) => (field.LabelDetection?.Text ?? '').trim();

function linesOf(blocks: Block[]): TextLine[] {
  return blocks
    .filter((b) => b.BlockType === 'LINE' && b.Text)
    .map((b) => {
      const polygon = b.Geometry?.Polygon ?? [];
      return {
        text: b.Text!,
        confidence: (b.Confidence ?? 0) / 100,
        box: {
          left: b.Geometry?.BoundingBox?.Left ?? 0,
          top: b.Geometry?.BoundingBox?.Top ?? 0,
          width: b.Geometry?.BoundingBox?.Width ?? 0,
          height: b.Geometry?.BoundingBox?.Height ?? 0,
        },
        // The line's corners (a tilted photo's rows run on a slant: layout-rules.ts rowsOf).
        ...(polygon.length === 4 ? { polygon: polygon.map((p) => ({ x: p.X ?? 0, y: p.Y ?? 0 })) } : {}),
        page: b.Page ?? 1,
      };
    });
}

/** The field of `types` with the highest confidence (earliest on ties); `accept` filters candidates. */
function best(
  fields: ExpenseField[],
  types: string[],
  accept: (f: ExpenseField) => boolean = () => true,
): ExpenseField | undefined {
  return fields
    .filter((f) => types.includes(typeOf(f)) && valueOf(f) && accept(f))
    .reduce<ExpenseField | undefined>(
      (winner, f) => (!winner || confidenceOf(f) > confidenceOf(winner) ? f : winner),
      undefined,
    );
}

/** Where a field or line is printed, as one number (page, then height on the page); null when the response gives no geometry. */
type Printed = { at: number | null; text: string; amount: number | null };
const positionOf = (page: number | undefined, top: number | undefined) =>
  top === undefined ? null : (page ?? 1) + top;

// A TOTAL that says it is what is owed; one that names a count, a saving or an amount before tax is not the total.
const OWED_LABEL = new RegExp(String.raw`${labelPattern('owed').source}|grand|payable`, 'iu');
const NOT_THE_TOTAL = new RegExp(
  String.raw`${labelPattern(['notTotal', 'subtotal', 'change']).source}|\b(items?|qty|quantity|count|savings?|saved|points?)\b|^\W*(total\s*)?(tax|gst|vat)\b`,
  'iu',
);
const DISCOUNT_WORD = labelPattern('discount');
const PAYMENT_WORD = labelPattern('tendered');
const CHANGE_WORD = labelPattern('change');

/**
 * The grand total among several TOTAL candidates, by what the receipt says rather than by
 * size (a total before a discount is larger than the one owed):
 * 1. a total labelled as what is owed (grand total, amount due…), or Textract's AMOUNT_DUE;
 * 2. the candidate equal to what was paid (AMOUNT_PAID, less the change);
 * 3. the last total printed after the last discount and before the payment lines;
 * 4. without geometry: a candidate that is another less a DISCOUNT printed;
 * 5. else the largest.
 */
function chooseTotal(
  fields: ExpenseField[],
  lines: TextLine[],
  currency: string,
  mark: DecimalMark | null,
): ExpenseField | undefined {
  const amountOf = (f: ExpenseField) => amountIn(valueOf(f), currency, mark);
  const at = (f: ExpenseField) => positionOf(f.PageNumber, f.ValueDetection?.Geometry?.BoundingBox?.Top);
  const all = fields.filter(
    (f) => ['TOTAL', 'AMOUNT_DUE'].includes(typeOf(f)) && amountOf(f) !== null && !NOT_THE_TOTAL.test(labelOf(f)),
  );
  const topConfidence = Math.max(0, ...all.map(confidenceOf));
  const candidates = all.filter((f) => confidenceOf(f) >= topConfidence * 0.6);
  if (candidates.length <= 1) return candidates[0];
  const positioned = candidates.every((f) => at(f) !== null);
  const ordered = positioned ? [...candidates].sort((a, b) => at(a)! - at(b)!) : candidates;

  const owed = ordered.filter((f) => typeOf(f) === 'AMOUNT_DUE' || OWED_LABEL.test(labelOf(f)));
  if (owed.length) return owed.at(-1);

  // Every amount-bearing mention of a discount, a payment or change, from the fields and the printed lines.
  const mentions: Printed[] = [
    ...fields.map((f) => ({
      at: at(f),
      text: `${typeOf(f) === 'DISCOUNT' ? 'discount ' : ''}${typeOf(f) === 'AMOUNT_PAID' ? 'paid ' : ''}${labelOf(f)}`,
      amount: amountOf(f),
    })),
    ...lines.map((l) => ({
      at: positionOf(l.page, l.box.top),
      text: l.text,
      amount: amountIn(l.text, currency, mark),
    })),
  ].filter((m) => m.amount !== null);
  const paid = fields.filter((f) => typeOf(f) === 'AMOUNT_PAID').map(amountOf);
  const change = mentions.find((m) => CHANGE_WORD.test(m.text))?.amount ?? 0;
  const settled = ordered.filter((f) =>
    paid.some((p) => p !== null && (p === amountOf(f) || p - Math.abs(change) === amountOf(f))),
  );
  if (settled.length) return settled.at(-1);

  if (positioned) {
    const last = at(ordered.at(-1)!)!;
    const discountAt = Math.max(
      -Infinity,
      ...mentions.filter((m) => m.at !== null && m.at < last && DISCOUNT_WORD.test(m.text)).map((m) => m.at!),
    );
    const paymentAt = Math.min(
      Infinity,
      ...mentions
        .filter((m) => m.at !== null && m.at > Math.max(discountAt, at(ordered[0])!) && PAYMENT_WORD.test(m.text))
        .map((m) => m.at!),
    );
    const owedNow = ordered.filter((f) => at(f)! > discountAt && at(f)! < paymentAt);
    if (owedNow.length) return owedNow.at(-1);
  } else {
    const discounts = fields
      .filter((f) => typeOf(f) === 'DISCOUNT')
      .map((f) => Math.abs(amountOf(f) ?? 0))
      .filter((d) => d > 0);
    const afterDiscount = ordered.find((b) =>
      ordered.some((a) => discounts.some((d) => amountOf(a)! - d === amountOf(b))),
    );
    if (afterDiscount) return afterDiscount;
  }
  return ordered.reduce((a, f) => (amountOf(f)! > amountOf(a)! ? f : a));
}

/** "https: //www.amazon.com/…" → "amazon.com": the vendor's name as its web address says it, in the spelling printed with capitals if any. */
function vendorFromUrls(urls: ExpenseField[]): { value: string; confidence: number } | null {
  const hostOf = (text: string) => {
    const host = text
      .replace(/\s+/g, '')
      .replace(/^[a-z]+:\/*/i, '')
      .replace(/^www\./i, '')
      .split(/[/?#]/)[0];
    return /^[\p{L}\d-]+(\.[\p{L}\d-]+)+$/u.test(host) ? host : null;
  };
  const named = urls
    .map((f) => ({ f, host: hostOf(valueOf(f)) }))
    .filter((u): u is { f: ExpenseField; host: string } => u.host !== null);
  const top = named.reduce<(typeof named)[number] | undefined>(
    (a, u) => (!a || confidenceOf(u.f) > confidenceOf(a.f) ? u : a),
    undefined,
  );
  if (!top) return null;
  const spelled =
    named.find((u) => u.host.toLowerCase() === top.host.toLowerCase() && /\p{Lu}/u.test(u.host))?.host ?? top.host;
  // A name derived from an address is a little less sure than a name printed as such.
  return { value: spelled, confidence: round2(confidenceOf(top.f) * 0.9) };
}

// Labels of dates that are not the purchase date.
const NOT_PURCHASE_DATE = labelPattern('notPurchaseDate');

/**
 * Where a currency is money, dates are printed day-first (the euro, the pound, the ringgit…),
 * when the receipt's own dates do not say. Not for dollars (the US prints month-first, many
 * dollar countries day-first) nor year-first Asia: there the user's order decides.
 */
// Countries whose receipts print numeric dates month first ("12/07/2019" is December 7 in the US).
const MONTH_FIRST_COUNTRIES = ['US', 'PH'];

function dateOrderOfCurrency(code: string): DateOrder | null {
  return ['USD', 'CAD', 'PHP', 'JPY', 'CNY', 'KRW', 'TWD', 'HUF'].includes(code) ? null : 'DMY';
}

// Languages whose receipts print numeric dates day first wherever they are printed; not English (the US
// prints month first) nor the languages of year-first countries (Chinese, Japanese, Hungarian, Lithuanian, Swedish).
const DAY_FIRST_LANGUAGES: Language[] = ['de', 'fr', 'es', 'it', 'nl', 'pt', 'ms', 'da', 'no', 'fi', 'pl', 'cs',
  'tr', 'ro', 'hr', 'sk', 'sl', 'et', 'lv', 'vi']; // prettier-ignore

/** Day-first where the receipt's labels are in a language only day-first countries print. */
function dateOrderOfLanguage(text: string): DateOrder | null {
  const language = labelLanguage(text)?.language;
  return language && DAY_FIRST_LANGUAGES.includes(language) ? 'DMY' : null;
}

export function parseAnalyzeExpense(response: AnalyzeExpenseCommandOutput, options: ParseOptions): ReceiptExtraction {
  const today = options.today ?? new Date();
  const documents = response.ExpenseDocuments ?? [];
  const fields = documents.flatMap((d) => d.SummaryFields ?? []);
  const lines = linesOf(documents.flatMap((d) => d.Blocks ?? []));
  const rows = lines.length ? rowsOf(lines) : [];
  const rawText = rows.length ? rows.map((r) => r.text).join('\n') : null;

  // Currency: Textract's own reading of an amount field, else what the receipt prints (symbols,
  // codes, the country it names); a guess keeps its low confidence, so the receipt is reviewed.
  const coded = fields.find((f) => f.Currency?.Code && ['TOTAL', 'AMOUNT_PAID', 'SUBTOTAL'].includes(typeOf(f)));
  const amountTexts = fields
    .filter((f) => ['TOTAL', 'AMOUNT_PAID', 'SUBTOTAL', 'TAX'].includes(typeOf(f)))
    .map(valueOf)
    .join(' ');
  const printed = currencyOf([amountTexts, rawText ?? '', ...fields.map(valueOf)].join('\n'), options.homeCurrency);
  const currencyCode = coded?.Currency?.Code?.toUpperCase() ?? printed.code;
  const currency = { value: currencyCode, confidence: coded ? confidenceOf(coded) : printed.confidence };
  // The receipt's own amounts say which mark is the decimal point.
  const mark = decimalMarkOf([rawText ?? '', amountTexts].join('\n'));

  // One receipt prints its dates one way: a date only one order can read decides the others.
  const dateOrder =
    dateOrderEvidence([rawText ?? '', ...fields.map((f) => `${labelOf(f)} ${valueOf(f)}`)].join('\n'), today) ??
    (printed.country && MONTH_FIRST_COUNTRIES.includes(printed.country) ? 'MDY' : null) ??
    (currency.confidence >= 0.6 ? dateOrderOfCurrency(currencyCode) : null) ??
    dateOrderOfLanguage(rawText ?? '') ??
    options.dateOrder;
  const layout = lines.length ? readLayout(lines, dateOrder, today, currencyCode) : null;
  const amount = (field: ExpenseField | undefined) => {
    if (!field) return null;
    const value = amountIn(valueOf(field), currencyCode, mark);
    return value !== null && value >= 0 ? { amount: value, confidence: confidenceOf(field) } : null;
  };

  const total =
    amount(chooseTotal(fields, lines, currencyCode, mark)) ??
    amount(best(fields, ['AMOUNT_PAID'])) ??
    (layout?.total ? { amount: layout.total.amount, confidence: round2(layout.total.confidence * 0.9) } : null);

  // Date: Textract's receipt or order date; else an OTHER field that labels a date as such ("Statement Date 09/30/10"); else the layout rules.
  const dateField = best(
    fields,
    ['INVOICE_RECEIPT_DATE', 'ORDER_DATE'],
    (f) => datesIn(valueOf(f), dateOrder, today).length > 0,
  );
  const labelledDates = fields
    .filter((f) => typeOf(f) === 'OTHER' && !NOT_PURCHASE_DATE.test(labelOf(f)))
    .map((f) => ({ f, date: labelledDateIn(`${labelOf(f)} ${valueOf(f)}`, dateOrder, today) }))
    .filter((d): d is { f: ExpenseField; date: string } => d.date !== null)
    .sort((a, b) => confidenceOf(b.f) - confidenceOf(a.f));
  const date = dateField
    ? { value: datesIn(valueOf(dateField), dateOrder, today)[0], confidence: confidenceOf(dateField) }
    : labelledDates.length
      ? { value: labelledDates[0].date, confidence: confidenceOf(labelledDates[0].f) }
      : layout?.date
        ? { value: layout.date.date, confidence: round2(layout.date.confidence * 0.9) }
        : null;

  // Merchant: the vendor's name, else a name Textract groups with the vendor, else its web address, else the layout rules.
  const vendor =
    best(fields, ['VENDOR_NAME']) ??
    best(fields, ['NAME'], (f) => (f.GroupProperties ?? []).some((g) => g.Types?.includes('VENDOR')));
  const merchant = vendor
    ? {
        value: mendedMerchantName(valueOf(vendor).replace(/\s+/g, ' '), rows),
        confidence: confidenceOf(vendor),
      }
    : (vendorFromUrls(fields.filter((f) => typeOf(f) === 'VENDOR_URL')) ??
      (layout?.merchant ? { value: layout.merchant.text, confidence: round2(layout.merchant.confidence) } : null));

  const subtotal =
    amount(best(fields, ['SUBTOTAL'])) ??
    (layout?.subtotal
      ? { amount: layout.subtotal.amount, confidence: round2(layout.subtotal.confidence * 0.9) }
      : null);
  const tax =
    amount(best(fields, ['TAX'])) ??
    (layout?.tax ? { amount: layout.tax.amount, confidence: round2(layout.tax.confidence * 0.9) } : null);
  const tip = amount(best(fields, ['GRATUITY', 'TIP']));

  const fromGroups = documents
    .flatMap((d) => d.LineItemGroups ?? [])
    .flatMap((g) => g.LineItems ?? [])
    .map((item): ExtractedLineItem | null => {
      const itemFields = item.LineItemExpenseFields ?? [];
      const field = (type: string) => itemFields.find((f) => typeOf(f) === type && valueOf(f));
      const description = field('ITEM');
      if (!description) return null;
      const quantity = field('QUANTITY')
        ? Number(
            valueOf(field('QUANTITY')!)
              .replace(',', '.')
              .replace(/[^\d.]/g, ''),
          )
        : null;
      const used = itemFields.filter((f) => ['ITEM', 'QUANTITY', 'UNIT_PRICE', 'PRICE'].includes(typeOf(f)));
      return {
        description: valueOf(description).replace(/\s+/g, ' '),
        quantity: quantity !== null && Number.isFinite(quantity) && quantity > 0 ? quantity : null,
        unitPrice: field('UNIT_PRICE') ? amountIn(valueOf(field('UNIT_PRICE')!), currencyCode, mark) : null,
        amount: field('PRICE') ? amountIn(valueOf(field('PRICE')!), currencyCode, mark) : null,
        confidence: round2(Math.min(...used.map(confidenceOf))),
      };
    })
    .filter((item): item is ExtractedLineItem => item !== null);
  // A response without line items but with its text: the line-item rules read the rows.
  const lineItems = fromGroups.length
    ? fromGroups
    : readLineItems(rows, currencyCode)
        .filter((item) => item.description)
        .map((item): ExtractedLineItem => ({
          description: item.description!.text,
          quantity: item.quantity?.value ?? null,
          unitPrice: item.unitPrice?.amount ?? null,
          amount: item.price.amount,
          confidence: round2(Math.min(...item.rows.flatMap((r) => r.lines).map((l) => l.confidence)) * 0.9),
        }));

  return { merchant, date, total, subtotal, tax, tip, currency, lineItems, rawText } as ReceiptExtraction;
}

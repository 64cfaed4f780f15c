import { convert } from 'html-to-text';
import { simpleParser, type AddressObject } from 'mailparser';
import type { ParsedMessage } from './core.ts';

/**
 * A raw message (RFC 5322 / MIME) read with mailparser into what intake needs. An HTML body
 * becomes text with its tables laid out in columns (html-to-text), so "Latte ... 4.50" stays one
 * row as it does on a printed receipt; images, links and styles are dropped.
 */
const MAX_HTML_CHARS = 2_000_000;

function firstAddress(value: AddressObject | AddressObject[] | undefined): string | null {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  for (const group of list) for (const entry of group.value) if (entry.address) return entry.address.toLowerCase();
  return null;
}

export function htmlText(html: string): string {
  return convert(html.slice(0, MAX_HTML_CHARS), {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'head', format: 'skip' },
      // Names as the shop writes them: headings are not shouted.
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
      // Every table as data: cells in columns, so a label and its amount stay on one row.
      {
        selector: 'table',
        format: 'dataTable',
        options: { colSpacing: 4, maxColumnWidth: 80, uppercaseHeaderCells: false },
      },
    ],
  });
}

export async function parseMessage(raw: Uint8Array): Promise<ParsedMessage> {
  const mail = await simpleParser(Buffer.from(raw), {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
    maxHtmlLengthToParse: MAX_HTML_CHARS,
  });
  const header = (name: string) => {
    const value = mail.headers.get(name);
    return typeof value === 'string' ? value.trim().toLowerCase() : value ? String(value).toLowerCase() : '';
  };
  const autoSubmitted = header('auto-submitted');
  const precedence = header('precedence');
  const contentType = header('content-type');
  const automatic =
    (autoSubmitted !== '' && autoSubmitted !== 'no') ||
    ['bulk', 'junk', 'list'].includes(precedence) ||
    mail.headers.has('list-id') ||
    contentType.includes('multipart/report');
  const html = typeof mail.html === 'string' ? mail.html : null;
  const text = html ? htmlText(html) : (mail.text ?? null);
  return {
    messageId: mail.messageId ?? null,
    from: firstAddress(mail.from),
    subject: mail.subject ?? null,
    automatic,
    // Images embedded in the HTML (logos, pixels) are part of the message's look, not receipts.
    attachments: mail.attachments
      .filter((part) => !(part.related && part.cid && html?.includes(`cid:${part.cid}`)))
      .map((part) => ({
        fileName: part.filename ?? null,
        contentType: part.contentType,
        bytes: new Uint8Array(part.content),
      })),
    text,
  };
}

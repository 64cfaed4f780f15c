import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, discardRest, readBoundedBody } from './server/request-body.ts';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';

/**
 * The SES stand-in: an outbox on disk. Speaks SESv2 `SendEmail` (Simple and Raw content) so
 * functions use `@aws-sdk/client-sesv2` unchanged; every message becomes one `.eml` file in
 * `DATA_DIR/outbox` plus an entry in `index.json`, and the outbox is browsable as HTML.
 */
export interface OutboxMessage {
  id: string;
  from: string;
  to: string[];
  subject: string;
  date: string;
  text?: string;
  html?: string;
}

export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
}

export interface Outbox {
  /** Send a message (used directly by in-process senders such as the Cognito stand-in). */
  send(email: OutgoingEmail): Promise<OutboxMessage>;
  list(): Promise<OutboxMessage[]>;
  /** SESv2 REST endpoint: `POST /v2/email/outbound-emails`. */
  isSesRequest(req: IncomingMessage): boolean;
  handleSes(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** `GET /outbox`, `/outbox/<id>`, `/outbox/<id>.eml`, `/outbox.json`. */
  isOutboxRequest(req: IncomingMessage): boolean;
  handleOutbox(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

/** SES's largest message, 40 MB, in the base64 of a SendEmail request, and room for the JSON around it. */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
export const MAX_SEND_EMAIL_REQUEST_BYTES = Math.ceil(MAX_MESSAGE_BYTES / 3) * 4 + 64 * 1024;

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** The parts of a raw MIME message the outbox shows: headers, text and HTML bodies. */
export interface MimeMessage {
  headers: Record<string, string>;
  text?: string;
  html?: string;
  /** Parts with a Content-ID (inline images), by id without brackets: type and base64 content. */
  inline?: Record<string, { type: string; base64: string }>;
}

export function readMimeMessage(raw: string): MimeMessage {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\r\n\r\n');
  // Header names are the sender's: a null prototype keeps `__proto__` a header like any other.
  const headers = Object.create(null) as Record<string, string>;
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const found: { text?: string; html?: string; inline?: MimeMessage['inline'] } = {};
    // The line break before a delimiter belongs to the delimiter, not to the part (RFC 2046).
    for (const part of `\r\n${body}`
      .split(new RegExp(`\\r?\\n--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
      .slice(1)) {
      if (part.startsWith('--')) break;
      const inner = readMimeMessage(part.replace(/^\r?\n/, ''));
      found.text ??= inner.text;
      found.html ??= inner.html;
      if (inner.inline) found.inline = { ...found.inline, ...inner.inline };
    }
    return { headers, ...found };
  }
  const contentId = /^<?([^>]+)>?$/.exec(headers['content-id'] ?? '')?.[1];
  if (contentId && (headers['content-transfer-encoding'] ?? '').toLowerCase() === 'base64') {
    return { headers, inline: { [contentId]: { type: type.split(';')[0].trim(), base64: body.replace(/\s+/g, '') } } };
  }
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const decoded =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body
              .replace(/=\r?\n/g, '')
              .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8')
        : body;
  return type.toLowerCase().startsWith('text/html') ? { headers, html: decoded } : { headers, text: decoded };
}

/** `cid:` references to the message's own inline parts as data: URIs (the only images the body's CSP allows). */
export function withInlineImages(html: string, inline: NonNullable<MimeMessage['inline']>): string {
  return html.replace(/cid:([^"'\s)]+)/g, (reference, id: string) =>
    Object.hasOwn(inline, id) ? `data:${inline[id].type};base64,${inline[id].base64}` : reference,
  );
}

/** RFC 2047 encoded words (`=?UTF-8?B?...?=`) in a header, decoded for display. */
function decodeHeader(value: string): string {
  // Whitespace between adjacent encoded words is folding, not text (RFC 2047 §6.2).
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

interface SendEmailRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  Content?: {
    Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string }; Html?: { Data?: string } } };
    Raw?: { Data?: string };
  };
}

export interface OutboxOptions {
  /** Checks a SendEmail request's signature (SigV4, service ses, as SES does); throws to refuse. */
  authorize?: (req: IncomingMessage, body: string) => Promise<void>;
}

export function createOutbox(dataDir: string, options: OutboxOptions = {}): Outbox {
  const dir = path.join(dataDir, 'outbox');
  const indexFile = path.join(dir, 'index.json');
  // Writes to the index are serialized so concurrent sends never lose an entry.
  let indexWrite: Promise<unknown> = Promise.resolve();

  async function list(): Promise<OutboxMessage[]> {
    try {
      return JSON.parse(await readFile(indexFile, 'utf8')) as OutboxMessage[];
    } catch {
      return [];
    }
  }

  async function store(message: OutboxMessage, eml: Buffer | string): Promise<OutboxMessage> {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${message.id}.eml`), eml);
    const write = indexWrite.then(async () => {
      const messages = await list();
      messages.push(message);
      // Write-then-rename: a crash mid-write never leaves a torn index.
      const tmp = `${indexFile}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(messages, null, 1));
      await rename(tmp, indexFile);
    });
    indexWrite = write.catch(() => {});
    await write;
    return message;
  }

  async function send(email: OutgoingEmail): Promise<OutboxMessage> {
    const id = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
    const eml = await new MailComposer({ ...email, messageId: `<${id}@outbox.local>` }).compile().build();
    return store({ id, ...email, date: new Date().toISOString() }, eml);
  }

  async function sendRequest(request: SendEmailRequest): Promise<OutboxMessage> {
    const to = [
      ...(request.Destination?.ToAddresses ?? []),
      ...(request.Destination?.CcAddresses ?? []),
      ...(request.Destination?.BccAddresses ?? []),
    ];
    const simple = request.Content?.Simple;
    if (simple) {
      return send({
        from: request.FromEmailAddress ?? '',
        to,
        subject: simple.Subject?.Data ?? '',
        text: simple.Body?.Text?.Data,
        html: simple.Body?.Html?.Data,
      });
    }
    const raw = Buffer.from(request.Content?.Raw?.Data ?? '', 'base64');
    const parsed = readMimeMessage(raw.toString('utf8'));
    const id = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
    return store(
      {
        id,
        from: request.FromEmailAddress ?? decodeHeader(parsed.headers.from ?? ''),
        to: to.length
          ? to
          : (parsed.headers.to ?? '')
              .split(',')
              .map((a) => a.trim())
              .filter(Boolean),
        subject: decodeHeader(parsed.headers.subject ?? ''),
        date: new Date().toISOString(),
        text: parsed.text,
        html: parsed.html,
      },
      raw,
    );
  }

  function sendHtml(res: ServerResponse, status: number, html: string) {
    // The page itself runs no script; a message's HTML is shown in a sandboxed iframe.
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'",
    });
    res.end(html);
  }

  const page = (title: string, body: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}iframe{width:100%;height:70vh;border:1px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}</style></head><body>${body}</body></html>`;

  return {
    send,
    list,
    isSesRequest: (req) => req.method === 'POST' && (req.url ?? '').split('?')[0] === SEND_EMAIL_PATH,
    async handleSes(req, res) {
      let body: string;
      try {
        body = (await readBoundedBody(req, MAX_SEND_EMAIL_REQUEST_BYTES)).toString('utf8');
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        discardRest(req, res);
        res.writeHead(413, { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected' });
        res.end(
          JSON.stringify({ message: `Message length is more than ${MAX_MESSAGE_BYTES / 1024 / 1024} megabytes long` }),
        );
        return;
      }
      try {
        await options.authorize?.(req, body);
      } catch (error) {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnrecognizedClientException' });
        res.end(JSON.stringify({ message: (error as Error).message }));
        return;
      }
      let request: SendEmailRequest;
      try {
        request = JSON.parse(body) as SendEmailRequest;
        if (!request || typeof request !== 'object' || Array.isArray(request)) throw new Error('not an object');
      } catch {
        res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'BadRequestException' });
        res.end(JSON.stringify({ message: 'Request body is not a valid JSON object' }));
        return;
      }
      if (!request.Content?.Simple && !request.Content?.Raw?.Data) {
        res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'BadRequestException' });
        res.end(JSON.stringify({ message: 'Content must be Simple or Raw' }));
        return;
      }
      const message = await sendRequest(request);
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify({ MessageId: message.id }));
    },
    isOutboxRequest: (req) => req.method === 'GET' && /^\/outbox(\.json|\/.*)?$/.test((req.url ?? '').split('?')[0]),
    async handleOutbox(req, res) {
      const url = (req.url ?? '').split('?')[0];
      const messages = await list();
      if (url === '/outbox.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(messages));
        return;
      }
      const match = /^\/outbox\/([\w-]+)(\.eml|\/body)?$/.exec(url);
      const message = match && messages.find((m) => m.id === match[1]);
      if (match && !message)
        return sendHtml(res, 404, page('Not found', '<p>No such message. <a href="/outbox">Outbox</a></p>'));
      if (message && match?.[2] === '.eml') {
        res.writeHead(200, { 'content-type': 'message/rfc822' });
        res.end(await readFile(path.join(dir, `${message.id}.eml`)));
        return;
      }
      if (message && match?.[2] === '/body') {
        // Rendered inside a sandboxed iframe: no scripts, no forms, no network.
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
        });
        // Inline images (cid:) become data: URIs from the message itself, the only images the CSP allows.
        const inline = message.html
          ? (readMimeMessage((await readFile(path.join(dir, `${message.id}.eml`))).toString('utf8')).inline ?? {})
          : {};
        res.end(message.html ? withInlineImages(message.html, inline) : `<pre>${escapeHtml(message.text ?? '')}</pre>`);
        return;
      }
      if (message) {
        const body = `<p><a href="/outbox">← Outbox</a> · <a href="/outbox/${message.id}.eml">.eml</a></p><h2>${escapeHtml(message.subject)}</h2><p>From ${escapeHtml(message.from)} to ${escapeHtml(message.to.join(', '))} · ${escapeHtml(message.date)}</p>${message.html ? `<iframe sandbox src="/outbox/${message.id}/body"></iframe>` : ''}${message.text ? `<pre>${escapeHtml(message.text)}</pre>` : ''}`;
        return sendHtml(res, 200, page(message.subject, body));
      }
      const rows = [...messages]
        .reverse()
        .map(
          (m) =>
            `<tr><td>${escapeHtml(m.date)}</td><td>${escapeHtml(m.to.join(', '))}</td><td><a href="/outbox/${m.id}">${escapeHtml(m.subject || '(no subject)')}</a></td></tr>`,
        )
        .join('');
      sendHtml(
        res,
        200,
        page(
          'Outbox',
          `<h1>Outbox</h1><p>Every email the system sent, newest first. <a href="/">Console</a> · <a href="/outbox.json">JSON</a></p><table><tr><th>Date</th><th>To</th><th>Subject</th></tr>${rows || '<tr><td colspan="3">No messages yet.</td></tr>'}</table>`,
        ),
      );
    },
  };
}

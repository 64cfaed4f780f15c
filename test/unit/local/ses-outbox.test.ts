import { describe, expect, it } from 'vitest';
import { readMimeMessage, withInlineImages } from '../../../local/ses-outbox.ts';

/** The outbox reads messages the functions send: header names and Content-IDs are the sender's. */
describe('readMimeMessage', () => {
  it("given headers named after Object.prototype's properties, then they are headers like any other", () => {
    const parsed = readMimeMessage('__proto__: polluted\r\nConstructor: also\r\nContent-Type: text/plain\r\n\r\nhello');
    expect(Object.hasOwn(parsed.headers, '__proto__')).toBe(true);
    expect(parsed.headers['__proto__']).toBe('polluted');
    expect(parsed.headers.constructor).toBe('also');
    expect(parsed.text).toBe('hello');
  });
});

describe('withInlineImages', () => {
  const raw = [
    'Content-Type: multipart/related; boundary="b"',
    '',
    '--b',
    'Content-Type: text/html',
    '',
    '<img src="cid:chart"><img src="cid:constructor"><img src="cid:__proto__">',
    '--b',
    'Content-Type: image/png',
    'Content-ID: <chart>',
    'Content-Transfer-Encoding: base64',
    '',
    'iVBORw0KGgo=',
    '--b--',
  ].join('\r\n');

  it('given cid: references, then the message own parts become data: URIs and other names stay as they were', () => {
    const parsed = readMimeMessage(raw);
    expect(withInlineImages(parsed.html!, parsed.inline ?? {})).toBe(
      '<img src="data:image/png;base64,iVBORw0KGgo="><img src="cid:constructor"><img src="cid:__proto__">',
    );
  });
});

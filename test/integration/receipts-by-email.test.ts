import { randomBytes } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { eventually, givenSignedInUser, graphql, type SignedInUser } from '../e2e/steps.ts';
import { BAKERY_RECEIPT, drawReceiptJpeg, GALLERY_RECEIPT, HARDWARE_RECEIPT } from '../support/drawn-receipts.ts';
import { givenReceiptStack, receiptPage, type ReceiptStack } from '../support/receipt-stack.ts';
import type { OutboxMessage } from '../../local/ses-outbox.ts';
import { sesReceiptEvent } from '../../local/smtp-inbound.ts';
import { inboundObjectKey, INBOUND_KEY_PREFIX } from '../../model/inbound-email.ts';

/**
 * Receipts by email, end to end on the local stack: a real SMTP client (nodemailer) sends to
 * the SMTP listener that stands in for SES receiving; the message is stored under inbound/ and
 * the same InboundEmailFn that SES invokes on AWS makes the receipts, the OCR function reads
 * them (a scripted page stands in for PaddleOCR), and every reply lands in the outbox.
 */
let receipts: ReceiptStack;
let ada: SignedInUser;
let bob: SignedInUser;
let transport: Transporter;
let s3: S3Client;

const RECEIPT =
  'id status source contentType fileName error email { from subject } extraction { merchant { value } } expense { merchant amount }';

const call = (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) =>
  graphql(receipts.stack.urls.graphql, query, variables, user.accessToken);

async function forwardingAddressOf(user: SignedInUser): Promise<string> {
  const answer = await call(user, 'mutation { rotateForwardingAddress { forwardingAddress } }');
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.rotateForwardingAddress.forwardingAddress;
}

async function receiptsOf(user: SignedInUser): Promise<any[]> {
  const answer = await call(user, `query { listReceipts(limit: 100) { items { ${RECEIPT} } } }`);
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.listReceipts.items;
}

async function outbox(): Promise<OutboxMessage[]> {
  return (await (await fetch(`${receipts.stack.urls.outbox}.json`)).json()) as OutboxMessage[];
}

async function outboxTo(address: string): Promise<OutboxMessage[]> {
  return (await outbox()).filter((m) => m.to.includes(address));
}

/** The stored messages SES's S3 action (here the SMTP listener) left under inbound/. */
async function inboundKeys(): Promise<string[]> {
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: receipts.stack.config.receiptsBucket, Prefix: INBOUND_KEY_PREFIX }),
  );
  return (listed.Contents ?? []).map((o) => o.Key!);
}

/** What SES's S3 action does: the message stored whole under inbound/<SES message id>. */
async function storeInbound(sesMessageId: string, raw: Buffer): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: receipts.stack.config.receiptsBucket,
      Key: inboundObjectKey(sesMessageId),
      Body: raw,
      ContentType: 'message/rfc822',
    }),
  );
}

async function repliesTo(address: string, count: number): Promise<OutboxMessage[]> {
  return eventually(
    () => outboxTo(address),
    (messages) => messages.length >= count,
    15_000,
  );
}

function send(message: SendMailOptions) {
  return transport.sendMail(message);
}

beforeAll(async () => {
  receipts = await givenReceiptStack('email', () => receiptPage('CORNER BAKERY', '05/03/2024', 'USD 12.40'));
  ada = await givenSignedInUser(receipts.stack, 'ada@example.com');
  bob = await givenSignedInUser(receipts.stack, 'bob@example.com');
  const { port } = new URL(receipts.stack.urls.smtp);
  transport = nodemailer.createTransport({ host: '127.0.0.1', port: Number(port), secure: false, ignoreTLS: true });
  s3 = new S3Client({
    endpoint: receipts.stack.urls.s3,
    region: receipts.stack.config.region,
    credentials: receipts.stack.config.credentials,
    forcePathStyle: true,
  });
});

afterAll(async () => {
  transport?.close();
  s3?.destroy();
  await receipts?.stop();
});

describe('receipts by email', () => {
  it('given a forwarding address, when its owner emails a photographed receipt, then it becomes a receipt like an upload, is processed, and the sender gets an accepted and a processed reply', async () => {
    const address = await forwardingAddressOf(ada);
    expect(address).toMatch(/^r-[0-9a-z]{26}@receipts\.expense-tracker\.local$/);
    const photo = await drawReceiptJpeg(BAKERY_RECEIPT);

    await send({
      from: 'Ada <ada@example.com>',
      to: address,
      subject: 'Fwd: bakery',
      text: 'Receipt attached.',
      attachments: [{ filename: 'bakery.jpg', content: photo, contentType: 'image/jpeg' }],
    });

    const [receipt] = await eventually(
      () => receiptsOf(ada),
      (list) => list.length === 1 && list[0].status === 'PROCESSED',
      15_000,
    );
    expect(receipt).toMatchObject({
      source: 'EMAIL',
      contentType: 'image/jpeg',
      fileName: 'bakery.jpg',
      email: { from: 'ada@example.com', subject: 'Fwd: bakery' },
      expense: { merchant: 'CORNER BAKERY', amount: 1240 },
    });
    const replies = await repliesTo('ada@example.com', 3); // the sign-up code, accepted, processed
    const [accepted, processed] = replies.slice(-2);
    expect(accepted.subject).toBe('Re: Fwd: bakery');
    expect(accepted.text).toContain(`"bakery.jpg": receipt ${receipt.id}, being read now`);
    expect(processed.text).toContain('"bakery.jpg" was read and recorded as an expense.');
    expect(processed.text).toContain('Merchant: CORNER BAKERY');
    // Its history: made by its owner's email, then read by OCR.
    const history = await call(
      ada,
      'query ($id: ID!) { history(itemId: $id, itemType: RECEIPT) { items { version action by path } } }',
      { id: receipt.id },
    );
    const adaId = (await call(ada, 'query { me { id } }')).body.data.me.id;
    expect(history.body.data.history.items).toEqual([
      { version: 1, action: 'CREATED', by: adaId, path: 'EMAIL' },
      { version: 2, action: 'UPDATED', by: 'system', path: 'OCR' },
    ]);
  });

  it('given an e-receipt in the body of a forwarded HTML email, when sent, then its text is the receipt, read without OCR', async () => {
    const address = await forwardingAddressOf(bob);
    const documentsBefore = receipts.documents.length;
    const html = `<div>fyi</div><div>---------- Forwarded message ---------<br>From: Blue Bottle Coffee &lt;receipts@bluebottle.example&gt;<br>Date: Sat, Mar 14, 2026<br>Subject: Your receipt<br>To: bob@example.com<br><br>
      <h2>Blue Bottle Coffee</h2><p>Order #4821 &middot; 14/03/2026</p>
      <table><tr><td>Latte</td><td>4.50</td></tr><tr><td>Almond croissant</td><td>3.75</td></tr>
      <tr><td>Subtotal</td><td>8.25</td></tr><tr><td>Tax</td><td>0.74</td></tr><tr><td><b>Total</b></td><td><b>$8.99</b></td></tr></table>
      <img src="cid:logo"></div>`;

    await send({
      from: 'bob@example.com',
      to: address,
      subject: 'Fwd: Your receipt',
      html,
      attachments: [{ filename: 'logo.png', cid: 'logo', content: Buffer.from('89504e470d0a1a0a', 'hex') }],
    });

    const [receipt] = await eventually(
      () => receiptsOf(bob),
      (list) => list.length === 1 && list[0].status === 'PROCESSED',
      15_000,
    );
    expect(receipt).toMatchObject({
      source: 'EMAIL',
      contentType: 'text/plain',
      fileName: null,
      extraction: { merchant: { value: 'Blue Bottle Coffee' } },
      expense: { merchant: 'Blue Bottle Coffee', amount: 899 },
    });
    expect(receipts.documents.length).toBe(documentsBefore);
    const [processed] = (await repliesTo('bob@example.com', 3)).slice(-1);
    expect(processed.text).toContain('Total:    $8.99');
  });

  it('given mail from an address that is not the owner’s, when sent, then no receipt is made and the sender is told why', async () => {
    const address = await forwardingAddressOf(ada);
    const before = (await receiptsOf(ada)).length;

    await send({
      from: 'mallory@example.net',
      to: address,
      subject: 'invoice',
      attachments: [{ filename: 'gallery.jpg', content: await drawReceiptJpeg(GALLERY_RECEIPT) }],
    });

    const [refused] = await repliesTo('mallory@example.net', 1);
    expect(refused.text).toContain('Your message was not accepted');
    expect(refused.text).toContain(
      'mallory@example.net is not one of the addresses this forwarding address takes mail from',
    );
    expect((await receiptsOf(ada)).length).toBe(before);
  });

  it('given a confirmed extra sender, when it forwards a receipt, then the receipt is made; before confirmation it was refused', async () => {
    const address = await forwardingAddressOf(bob);
    const added = await call(
      bob,
      'mutation { addForwardingSender(email: "Bob.Work@Example.org") { forwardingSenders { email confirmed } } }',
    );
    expect(added.body.data.addForwardingSender.forwardingSenders).toEqual([
      { email: 'bob.work@example.org', confirmed: false },
    ]);
    const [codeMail] = await repliesTo('bob.work@example.org', 1);
    const code = /\b(\d{6})\b/.exec(codeMail.subject)![1];
    const wrong = await call(
      bob,
      `mutation { confirmForwardingSender(email: "bob.work@example.org", code: "${code === '000000' ? '111111' : '000000'}") { id } }`,
    );
    expect(wrong.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError' });

    const photo = await drawReceiptJpeg(HARDWARE_RECEIPT);
    await send({
      from: 'bob.work@example.org',
      to: address,
      subject: 'hw',
      attachments: [{ filename: 'hw.jpg', content: photo }],
    });
    await repliesTo('bob.work@example.org', 2);
    expect((await outboxTo('bob.work@example.org')).at(-1)!.text).toContain('is not one of the addresses');

    const confirmed = await call(
      bob,
      `mutation { confirmForwardingSender(email: "bob.work@example.org", code: "${code}") { forwardingSenders { email confirmed } } }`,
    );
    expect(confirmed.body.data.confirmForwardingSender.forwardingSenders).toEqual([
      { email: 'bob.work@example.org', confirmed: true },
    ]);
    const before = (await receiptsOf(bob)).length;
    await send({
      from: 'bob.work@example.org',
      to: address,
      subject: 'hw again',
      attachments: [{ filename: 'hw.jpg', content: photo }],
    });
    const list = await eventually(
      () => receiptsOf(bob),
      (items) => items.length === before + 1,
      15_000,
    );
    expect(list.find((r) => r.fileName === 'hw.jpg')).toMatchObject({ email: { from: 'bob.work@example.org' } });
  });

  it('given the same message delivered twice (same Message-ID), or the same file in a new message, when received, then there is still one receipt', async () => {
    const address = await forwardingAddressOf(ada);
    const photo = await drawReceiptJpeg({ lines: ['TWICE CAFE', 'DATE: 01/02/2024', 'TOTAL 3.20'] });
    const raw = await new MailComposer({
      from: 'ada@example.com',
      to: address,
      subject: 'twice',
      messageId: '<twice-1@example.com>',
      attachments: [{ filename: 'twice.jpg', content: photo }],
    })
      .compile()
      .build();
    const before = (await receiptsOf(ada)).length;
    const repliesBefore = (await outboxTo('ada@example.com')).length;

    await Promise.all([
      send({ envelope: { from: 'ada@example.com', to: [address] }, raw }),
      send({ envelope: { from: 'ada@example.com', to: [address] }, raw }),
    ]);
    await receipts.stack.lambda.drain();
    await send({
      from: 'ada@example.com',
      to: address,
      subject: 'again',
      attachments: [{ filename: 'again.jpg', content: photo }],
    });
    await receipts.stack.lambda.drain();

    const list = await receiptsOf(ada);
    expect(list.length).toBe(before + 1);
    const replies = (await repliesTo('ada@example.com', repliesBefore + 3)).slice(repliesBefore);
    const again = replies.find((m) => m.subject === 'Re: again')!;
    expect(again.text).toContain('you already have this receipt');
    expect(replies.filter((m) => m.subject === 'Re: twice' && m.text?.includes('accepted'))).toHaveLength(1);
  });

  it('given oversized, spam-flagged and malformed messages, when sent, then the listener refuses them with SMTP codes and nothing is stored', async () => {
    const address = await forwardingAddressOf(ada);
    const before = (await receiptsOf(ada)).length;
    const huge = Buffer.alloc(26 * 1024 * 1024, 1);

    await expect(
      send({ from: 'ada@example.com', to: address, attachments: [{ filename: 'huge.bin', content: huge }] }),
    ).rejects.toMatchObject({ responseCode: 552 });
    await expect(
      send({ from: 'ada@example.com', to: address, subject: 'win', text: 'x', headers: { 'X-Spam-Flag': 'YES' } }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      send({ envelope: { from: 'ada@example.com', to: [address] }, raw: 'Subject: no sender\r\n\r\nTOTAL 1.00\r\n' }),
    ).rejects.toMatchObject({ responseCode: 554 });
    await expect(send({ from: 'ada@example.com', to: 'someone@elsewhere.example', text: 'hi' })).rejects.toMatchObject({
      responseCode: 550,
    });

    await receipts.stack.lambda.drain();
    expect((await receiptsOf(ada)).length).toBe(before);
  });

  it('given a rotated address, when mail goes to the old one, then it is refused, and the new one works; another user’s address files nothing under this user', async () => {
    const old = await forwardingAddressOf(ada);
    const current = await forwardingAddressOf(ada);
    expect(current).not.toBe(old);
    const bobBefore = (await receiptsOf(bob)).length;
    const adaBefore = (await receiptsOf(ada)).length;

    await send({
      from: 'ada@example.com',
      to: old,
      subject: 'to the old address',
      attachments: [{ filename: 'old.jpg', content: await drawReceiptJpeg({ lines: ['OLD SHOP', 'TOTAL 2.00'] }) }],
    });
    const refused = await eventually(
      async () => (await outboxTo('ada@example.com')).filter((m) => m.subject === 'Re: to the old address'),
      (list) => list.length > 0,
      15_000,
    );
    expect(refused[0].text).toContain('this forwarding address is not in use');

    const revoked = await call(ada, 'mutation { revokeForwardingAddress { forwardingAddress } }');
    expect(revoked.body.data.revokeForwardingAddress.forwardingAddress).toBeNull();
    await receipts.stack.lambda.drain();
    expect((await receiptsOf(ada)).length).toBe(adaBefore);
    expect((await receiptsOf(bob)).length).toBe(bobBefore);
  });
  it('given every message so far taken in or refused, when handled, then none is kept under inbound/, and their events retried make nothing and send nothing again', async () => {
    await receipts.stack.lambda.drain();
    expect(await inboundKeys()).toEqual([]);
    const handled = receipts.invocations.filter((i) => i.functionName === 'InboundEmailFn' && !i.error);
    expect(handled.length).toBeGreaterThanOrEqual(8);
    const before = { ada: (await receiptsOf(ada)).length, bob: (await receiptsOf(bob)).length };
    const sent = (await outbox()).length;

    for (const { event } of handled)
      await expect(receipts.stack.lambda.invoke('InboundEmailFn', event)).resolves.toEqual({ handled: 1 });
    await receipts.stack.lambda.drain();

    expect({ ada: (await receiptsOf(ada)).length, bob: (await receiptsOf(bob)).length }).toEqual(before);
    expect((await outbox()).length).toBe(sent);
  });

  it('given a message taken in whose delete did not happen, when SES retries its event, then the stored message is deleted and its receipt and reply are not made twice', async () => {
    const address = await forwardingAddressOf(ada);
    const raw = await new MailComposer({
      from: 'ada@example.com',
      to: address,
      subject: 'retried',
      messageId: '<retried-1@example.com>',
      attachments: [
        { filename: 'retried.jpg', content: await drawReceiptJpeg({ lines: ['RETRY DELI', 'TOTAL 6.10'] }) },
      ],
    })
      .compile()
      .build();
    const sesMessageId = randomBytes(20).toString('hex');
    const event = sesReceiptEvent({
      messageId: sesMessageId,
      timestamp: new Date(),
      source: 'ada@example.com',
      recipients: [address],
      headers: [],
      commonHeaders: {
        returnPath: 'ada@example.com',
        date: new Date().toUTCString(),
        from: ['ada@example.com'],
        to: [address],
        messageId: '<retried-1@example.com>',
        subject: 'retried',
      },
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:InboundEmailFn',
    });
    const before = (await receiptsOf(ada)).length;

    await storeInbound(sesMessageId, raw);
    await receipts.stack.lambda.invoke('InboundEmailFn', event);
    expect(await inboundKeys()).toEqual([]);
    // As if the first run's delete had failed: the message is still there when the event comes again.
    await storeInbound(sesMessageId, raw);
    await receipts.stack.lambda.invoke('InboundEmailFn', event);
    expect(await inboundKeys()).toEqual([]);
    // And again once it is gone.
    await expect(receipts.stack.lambda.invoke('InboundEmailFn', event)).resolves.toEqual({ handled: 1 });
    await receipts.stack.lambda.drain();

    const list = await receiptsOf(ada);
    expect(list.length).toBe(before + 1);
    expect(list.filter((r) => r.fileName === 'retried.jpg')).toHaveLength(1);
    const replies = (await outboxTo('ada@example.com')).filter((m) => m.subject === 'Re: retried');
    expect(replies.filter((m) => m.text?.includes('being read now'))).toHaveLength(1);
  });
});

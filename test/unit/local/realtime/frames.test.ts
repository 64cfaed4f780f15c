import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { sendTextParts, textFrame } from '../../../../local/realtime/frames.ts';

// ws's own frame parser, as its clients run it (its type declarations leave it out).
const { Receiver } = createRequire(import.meta.url)('ws') as {
  Receiver: new (options: { isServer: boolean }) => Writable;
};

/** What a WebSocket client reads from the bytes: the messages, text or binary. */
function received(bytes: Buffer): Promise<Array<{ text: string; isBinary: boolean }>> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    const messages: Array<{ text: string; isBinary: boolean }> = [];
    receiver.on('message', (data: Buffer, isBinary: boolean) => messages.push({ text: data.toString(), isBinary }));
    receiver.on('error', reject);
    receiver.write(bytes, () => resolve(messages));
  });
}

describe('textFrame', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 240 * 1024])(
    'given parts of %i bytes in all, then a client reads one text message, the parts back to back',
    async (length) => {
      const body = 'é'.repeat(Math.floor(length / 2)) + 'x'.repeat(length % 2);
      const parts = [Buffer.from('{"id":"s1"'), Buffer.from(body), Buffer.from('}')];
      const { frame } = textFrame(parts);
      expect(await received(frame)).toEqual([{ text: `{"id":"s1"${body}}`, isBinary: false }]);
    },
  );
});

describe('sendTextParts', () => {
  const fakeSocket = (senderQueue: unknown[]) => {
    const written: Buffer[] = [];
    const sent: Array<{ data: Buffer; binary: boolean }> = [];
    const socket = {
      OPEN: 1,
      readyState: 1,
      _socket: { write: (frame: Buffer) => written.push(frame) },
      _sender: { _state: 0, _queue: senderQueue },
      send: (data: Buffer, options: { binary: boolean }) => sent.push({ data, binary: options.binary }),
    };
    return { socket: socket as unknown as WebSocket, written, sent };
  };

  it('given an idle connection, then the message goes out as one frame in one write', async () => {
    const { socket, written, sent } = fakeSocket([]);
    sendTextParts(socket, [Buffer.from('{"a":'), Buffer.from('1}')]);
    expect(sent).toEqual([]);
    expect(written).toHaveLength(1);
    expect(await received(written[0])).toEqual([{ text: '{"a":1}', isBinary: false }]);
  });

  it('given frames ws holds back, then the message queues behind them as text (order kept)', () => {
    const { socket, written, sent } = fakeSocket([['queued frame']]);
    sendTextParts(socket, [Buffer.from('{"a":'), Buffer.from('1}')]);
    expect(written).toEqual([]);
    expect(sent.map(({ data, binary }) => ({ text: data.toString(), binary }))).toEqual([
      { text: '{"a":1}', binary: false },
    ]);
  });
});

import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/** What ws keeps of a server socket that a prebuilt frame needs: the TLS/TCP stream and its sender's queue. */
interface WsInternals {
  _socket?: Duplex;
  _sender?: { _state?: number; _queue?: unknown[] };
}

/**
 * One text message (RFC 6455 frame: FIN, opcode 1, unmasked as a server's are) whose payload is
 * `parts` back to back, e.g. a subscription's own `{"id":…,"type":"data","payload":{"data":`,
 * the event's JSON shared by every subscriber with the same selection, and `}}`.
 */
export function textFrame(parts: Buffer[]): { frame: Buffer; headerLength: number } {
  let length = 0;
  for (const part of parts) length += part.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (headerLength === 2) frame[1] = length;
  else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  let offset = headerLength;
  for (const part of parts) offset += part.copy(frame, offset);
  return { frame, headerLength };
}

/**
 * Sends a text message as one prebuilt frame, in one write on the socket: what `socket.send`
 * does for an uncompressed message (the server negotiates no permessage-deflate) without its
 * per-message header buffer, cork and two-buffer write, which cost as much as the frame's
 * encryption when an event fans out to thousands of sockets. While ws holds frames of its own
 * back (its sender busy or queued, which it never is without compression), the message goes
 * through `socket.send` behind them, so a connection's messages keep their order.
 */
export function sendTextParts(socket: WebSocket, parts: Buffer[]): void {
  if (socket.readyState !== socket.OPEN) return;
  const { _socket: stream, _sender: sender } = socket as unknown as WsInternals;
  const { frame, headerLength } = textFrame(parts);
  if (stream && sender?._state === 0 && sender._queue?.length === 0) stream.write(frame);
  else socket.send(frame.subarray(headerLength), { binary: false });
}

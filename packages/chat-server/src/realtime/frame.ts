/**
 * A push encoded once per publication and shared by every local reader: the JSON line, and the
 * complete WebSocket text frame (header + line) in one buffer, so that a reader with nothing else
 * queued gets it with one `socket.write` of the same bytes, without ws framing it again for each
 * connection (a header allocation, a cork/writev of two chunks).
 */
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'

export class SharedFrame {
  /** The push line (what a coalesced frame concatenates). */
  readonly line: Buffer
  /** The server-to-client text frame carrying `line` alone (unmasked, FIN). */
  readonly wire: Buffer

  constructor(text: string) {
    const size = Buffer.byteLength(text)
    const head = size < 126 ? 2 : size < 65536 ? 4 : 10
    const wire = Buffer.allocUnsafe(head + size)
    wire[0] = 0x81
    if (head === 2) wire[1] = size
    else if (head === 4) {
      wire[1] = 126
      wire.writeUInt16BE(size, 2)
    } else {
      wire[1] = 127
      wire.writeBigUInt64BE(BigInt(size), 2)
    }
    wire.write(text, head, 'utf8')
    this.wire = wire
    this.line = wire.subarray(head)
  }
}

/** The parts of ws 8 internals the fast path relies on; absent or different, ws.send is used. */
interface WsInternals {
  _socket?: Socket | null
  _sender?: { _state?: number; _firstFragment?: boolean } | null
  _extensions?: Record<string, unknown>
}

/**
 * Writes a prebuilt frame straight to the connection's TCP socket when ws would write it
 * unchanged right now: open, no extension negotiated (no compression), the sender idle (not
 * compressing or reading a blob, so nothing queued that this could overtake) and not in the
 * middle of a fragmented message. Otherwise hands the line to ws.send.
 */
export function writeShared(ws: WebSocket, frame: SharedFrame): void {
  const { _socket: socket, _sender: sender, _extensions: extensions } = ws as unknown as WsInternals
  if (
    socket &&
    sender &&
    sender._state === 0 &&
    sender._firstFragment === true &&
    extensions !== undefined &&
    extensions['permessage-deflate'] === undefined &&
    socket.writable
  ) {
    socket.write(frame.wire)
    return
  }
  ws.send(frame.line, { binary: false })
}

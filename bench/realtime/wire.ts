/**
 * A minimal WebSocket client on a raw TCP socket, for the load-generating side of the fan-out
 * benchmark. Every server under test (raw ws, socket.io, our gateway) is read by this same code,
 * so the client-side cost per delivery is alike: no per-frame string, no JSON parse, no event
 * emitter per message; a frame is a (buffer, start, end) range scanned for the timestamp marker.
 */
import { connect, type Socket } from 'node:net'

export type FrameHandler = (socket: Socket, op: number, buf: Buffer, start: number, end: number) => void

const HEAD_END = Buffer.from('\r\n\r\n')

/** Opens a WebSocket over TCP and resolves once the server answers 101. */
export function openWire(url: string, onFrame: FrameHandler): Promise<Socket> {
  const { hostname, port, pathname, search } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), noDelay: true })
    let rest: Buffer | null = null
    let upgraded = false
    socket.on('error', reject)
    socket.on('connect', () => {
      socket.write(
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
          'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      )
    })
    socket.on('data', (chunk: Buffer) => {
      let buf = rest ? Buffer.concat([rest, chunk]) : chunk
      rest = null
      if (!upgraded) {
        const end = buf.indexOf(HEAD_END)
        if (end < 0) {
          rest = buf
          return
        }
        if (!buf.subarray(0, 13).toString('latin1').startsWith('HTTP/1.1 101')) {
          reject(new Error(`upgrade refused: ${buf.subarray(0, end).toString('latin1')}`))
          socket.destroy()
          return
        }
        upgraded = true
        resolve(socket)
        buf = buf.subarray(end + 4)
      }
      // Server frames are unmasked; none of the servers fragment these small messages.
      let off = 0
      const len = buf.length
      while (len - off >= 2) {
        const b1 = (buf[off + 1] as number) & 0x7f
        let head = 2
        let size = b1
        if (b1 === 126) {
          if (len - off < 4) break
          size = buf.readUInt16BE(off + 2)
          head = 4
        } else if (b1 === 127) {
          if (len - off < 10) break
          size = Number(buf.readBigUInt64BE(off + 2))
          head = 10
        }
        if (len - off < head + size) break
        const op = (buf[off] as number) & 0x0f
        const start = off + head
        off = start + size
        if (op === 9) sendFrame(socket, buf.subarray(start, off), 0x0a)
        else onFrame(socket, op, buf, start, off)
      }
      if (off < len) rest = buf.subarray(off)
    })
  })
}

/** Client frames must be masked; a zero mask leaves the payload bytes as they are. */
export function sendFrame(socket: Socket, payload: string | Buffer, op = 0x01): void {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload
  const size = data.length
  const head = size < 126 ? 6 : 8
  const frame = Buffer.alloc(head + size)
  frame[0] = 0x80 | op
  if (size < 126) frame[1] = 0x80 | size
  else {
    frame[1] = 0x80 | 126
    frame.writeUInt16BE(size, 2)
  }
  data.copy(frame, head)
  socket.write(frame)
}

const MARKER = Buffer.from('"t":')

/**
 * Calls `onStamp` for every `"t":<integer µs>` in buf[start, end): one per delivered message
 * (a coalesced gateway frame carries several). Reads the digits in place.
 */
export function scanStamps(buf: Buffer, start: number, end: number, onStamp: (t: number) => void): number {
  let found = 0
  let pos = buf.indexOf(MARKER, start)
  while (pos >= 0 && pos < end) {
    let v = 0
    let i = pos + 4
    for (; i < end; i++) {
      const c = buf[i] as number
      if (c < 48 || c > 57) break
      v = v * 10 + (c - 48)
    }
    onStamp(v)
    found++
    pos = buf.indexOf(MARKER, i)
  }
  return found
}

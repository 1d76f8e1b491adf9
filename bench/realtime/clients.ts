/**
 * The load-generating clients, in their own process pinned to the other core. IPC commands:
 * {connect: {kind, urls, n, token}} opens n connections spread over urls, subscribed/joined, and
 * answers {ready}; {reset: {latency, since}} clears counters (latency: also record every
 * delivery's latency; since: ignore messages published before that time, ms); {count} answers deliveries, the time of the last one and this process's CPU time;
 * {stats} answers latency percentiles.
 *
 * Every protocol is read by the same minimal framing code (wire.ts): the handshake each protocol
 * needs, then a scan for the publish timestamp. What differs per server is only what the server
 * sends, so the client cost per delivery is alike.
 */
import type { Socket } from 'node:net'
import { openWire, scanStamps, sendFrame } from './wire.js'

const CHANNEL = 'chat:bench-app:room'
const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000)

let deliveries = 0
let lastAt = 0
let recordLatency = false
let latencies = new Float64Array(1 << 22)
let recorded = 0
const sockets: Socket[] = []

/** Messages published before the last reset (a straggler of an earlier burst) are not counted. */
let since = 0

const onStamp = (t: number) => {
  if (t < since) return
  deliveries++
  lastAt = nowMicros()
  if (recordLatency && recorded < latencies.length) latencies[recorded++] = (lastAt - t) / 1000
}

function count(buf: Buffer, start: number, end: number): void {
  scanStamps(buf, start, end, onStamp)
}

/** The gateway's ping is an empty command line `{}`, alone or inside a coalesced frame. */
function hasGatewayPing(buf: Buffer, start: number, end: number): boolean {
  let p = buf.indexOf('{}', start)
  while (p >= 0 && p < end) {
    const lineStart = p === start || buf[p - 1] === 10
    const lineEnd = p + 2 === end || buf[p + 2] === 10
    if (lineStart && lineEnd) return true
    p = buf.indexOf('{}', p + 2)
  }
  return false
}

function target(kind: string, url: string): string {
  const base = url.replace('http', 'ws')
  if (kind.startsWith('socketio')) return `${base}/socket.io/?EIO=4&transport=websocket`
  if (kind.startsWith('gateway')) return `${base}/connection/websocket`
  return `${base}/`
}

function open(kind: string, url: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let ready = kind === 'ws'
    const onFrame = (socket: Socket, _op: number, buf: Buffer, start: number, end: number) => {
      if (ready && kind === 'ws') return count(buf, start, end)
      const first = buf[start]
      if (kind.startsWith('socketio')) {
        // engine.io: 0 = open, 2 = ping, 40 = namespace connected, 42 = event
        if (first === 0x34 && buf[start + 1] === 0x32) return count(buf, start, end)
        if (first === 0x32 && end - start === 1) return sendFrame(socket, '3')
        if (first === 0x30) return sendFrame(socket, '40')
        if (first === 0x34 && buf[start + 1] === 0x30) {
          ready = true
          resolve()
        }
        return
      }
      if (ready) {
        count(buf, start, end)
        if (hasGatewayPing(buf, start, end)) sendFrame(socket, '{}')
        return
      }
      const text = buf.toString('utf8', start, end)
      for (const line of text.split('\n')) {
        if (!line.startsWith('{"id":2')) continue
        if (line.includes('"error"')) reject(new Error(line))
        else {
          ready = true
          resolve()
        }
      }
    }
    openWire(target(kind, url), onFrame).then((s) => {
      sockets.push(s)
      if (kind === 'ws') resolve()
      else if (kind.startsWith('gateway')) {
        sendFrame(s, `{"id":1,"connect":{"token":"${token}"}}\n{"id":2,"subscribe":{"channel":"${CHANNEL}"}}`)
      }
    }, reject)
  })
}

process.on(
  'message',
  async (msg: {
    connect?: { kind: string; urls: string[]; n: number; token: string }
    reset?: { latency: boolean; since: number }
    stats?: true
    count?: true
  }) => {
    if (msg.connect) {
      const { kind, urls, n, token } = msg.connect
      const batch = 200
      for (let i = 0; i < n; i += batch) {
        const round = []
        for (let j = i; j < Math.min(n, i + batch); j++)
          round.push(open(kind, urls[j % urls.length] as string, token))
        await Promise.all(round)
      }
      process.send?.({ ready: sockets.length })
    } else if (msg.count) {
      const u = process.cpuUsage()
      process.send?.({ count: deliveries, lastAt: lastAt / 1000, cpu: u.user + u.system })
    } else if (msg.reset) {
      deliveries = 0
      lastAt = 0
      recorded = 0
      recordLatency = msg.reset.latency
      since = Math.round(msg.reset.since * 1000)
      if (recordLatency && latencies.length === 0) latencies = new Float64Array(1 << 22)
      process.send?.({ reset: true })
    } else if (msg.stats) {
      const sorted = latencies.subarray(0, recorded).slice().sort()
      const pct = (p: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
      process.send?.({
        stats: { samples: recorded, p50: pct(50), p99: pct(99), max: sorted[sorted.length - 1] ?? 0 },
      })
    }
  },
)
process.on('disconnect', () => process.exit(0))

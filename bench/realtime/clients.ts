/**
 * The load-generating clients, in their own process on the other core. IPC commands:
 * {connect: {kind, urls, n, token}} opens n connections spread over urls, subscribed/joined, and
 * answers {ready}; {reset} clears counters; {stats} answers deliveries and latency percentiles.
 * Each protocol is spoken over plain `ws` so client cost per delivery is the same for every server.
 */
import { WebSocket } from 'ws'

const CHANNEL = 'chat:bench-app:room'
let deliveries = 0
let latencies: number[] = []
const sockets: WebSocket[] = []
const now = () => performance.timeOrigin + performance.now()
const T = /t\\?":([0-9.]+)/

function record(text: string): void {
  const m = T.exec(text)
  if (!m) return
  deliveries++
  latencies.push(now() - Number(m[1]))
}

function open(kind: string, url: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const sio = kind.startsWith('socketio')
    const target = sio
      ? `${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`
      : kind.startsWith('gateway')
        ? `${url.replace('http', 'ws')}/connection/websocket`
        : url.replace('http', 'ws')
    const ws = new WebSocket(target, { perMessageDeflate: false })
    sockets.push(ws)
    ws.on('error', reject)
    ws.on('open', () => {
      if (kind === 'ws') resolve()
      else if (kind.startsWith('gateway')) {
        ws.send(`{"id":1,"connect":{"token":"${token}"}}\n{"id":2,"subscribe":{"channel":"${CHANNEL}"}}`)
      }
    })
    ws.on('message', (data) => {
      const text = data.toString()
      if (kind === 'ws') return record(text)
      if (sio) {
        // engine.io: 0 = open, 2 = ping, 40 = namespace connected, 42 = event
        if (text.startsWith('42')) return record(text)
        if (text === '2') return ws.send('3')
        if (text.startsWith('0')) return ws.send('40')
        if (text.startsWith('40')) return resolve()
        return
      }
      for (const line of text.split('\n')) {
        if (line.startsWith('{"push"')) record(line)
        else if (line === '{}') ws.send('{}')
        else if (line.startsWith('{"id":2')) {
          if (line.includes('"error"')) reject(new Error(line))
          else resolve()
        }
      }
    })
  })
}

process.on(
  'message',
  async (msg: {
    connect?: { kind: string; urls: string[]; n: number; token: string }
    reset?: true
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
      process.send?.({ count: deliveries })
    } else if (msg.reset) {
      deliveries = 0
      latencies = []
      process.send?.({ reset: true })
    } else if (msg.stats) {
      const sorted = Float64Array.from(latencies).sort()
      const pct = (p: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
      process.send?.({ deliveries, p50: pct(50), p99: pct(99) })
    }
  },
)
process.on('disconnect', () => process.exit(0))

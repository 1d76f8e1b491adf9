/**
 * Holds N realtime connections on the ChatSDK gateway for the whole run, speaking the Centrifugo
 * JSON protocol as the `centrifuge` client does (connect with a connection token, subscribe to a
 * chat channel, answer pings). Reports connect+subscribe latency, deliveries and unexpected closes.
 */
import WebSocket from 'ws'
import { type LatencySummary, summarize } from './percentiles.js'

export interface WsTarget {
  url: string
  /** Connection token and channel for the i-th connection. */
  connection: (i: number) => { token: string; channel: string }
}

export interface WsReport {
  connections: number
  connected: number
  failed: number
  /** From opening the socket to the subscribe reply. */
  connectSubscribe: LatencySummary
  publicationsReceived: number
  /** Subscriptions the server ended with an unsubscribe push and the client renewed. */
  resubscribes: number
  unexpectedCloses: number
}

export interface WsFleet {
  report(): WsReport
  /** performance.now() of the latest publication any connection received (0 before the first). */
  lastPublicationAt(): number
  close(): Promise<void>
}

export async function openWsFleet(
  target: WsTarget,
  count: number,
  concurrency = 50,
  onProgress?: (opened: number) => void,
): Promise<WsFleet> {
  const sockets: WebSocket[] = []
  const latencies: number[] = []
  let failed = 0
  let publications = 0
  let resubscribes = 0
  let lastPublicationAt = 0
  let unexpectedCloses = 0
  let closing = false

  const openOne = (i: number) =>
    new Promise<void>((resolve) => {
      const { token, channel } = target.connection(i)
      const started = performance.now()
      const socket = new WebSocket(target.url)
      let settled = false
      const settle = (ok: boolean) => {
        if (settled) return
        settled = true
        if (ok) latencies.push(performance.now() - started)
        else failed++
        resolve()
      }
      socket.on('open', () => {
        socket.send(
          `${JSON.stringify({ id: 1, connect: { token, name: 'load' } })}\n${JSON.stringify({ id: 2, subscribe: { channel } })}`,
        )
      })
      socket.on('message', (data) => {
        for (const line of data.toString().split('\n')) {
          if (line === '') continue
          if (line === '{}') {
            socket.send('{}') // pong
            continue
          }
          const frame = JSON.parse(line) as {
            id?: number
            error?: unknown
            push?: { pub?: unknown; unsubscribe?: unknown }
          }
          if (frame.error) settle(false)
          else if (frame.id === 2) settle(true)
          else if (frame.push?.unsubscribe) {
            // the server lost this stream's position (e.g. its history store restarted): subscribe
            // again, as the centrifuge client does on an unsubscribe push with a resubscribe code
            resubscribes++
            socket.send(JSON.stringify({ id: 3, subscribe: { channel } }))
          } else if (frame.push?.pub) {
            publications++
            lastPublicationAt = performance.now()
          }
        }
      })
      socket.on('error', () => settle(false))
      socket.on('close', () => {
        settle(false)
        if (!closing) unexpectedCloses++
      })
      sockets.push(socket)
    })

  for (let next = 0; next < count; next += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - next) }, (_, k) => openOne(next + k))
    await Promise.all(batch)
    onProgress?.(Math.min(count, next + concurrency))
  }

  return {
    lastPublicationAt: () => lastPublicationAt,
    report: () => ({
      connections: count,
      connected: latencies.length,
      failed,
      connectSubscribe: summarize(latencies, failed),
      publicationsReceived: publications,
      resubscribes,
      unexpectedCloses,
    }),
    close: async () => {
      closing = true
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === WebSocket.CLOSED) return resolve()
              socket.once('close', () => resolve())
              socket.close(1000)
            }),
        ),
      )
    },
  }
}

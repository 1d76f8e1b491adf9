/**
 * One benchmark server process (pinned to its own core by the runner). argv: kind, [redis prefix].
 * kinds: ws (raw broadcast), socketio, socketio-redis, gateway, gateway-redis.
 *
 * The load is generated here, in process, so every system is driven the same way and no IPC
 * batching decides how many messages arrive in one event-loop turn:
 * - {burst: n}: n messages, one per macrotask (setImmediate), each after the publishing node
 *   handed the previous one to its sockets. The publishing node cannot coalesce several messages
 *   into one write, so this measures the per-message fan-out path (a second node fed over Redis
 *   can still receive several in one read). Answers {burstSent: {t0, t1}} (ms).
 * - {paced: {rate, count}}: count messages evenly spaced at rate/s. Answers {pacedSent}.
 * - {cpu}, {mem}: process CPU time (µs) and, after a GC, memory.
 * Each message is `{"t":<publish time, integer µs>,"pad":"xx…"}`, 100 bytes of JSON.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGateway, createJwtVerifier, MemoryBroker, RedisBroker } from '@chatsdk/server/realtime/index'
import { createAdapter } from '@socket.io/redis-adapter'
import { Redis } from 'ioredis'
import { Server as SocketIoServer } from 'socket.io'
import { WebSocketServer } from 'ws'

export const BENCH_SECRET = 'bench-secret-0123456789abcdef0123'
export const BENCH_CHANNEL = 'chat:bench-app:room'

const [kind = 'ws', prefix = 'bench:'] = process.argv.slice(2)
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const http = createServer()
const nowMs = () => performance.timeOrigin + performance.now()
let publish: (message: { t: number; pad: string }) => void
/** Set during a burst of a gateway kind: its local fan-out happens when the broker delivers. */
let afterLocalDelivery: (() => void) | null = null

if (kind === 'ws') {
  // The ws README's broadcast: encode once, send the same buffer to every client.
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false })
  publish = (message) => {
    const data = Buffer.from(JSON.stringify(message))
    for (const client of wss.clients) client.send(data, { binary: false })
  }
} else if (kind === 'socketio' || kind === 'socketio-redis') {
  const io = new SocketIoServer(http, {
    transports: ['websocket'],
    perMessageDeflate: false,
    httpCompression: false,
  })
  if (kind === 'socketio-redis') {
    const pub = new Redis(redisUrl)
    io.adapter(createAdapter(pub, pub.duplicate(), { key: `${prefix}sio` }))
  }
  io.on('connection', (socket) => socket.join('room'))
  publish = (message) => {
    io.to('room').emit('m', message)
  }
} else {
  const broker =
    kind === 'gateway-redis'
      ? new RedisBroker({ url: redisUrl, prefix, history: { size: 1000, ttlSeconds: 600 } })
      : new MemoryBroker()
  // Tells the burst when this node has handed a publication to its sockets (see burst()).
  const setHandler = broker.setHandler.bind(broker)
  broker.setHandler = (handler) =>
    setHandler({
      ...handler,
      onDelivery(delivery) {
        handler.onDelivery(delivery)
        afterLocalDelivery?.()
      },
    })
  const gateway = createGateway({
    verifier: createJwtVerifier({ resolveSecret: async () => BENCH_SECRET }),
    authorizer: { canSubscribe: async () => true },
    broker,
    maxBufferedBytes: 64 * 1024 * 1024,
  })
  gateway.attach(http)
  publish = (message) => {
    // The in-process publish path the outbox relay uses; with Redis it goes through the Lua publish.
    gateway.publisher.publish({ channel: BENCH_CHANNEL, data: message }).catch(() => {})
  }
}

const PAD = 'x'.repeat(100 - JSON.stringify({ t: Math.round(nowMs() * 1000), pad: '' }).length)
const message = () => ({ t: Math.round(nowMs() * 1000), pad: PAD })

/**
 * The next message goes out in a later macrotask, once the publishing node has handed this one
 * to its sockets: synchronously in the emit/send call for ws and socket.io (with or without the
 * Redis adapter), when the broker delivers it for the gateway (at once with the memory broker,
 * after the Redis round trip with Redis). The gateway's per-turn flush (a setImmediate queued
 * during the delivery) runs before the next step, so one message is written per turn.
 */
function burst(n: number): void {
  const t0 = nowMs()
  let sent = 0
  const gatewayKind = kind.startsWith('gateway')
  const next = () => {
    if (sent < n) setImmediate(step)
    else {
      afterLocalDelivery = null
      process.send?.({ burstSent: { t0, t1: nowMs() } })
    }
  }
  const step = () => {
    sent++
    publish(message())
    if (!gatewayKind) next()
  }
  if (gatewayKind) afterLocalDelivery = next
  step()
}

function paced(rate: number, count: number): void {
  const start = nowMs()
  let sent = 0
  const fire = () => {
    publish(message())
    if (++sent >= count) {
      process.send?.({ pacedSent: sent })
      return
    }
    const wait = start + (sent * 1000) / rate - nowMs()
    if (wait >= 1) setTimeout(fire, wait)
    else setImmediate(fire)
  }
  fire()
}

http.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (http.address() as AddressInfo).port })
})

process.on(
  'message',
  (msg: { burst?: number; paced?: { rate: number; count: number }; cpu?: true; mem?: true }) => {
    if (msg.burst !== undefined) burst(msg.burst)
    else if (msg.paced) paced(msg.paced.rate, msg.paced.count)
    else if (msg.cpu) {
      const u = process.cpuUsage()
      process.send?.({ cpu: u.user + u.system })
    } else if (msg.mem) {
      ;(globalThis as { gc?: () => void }).gc?.()
      process.send?.({ mem: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed })
    }
  },
)
process.on('disconnect', () => process.exit(0))

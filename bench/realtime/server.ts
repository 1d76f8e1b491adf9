/**
 * One benchmark server process (pinned to its own core by the runner). argv: kind, [redis prefix].
 * kinds: ws (raw broadcast), socketio, socketio-redis, gateway, gateway-redis.
 *
 * The load is generated here, in process, so every system is driven the same way and no IPC
 * batching decides how many messages arrive in one event-loop turn:
 * - {burst: n}: n messages, one per macrotask (setImmediate), each after the previous one's
 *   fan-out was handed to the sockets. Nobody can coalesce several messages into one write,
 *   so this measures the per-message fan-out path. Answers {burstSent: {t0, t1}} (ms).
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
  const gateway = createGateway({
    verifier: createJwtVerifier({ resolveSecret: async () => BENCH_SECRET }),
    authorizer: { canSubscribe: async () => true },
    broker:
      kind === 'gateway-redis'
        ? new RedisBroker({ url: redisUrl, prefix, history: { size: 1000, ttlSeconds: 600 } })
        : new MemoryBroker(),
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

function burst(n: number): void {
  const t0 = nowMs()
  let sent = 0
  const step = () => {
    publish(message())
    if (++sent < n) setImmediate(step)
    else process.send?.({ burstSent: { t0, t1: nowMs() } })
  }
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

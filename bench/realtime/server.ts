/**
 * One benchmark server process (pinned to its own core by the runner). argv: kind, [redis prefix].
 * kinds: ws (raw broadcast), socketio, socketio-redis, gateway, gateway-redis.
 * The runner drives it over IPC: {pub: payload} publishes one message to the room/channel,
 * {cpu} and {mem} report process CPU time and (after a GC) memory.
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
let publish: (payload: string) => void

if (kind === 'ws') {
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false })
  publish = (payload) => {
    for (const client of wss.clients) client.send(payload)
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
  publish = (payload) => {
    io.to('room').emit('m', payload)
  }
} else {
  const gateway = createGateway({
    verifier: createJwtVerifier({ resolveSecret: async () => BENCH_SECRET }),
    authorizer: { canSubscribe: async () => true },
    broker:
      kind === 'gateway-redis'
        ? new RedisBroker({ url: redisUrl, prefix, history: { size: 1000, ttlSeconds: 600 } })
        : new MemoryBroker(),
    maxBufferedBytes: 16 * 1024 * 1024,
  })
  gateway.attach(http)
  publish = (payload) => {
    // The in-process publish path the outbox relay uses; with Redis it goes through the Lua publish.
    gateway.publisher.publish({ channel: BENCH_CHANNEL, data: JSON.parse(payload) }).catch(() => {})
  }
}

http.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (http.address() as AddressInfo).port })
})

process.on('message', (msg: { pub?: string; cpu?: true; mem?: true }) => {
  if (msg.pub !== undefined) publish(msg.pub)
  else if (msg.cpu) {
    const u = process.cpuUsage()
    process.send?.({ cpu: u.user + u.system })
  } else if (msg.mem) {
    ;(globalThis as { gc?: () => void }).gc?.()
    process.send?.({ mem: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed })
  }
})
process.on('disconnect', () => process.exit(0))

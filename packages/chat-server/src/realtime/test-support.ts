/**
 * Helpers for the realtime tests: a gateway on a random port, locally signed tokens, the real
 * `centrifuge` client over `ws`, a membership fake for unit tests, and a TCP proxy that can cut
 * every connection for real (and stand in for a load balancer in front of several nodes).
 */
import { randomUUID } from 'node:crypto'
import net from 'node:net'
import { Centrifuge, type Options } from 'centrifuge'
import Fastify, { type FastifyInstance } from 'fastify'
import { SignJWT } from 'jose'
import { WebSocket } from 'ws'
import { type ChannelAuthorizer, createJwtVerifier, type TokenVerifier } from './auth.js'
import { RedisBroker } from './broker/redis.js'
import { type CreateGatewayOptions, createGateway, type Gateway } from './gateway.js'

export const TEST_SECRET = 'realtime-test-secret-0123456789abcdef'
export const TEST_API_KEY = 'test-api-key'

export const testVerifier = (): TokenVerifier => createJwtVerifier({ resolveSecret: async () => TEST_SECRET })

export async function signToken(claims: {
  appId: string
  userId: string
  expInSeconds?: number
  channel?: string
}): Promise<string> {
  const jwt = new SignJWT({ app: claims.appId, ...(claims.channel ? { channel: claims.channel } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId)
    .setIssuedAt()
  if (claims.expInSeconds !== undefined)
    jwt.setExpirationTime(Math.floor(Date.now() / 1000) + claims.expInSeconds)
  return jwt.sign(new TextEncoder().encode(TEST_SECRET))
}

/** Membership held in memory: `channel -> users`. Unit tests only; integration uses the API's. */
export class FakeMembership implements ChannelAuthorizer {
  private readonly members = new Map<string, Set<string>>()
  add(channel: string, ...users: string[]): this {
    const set = this.members.get(channel) ?? new Set()
    for (const u of users) set.add(u)
    this.members.set(channel, set)
    return this
  }
  async channelsOf(appId: string, userId: string): Promise<string[]> {
    return [...this.members]
      .filter(([ch, users]) => ch.startsWith(`chat:${appId}:`) && users.has(userId))
      .map(([ch]) => ch)
  }
  async canSubscribe(_appId: string, userId: string, channel: string): Promise<boolean> {
    return this.members.get(channel)?.has(userId) ?? false
  }
}

export interface TestGateway {
  gateway: Gateway
  app: FastifyInstance
  port: number
  url: string
  close(): Promise<void>
}

export async function startTestGateway(
  options: Partial<CreateGatewayOptions> & { authorizer: ChannelAuthorizer },
): Promise<TestGateway> {
  // With REDIS_URL the same scenarios run over the Redis broker, isolated by a key prefix.
  const broker =
    options.broker ??
    (process.env.REDIS_URL
      ? new RedisBroker({
          url: process.env.REDIS_URL,
          prefix: `test:${randomUUID()}:`,
          history: { size: options.historySize ?? 1000, ttlSeconds: options.historyTtlSeconds ?? 3600 },
        })
      : undefined)
  const gateway = createGateway({ verifier: testVerifier(), apiKey: TEST_API_KEY, ...options, broker })
  const app = Fastify()
  await app.register(gateway.serverApi)
  gateway.attach(app.server)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as net.AddressInfo).port
  return {
    gateway,
    app,
    port,
    url: `ws://127.0.0.1:${port}/connection/websocket`,
    async close() {
      await gateway.close()
      await app.close()
    },
  }
}

export function newClient(url: string, options: Partial<Options> = {}): Centrifuge {
  return new Centrifuge(url, {
    websocket: WebSocket,
    minReconnectDelay: 100,
    maxReconnectDelay: 500,
    ...options,
  })
}

export const newAppId = () => randomUUID()

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const start = Date.now()
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** A raw protocol client: what a broken or hostile peer can send. */
export class RawClient {
  readonly replies: Record<string, any>[] = []
  readonly closed: Promise<{ code: number; reason: string }>
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      for (const line of data.toString().split('\n')) if (line) this.replies.push(JSON.parse(line))
    })
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    )
  }

  static async open(url: string): Promise<RawClient> {
    const ws = new WebSocket(url)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    return new RawClient(ws)
  }

  /** Pushes (server-initiated lines) for a channel. */
  pushes(channel: string): Record<string, any>[] {
    return this.replies.filter((r) => r.push?.channel === channel).map((r) => r.push)
  }

  async call(cmd: Record<string, unknown>): Promise<Record<string, any>> {
    this.ws.send(JSON.stringify(cmd))
    const id = cmd.id
    for (let i = 0; i < 250; i++) {
      const found = this.replies.find((r) => r.id === id)
      if (found) return found
      await new Promise((r) => setTimeout(r, 20))
    }
    throw new Error(`no reply to ${JSON.stringify(cmd)}`)
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A TCP proxy in front of one or more backends. `cut(ms)` destroys every live connection and
 * refuses new ones for `ms`: a real network cut as the client sees it.
 */
export class TcpProxy {
  private readonly server: net.Server
  private readonly sockets = new Set<net.Socket>()
  private refuseUntil = 0
  port = 0

  constructor(private readonly backend: () => number) {
    this.server = net.createServer((client) => {
      if (Date.now() < this.refuseUntil) return void client.destroy()
      const upstream = net.connect(this.backend(), '127.0.0.1')
      this.sockets.add(client)
      this.sockets.add(upstream)
      const drop = () => {
        client.destroy()
        upstream.destroy()
        this.sockets.delete(client)
        this.sockets.delete(upstream)
      }
      client.on('error', drop).on('close', drop)
      upstream.on('error', drop).on('close', drop)
      client.pipe(upstream)
      upstream.pipe(client)
    })
  }

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r))
    this.port = (this.server.address() as net.AddressInfo).port
    return this
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/connection/websocket`
  }

  cut(ms: number): void {
    this.refuseUntil = Date.now() + ms
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((r) => this.server.close(() => r()))
  }
}

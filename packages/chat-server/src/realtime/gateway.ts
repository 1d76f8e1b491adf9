/**
 * The gateway node: accepts WebSocket upgrades at `/connection/websocket`, runs a Session per
 * connection, fans broker deliveries out through the Hub, serves the server API and owns the
 * ping timer. Several nodes share one Redis broker.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Registry } from 'prom-client'
import { WebSocketServer } from 'ws'
import type { ChannelAuthorizer, TokenVerifier } from './auth.js'
import { MemoryBroker } from './broker/memory.js'
import type { Broker, ControlMessage, Delivery } from './broker/types.js'
import { connectionUser, userChannel } from './channels.js'
import { Disconnects } from './codes.js'
import {
  DEFAULT_GATEWAY_OPTIONS,
  type GatewayContext,
  type GatewayLogger,
  type GatewayOptions,
} from './context.js'
import { Hub } from './hub.js'
import { createGatewayMetrics, type GatewayMetrics } from './metrics.js'
import {
  type OutboxRelay,
  type OutboxRelayOptions,
  type RealtimeEvent,
  startOutboxRelay,
} from './outbox-relay.js'
import { createBrokerPublisher, type Publisher } from './publisher.js'
import { serverApiPlugin } from './server-api.js'
import { Session } from './session.js'

export const WEBSOCKET_PATH = '/connection/websocket'

export interface CreateGatewayOptions extends Partial<GatewayOptions> {
  verifier: TokenVerifier
  authorizer: ChannelAuthorizer
  /** Defaults to a one-node memory broker. */
  broker?: Broker
  /** Key for the server HTTP API; without it `serverApi` refuses every call. */
  apiKey?: string
  registry?: Registry
  logger?: GatewayLogger
  nodeId?: string
  path?: string
  /**
   * The chat channels a user belongs to. When given (and presence is on), a user's first
   * connection anywhere publishes `presence.changed` online to them, the last one offline.
   */
  userChannels?: (appId: string, userId: string) => Promise<string[]>
  /**
   * The failed-authentication budget shared with the HTTP API: a connect with a wrong token spends
   * from the client address's budget, and an address past it is refused at the upgrade (429).
   */
  authFailures?: AuthFailureBudget
  /** The client address of an upgrade request (behind a proxy: from X-Forwarded-For). */
  clientIp?: (req: IncomingMessage) => string
}

export interface AuthFailureBudget {
  exhausted(ip: string): boolean
  record(ip: string, reason: string): void
}

export interface Gateway {
  readonly nodeId: string
  readonly broker: Broker
  readonly metrics: GatewayMetrics
  /** In-process Publisher driver (what the outbox relay uses when the gateway runs in the API). */
  readonly publisher: Publisher
  /** Fastify plugin serving the Centrifugo server HTTP API at `/api/<method>`. */
  readonly serverApi: (app: import('fastify').FastifyInstance) => Promise<void>
  attach(server: Server): void
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean
  connectionCount(): number
  startOutboxRelay(
    options: Omit<OutboxRelayOptions, 'publisher' | 'registry'> & { publisher?: Publisher },
  ): OutboxRelay
  close(): Promise<void>
}

const silentLogger: GatewayLogger = { info() {}, warn() {}, error() {} }

export function createGateway(options: CreateGatewayOptions): Gateway {
  const settings: GatewayOptions = { ...DEFAULT_GATEWAY_OPTIONS }
  for (const key of Object.keys(DEFAULT_GATEWAY_OPTIONS) as (keyof GatewayOptions)[]) {
    if (options[key] !== undefined) (settings as unknown as Record<string, unknown>)[key] = options[key]
  }
  const broker =
    options.broker ??
    new MemoryBroker({ history: { size: settings.historySize, ttlSeconds: settings.historyTtlSeconds } })
  const metrics = createGatewayMetrics(options.registry)
  const nodeId = options.nodeId ?? randomUUID()
  const path = options.path ?? WEBSOCKET_PATH
  const log = options.logger ?? silentLogger
  const sessions = new Set<Session>()
  /** Connections by `{appId}:{userId}`, the server API's user form: a user id alone is not unique. */
  const byUser = new Map<string, Set<Session>>()

  const userChannels = options.userChannels
  /** Online when this is the user's only connection in the cluster, offline when none is left. */
  const announce = async (session: Session, online: boolean): Promise<void> => {
    const { appId, userId } = session
    if (!userChannels || !settings.presence || appId === undefined || userId === undefined) return
    const own = userChannel(appId, userId)
    if (!online) await broker.removePresence(own, session.id)
    const { numClients } = await broker.presenceStats(own)
    if (numClients !== (online ? 1 : 0)) return
    // The same envelope as outbox events (id, createdAt, payload.at): clients drop publications
    // without an id, and order presence by `at`.
    const at = new Date().toISOString()
    const data: RealtimeEvent = {
      id: randomUUID(),
      type: 'presence.changed',
      payload: { userId, status: online ? 'online' : 'offline', at },
      createdAt: at,
    }
    for (const channel of await userChannels(appId, userId)) {
      await broker.publish(channel, data, { history: false })
    }
  }
  const announceSafely = (session: Session, online: boolean) => {
    announce(session, online).catch((err) => log.warn({ err }, 'presence announcement failed'))
  }

  const hub = new Hub(broker, {
    onFanout(delivered: number, publishedAt: number) {
      metrics.deliveries.inc(delivered)
      metrics.deliverLatency.observe(Math.max(0, Date.now() - publishedAt) / 1000)
    },
  })

  let dirty: Session[] = []
  const flushAll = () => {
    const sessions = dirty
    dirty = []
    for (const session of sessions) session.flush()
  }

  const ctx: GatewayContext = {
    scheduleFlush(session) {
      if (dirty.length === 0) setImmediate(flushAll)
      dirty.push(session)
    },
    options: settings,
    broker,
    hub,
    verifier: options.verifier,
    authorizer: options.authorizer,
    metrics,
    log,
    nodeId,
    version: 'chatsdk-gateway/1',
    onSessionConnected(session) {
      const key = connectionUser(session.appId as string, session.userId as string)
      const set = byUser.get(key) ?? new Set<Session>()
      byUser.set(key, set)
      set.add(session)
      announceSafely(session, true)
    },
    onAuthFailure(session) {
      options.authFailures?.record(session.ip, 'invalid_connection_token')
    },
    onSessionClosed(session) {
      if (sessions.delete(session)) metrics.connections.dec()
      if (session.userId === undefined || session.appId === undefined) return
      announceSafely(session, false)
      const key = connectionUser(session.appId, session.userId)
      const set = byUser.get(key)
      set?.delete(session)
      if (set?.size === 0) byUser.delete(key)
    },
  }

  broker.setHandler({
    onDelivery: (delivery: Delivery) => hub.deliver(delivery),
    onControl(message: ControlMessage) {
      for (const session of [...(byUser.get(message.user) ?? [])]) {
        if (message.client && message.client !== session.id) continue
        if (message.type === 'disconnect') session.disconnect({ code: message.code, reason: message.reason })
        else session.forceUnsubscribe(message.channel)
      }
    },
  })

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: settings.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  })

  const ticker = setInterval(() => {
    const now = Date.now()
    for (const session of sessions) session.tick(now)
  }, settings.pingIntervalMs)
  ticker.unref()

  const publisher = createBrokerPublisher(broker, settings.historySize)
  const relays: OutboxRelay[] = []

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const url = req.url ?? ''
    const q = url.indexOf('?')
    if ((q < 0 ? url : url.slice(0, q)) !== path) return false
    const ip = options.clientIp?.(req) ?? req.socket.remoteAddress ?? ''
    if (options.authFailures?.exhausted(ip)) {
      socket.end(
        'HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      )
      return true
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, ctx, ip)
      sessions.add(session)
      metrics.connections.inc()
    })
    return true
  }

  return {
    nodeId,
    broker,
    metrics,
    publisher,
    serverApi: serverApiPlugin({
      apiKey: options.apiKey ?? randomUUID(),
      publisher,
      info: () => ({ uid: nodeId, num_clients: sessions.size, num_channels: hub.channelCount() }),
    }),
    attach(server) {
      server.on('upgrade', (req, socket, head) => {
        if (!handleUpgrade(req, socket, head) && server.listenerCount('upgrade') === 1) socket.destroy()
      })
    },
    handleUpgrade,
    connectionCount: () => sessions.size,
    startOutboxRelay(relayOptions) {
      const relay = startOutboxRelay({ publisher, registry: metrics.registry, ...relayOptions })
      relays.push(relay)
      return relay
    },
    async close() {
      clearInterval(ticker)
      await Promise.all(relays.map((r) => r.stop()))
      for (const session of [...sessions]) session.disconnect(Disconnects.shutdown)
      wss.close()
      await broker.close()
    },
  }
}

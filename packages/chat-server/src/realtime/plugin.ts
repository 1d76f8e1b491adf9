/**
 * The API's realtime hook (`RealtimePlugin` in app.ts): builds the gateway on the API's own token
 * verifier and membership check, serves it on the API's HTTP server, and runs the outbox relay.
 * With CENTRIFUGO_API_URL set, no gateway runs here: the relay publishes to Centrifugo instead, the
 * API signs connection tokens for Centrifugo and serves its subscribe and sub_refresh proxies.
 */
import type { RealtimeHookOptions } from '../app.js'
import { type ChannelAuthorizer, TokenExpiredError, type TokenVerifier } from './auth.js'
import { createBroker } from './broker/index.js'
import { createCentrifugoPublisher } from './centrifugo-http.js'
import {
  type ProxyRouteHost,
  registerChannelProxies,
  signCentrifugoConnectionToken,
} from './centrifugo-mode.js'
import { chatChannel, parseChannel } from './channels.js'
import { loadRealtimeConfig, type RealtimeConfig } from './config.js'
import { createGateway } from './gateway.js'
import { startOutboxRelay } from './outbox-relay.js'

type HostApp = Parameters<import('../app.js').RealtimePlugin>[0]

/** Adapts the API's verifier: its 401 problem `token_expired` becomes a protocol 109. */
export function apiTokenVerifier(hook: Pick<RealtimeHookOptions, 'verifyConnectionToken'>): TokenVerifier {
  return {
    async verifyConnectionToken(token) {
      try {
        const v = await hook.verifyConnectionToken(token)
        return { appId: v.appId, userId: v.userId, exp: v.expiresAt || undefined }
      } catch (err) {
        if ((err as { code?: string }).code === 'token_expired') throw new TokenExpiredError()
        throw err
      }
    },
  }
}

/** Adapts the API's read permission (channel ids) to realtime channel names. */
export function apiAuthorizer(hook: Pick<RealtimeHookOptions, 'canReadChannel'>): ChannelAuthorizer {
  return {
    async canSubscribe(appId, userId, channel) {
      const parsed = parseChannel(channel)
      if (parsed?.kind !== 'chat' || parsed.appId !== appId) return false
      return hook.canReadChannel(appId, userId, parsed.id)
    },
  }
}

export function createRealtimePlugin(config: RealtimeConfig = loadRealtimeConfig()) {
  return async function realtimePlugin(app: HostApp, options: RealtimeHookOptions): Promise<void> {
    const db = options.services.ctx.db
    const registry = (app as unknown as { metrics?: { registry: import('prom-client').Registry } }).metrics
      ?.registry
    const onError = (err: unknown) => app.log.error({ err }, 'outbox relay failed')

    if (config.CENTRIFUGO_API_URL) {
      // Centrifugo verifies one shared HMAC secret and asks us about chat channels; without
      // both settings clients could not connect or subscribe, so refuse to start.
      const { CENTRIFUGO_TOKEN_HMAC_SECRET: tokenSecret, CENTRIFUGO_PROXY_KEY: proxyKey } =
        options.services.ctx.config
      if (!tokenSecret || !proxyKey) {
        throw new Error(
          'CENTRIFUGO_TOKEN_HMAC_SECRET and CENTRIFUGO_PROXY_KEY must be set with CENTRIFUGO_API_URL',
        )
      }
      const ttlSeconds = options.services.ctx.config.CONNECTION_TOKEN_TTL_SECONDS
      options.services.ctx.connectionTokenSigner = (appId, userId) =>
        signCentrifugoConnectionToken({ secret: tokenSecret, ttlSeconds }, appId, userId)
      registerChannelProxies(app as unknown as ProxyRouteHost, {
        authorizer: apiAuthorizer(options),
        proxyKey,
      })
      const publisher = createCentrifugoPublisher({
        url: config.CENTRIFUGO_API_URL,
        apiKey: config.CENTRIFUGO_API_KEY ?? '',
      })
      if (!config.REALTIME_RELAY) return
      let relay: ReturnType<typeof startOutboxRelay> | undefined
      app.addHook('onReady', async () => {
        relay = startOutboxRelay({
          db,
          publisher,
          registry,
          pollIntervalMs: config.REALTIME_OUTBOX_POLL_MS,
          onError,
        })
      })
      app.addHook('onClose', async () => relay?.stop())
      return
    }

    const gateway = createGateway({
      verifier: apiTokenVerifier(options),
      authorizer: apiAuthorizer(options),
      broker: createBroker({
        redisUrl: config.REDIS_URL,
        prefix: config.REALTIME_REDIS_PREFIX,
        history: { size: config.REALTIME_HISTORY_SIZE, ttlSeconds: config.REALTIME_HISTORY_TTL_SECONDS },
      }),
      apiKey: config.REALTIME_API_KEY,
      registry,
      logger: app.log,
      historySize: config.REALTIME_HISTORY_SIZE,
      historyTtlSeconds: config.REALTIME_HISTORY_TTL_SECONDS,
      pingIntervalMs: config.REALTIME_PING_INTERVAL_MS,
      userChannels: async (appId, userId) => {
        const rows = await db
          .selectFrom('members')
          .select('channel_id')
          .where('app_id', '=', appId)
          .where('user_id', '=', userId)
          .limit(500)
          .execute()
        return rows.map((r: { channel_id: string }) => chatChannel(appId, r.channel_id))
      },
      authFailures: options.authFailures,
      clientIp: options.clientIp,
      maxFrameBytes: config.REALTIME_MAX_FRAME_BYTES,
      maxBufferedBytes: config.REALTIME_MAX_BUFFERED_BYTES,
    })
    gateway.attach(app.server)
    await app.register(gateway.serverApi)
    app.addHook('onReady', async () => {
      if (config.REALTIME_RELAY) {
        gateway.startOutboxRelay({ db, pollIntervalMs: config.REALTIME_OUTBOX_POLL_MS, onError })
      }
    })
    app.addHook('onClose', () => gateway.close())
  }
}

import type { Cache } from '@platform/service-kit/cache'
import { createCache } from '@platform/service-kit/cache'
import type { Database } from '@platform/service-kit/db'
import { databaseCheck } from '@platform/service-kit/health'
import { type App, createApp } from '@platform/service-kit/http'
import type { Logger } from '@platform/service-kit/logging'
import { RetentionRunner } from '@platform/service-kit/privacy'
import type { RateLimitStore } from '@platform/service-kit/ratelimit'
import { slowThresholdsFromConfig, type Tracing } from '@platform/service-kit/tracing'
import type { AuthFailureBudget } from './access/auth-failures.js'
import { clientAddress } from './access/client-address.js'
import { createGuards } from './access/principal.js'
import { installRateLimits } from './access/rate-limits.js'
import { ChatAudit } from './audit/audit.js'
import { auditRoutes } from './audit/routes.js'
import { auditBlockedDeliveries } from './audit/webhook-blocks.js'
import { canRead, channelAccess } from './channels/access.js'
import { channelRoutes } from './channels/routes.js'
import type { ChatConfig } from './config.js'
import { demoRoutes } from './demo/routes.js'
import { messageRoutes } from './messages/routes.js'
import { MessageWriter } from './messages/writer.js'
import { assertNotAppBanned } from './moderation/app-ban.js'
import { createProfanityFilter } from './moderation/profanity.js'
import { moderationRoutes } from './moderation/routes.js'
import { pollRoutes } from './polls/routes.js'
import { createChatPrivacy } from './privacy/registry.js'
import { ChatPrivacyRequests } from './privacy/requests.js'
import { purgeExpired } from './privacy/retention.js'
import { privacyRoutes } from './privacy/routes.js'
import { readRoutes } from './reads/routes.js'
import { searchRoutes } from './search/routes.js'
import type { ChatContext } from './shared/context.js'
import type { ChatDatabase } from './shared/database.js'
import { createChatMetrics, QueryTimingPlugin } from './shared/metrics.js'
import { documentCallers } from './shared/openapi-callers.js'
import { startPoller } from './shared/poller.js'
import type { ChatServices, RoutePlugin } from './shared/services.js'
import { typeboxValidatorCompiler } from './shared/strict-body.js'
import { tenantRoutes } from './tenants/routes.js'
import { tokenRoutes } from './tokens/routes.js'
import {
  closeTokenState,
  openTokenState,
  type VerifiedUserToken,
  verifyConnectionToken,
} from './tokens/tokens.js'
import { typingRoutes } from './typing/routes.js'
import { createStorage } from './uploads/factory.js'
import { uploadRoutes } from './uploads/routes.js'
import type { FileStorage } from './uploads/storage.js'
import { userRoutes } from './users/routes.js'
import { countActiveUsers } from './users/users.js'
import { webAppRoutes } from './web/static-app.js'
import { WebhookDeliverer } from './webhooks/deliverer.js'
import { WebhookFanout } from './webhooks/fanout.js'
import { webhookRoutes } from './webhooks/routes.js'
import { type WebhookUrlPolicy, webhookUrlPolicy } from './webhooks/url-guard.js'

/**
 * The realtime gateway's hook point (src/realtime/ is owned by the realtime engineer): a Fastify
 * plugin registered at the root (for /connection/websocket) that receives the domain services and
 * the connection-token verifier.
 */
export interface RealtimeHookOptions {
  services: ChatServices
  /**
   * Verifies a connection JWT (header kid → the app's signing key; claims sub, app, sid, gen, exp).
   * Throws an HttpProblem 401 whose `code` is `token_expired` for an expired token (the client
   * should refresh), `invalid_token` or `token_revoked` otherwise.
   */
  verifyConnectionToken(token: string, appId?: string): Promise<VerifiedUserToken>
  /** Read permission on a chat channel id (not the realtime name): membership, or a public type. */
  canReadChannel(appId: string, userId: string, channelId: string): Promise<boolean>
  /** The HTTP API's failed-authentication budget (absent when rate limiting is off). */
  authFailures?: AuthFailureBudget | undefined
  /** The client address of a raw request, as the API computes it (TRUST_PROXY). */
  clientIp(req: import('node:http').IncomingMessage): string
}
export type RealtimePlugin = (app: App, options: RealtimeHookOptions) => Promise<void>

export interface ChatAppDeps {
  database: Database<ChatDatabase>
  config: ChatConfig
  /** Shared KV + pub/sub; defaults to Redis when REDIS_URL is set, else in-memory. */
  cache?: Cache
  logger?: Logger
  storage?: FileStorage
  realtime?: RealtimePlugin
  /**
   * Connections reserved for the message writer (one per lane). Without them, group-commit batches
   * queue for a pooled connection behind every read of a busy server, and latency follows the
   * read queue instead of the write path.
   */
  writerDatabase?: Database<ChatDatabase>
  /** Rate-limit buckets; default Redis on REDIS_URL, else in memory (tests pass one with their own prefix). */
  rateLimitStore?: RateLimitStore
  /** Host-name resolution for webhook targets (tests inject one to play DNS rebinding). */
  webhookResolve?: WebhookUrlPolicy['resolve']
  /** Background jobs: webhook fan-out and delivery, retention purge. Default true. */
  workers?: boolean
  /** The process tracer (startTracingFromConfig); slow Redis and outgoing calls are reported by this app. */
  tracing?: Tracing
}

export interface ChatHandle {
  services: ChatServices
  /** Runs webhook fan-out and delivery once (tests drive time with this). */
  runWebhooks(): Promise<{ fannedOut: number; delivered: number }>
  purgeExpired: () => ReturnType<typeof purgeExpired>
}

declare module 'fastify' {
  interface FastifyInstance {
    chat: ChatHandle
  }
}

const DOMAIN_ROUTES: RoutePlugin[] = [
  tenantRoutes,
  userRoutes,
  tokenRoutes,
  channelRoutes,
  messageRoutes,
  readRoutes,
  typingRoutes,
  pollRoutes,
  uploadRoutes,
  searchRoutes,
  moderationRoutes,
  webhookRoutes,
  privacyRoutes,
  auditRoutes,
  demoRoutes,
]

export async function buildChatApp(deps: ChatAppDeps): Promise<App> {
  const { config } = deps
  const app = await createApp({
    service: 'chat-server',
    version: '0.1.0',
    ...(deps.logger ? { logger: deps.logger } : {}),
    cors: { origins: config.CORS_ORIGINS },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
    openapi: {
      title: 'ChatSDK API',
      description:
        'Multi-tenant chat. Admin calls: `Authorization: Bearer $ADMIN_API_KEY`. Backend calls: `X-API-Key`. ' +
        'User calls: `Authorization: Bearer <accessToken>`. Errors are RFC 9457 problem+json with a stable `code`.',
    },
    readiness: [databaseCheck(deps.database)],
    slowOperations: slowThresholdsFromConfig(config),
    ...(deps.tracing ? { tracing: deps.tracing } : {}),
  })

  const ownsCache = !deps.cache
  const cache = deps.cache ?? createCache({ redisUrl: config.REDIS_URL })
  const storage = deps.storage ?? createStorage(config)
  const ctx: ChatContext = {
    db: deps.database.kysely,
    config,
    cache,
    storage,
    metrics: undefined as never,
  }
  ctx.metrics = createChatMetrics(app.metrics.registry, (seconds) => countActiveUsers(ctx, seconds))
  ctx.db = deps.database.kysely.withPlugin(new QueryTimingPlugin(ctx.metrics.dbQueryDuration))

  const audit = new ChatAudit(deps.database)
  const privacy = createChatPrivacy(ctx, audit.log)
  const services: ChatServices = {
    ctx,
    privacy,
    privacyRequests: new ChatPrivacyRequests(deps.database, privacy, audit.log),
    audit,
    webhookPolicy: webhookUrlPolicy(config, deps.webhookResolve),
    guards: createGuards(ctx),
    send: {
      writer: new MessageWriter(
        deps.writerDatabase
          ? deps.writerDatabase.kysely.withPlugin(new QueryTimingPlugin(ctx.metrics.dbQueryDuration))
          : ctx.db,
        deps.database.driver === 'pg' ? config.MESSAGE_WRITER_LANES : 1,
      ),
      profanity: createProfanityFilter(config.PROFANITY_WORDS.split(',')),
    },
  }
  app.decorateRequest('principal', null)

  const fanout = new WebhookFanout(ctx)
  const deliverer = new WebhookDeliverer(ctx, services.webhookPolicy, auditBlockedDeliveries(ctx, audit))
  app.decorate('chat', {
    services,
    runWebhooks: async () => ({ fannedOut: await fanout.tick(), delivered: await deliverer.tick() }),
    purgeExpired: () => purgeExpired(ctx),
  } satisfies ChatHandle)

  let rateLimits: ReturnType<typeof installRateLimits> | undefined
  await app.register(
    async (v1) => {
      v1.setValidatorCompiler(typeboxValidatorCompiler)
      documentCallers(v1, services.guards)
      rateLimits = installRateLimits(v1, {
        config,
        store: deps.rateLimitStore,
        registry: app.metrics.registry,
      })
      for (const routes of DOMAIN_ROUTES) await v1.register(routes as any, { services })
    },
    { prefix: '/v1' },
  )
  await app.register(webAppRoutes)
  if (deps.realtime) {
    await app.register(deps.realtime as any, {
      services,
      // An app-wide ban refuses connects and refreshes, not only new tokens.
      verifyConnectionToken: async (token: string, appId?: string) => {
        const verified = await verifyConnectionToken(ctx, token, appId)
        await assertNotAppBanned(ctx, verified.appId, verified.userId)
        return verified
      },
      canReadChannel: async (appId: string, userId: string, channelId: string) => {
        try {
          return canRead(await channelAccess(ctx, { kind: 'user', appId, userId, sessionId: '' }, channelId))
        } catch {
          return false
        }
      },
      authFailures: rateLimits?.authFailures,
      clientIp: (req) => clientAddress(req, config.TRUST_PROXY),
    } satisfies RealtimeHookOptions)
  }

  const stops: (() => Promise<void>)[] = []
  if (deps.workers ?? true) {
    const logger = app.log as Logger
    app.addHook('onReady', async () => {
      stops.push(startPoller('webhook-fanout', config.WEBHOOK_POLL_MS, () => fanout.tick(), logger))
      stops.push(startPoller('webhook-delivery', config.WEBHOOK_POLL_MS, () => deliverer.tick(), logger))
      // One replica purges each policy per interval (lease in the shared cache); each run is audited.
      const retention = new RetentionRunner({
        registry: services.privacy,
        audit: audit.log,
        lease: { cache },
        onLeaseError: (error, policy) =>
          logger.warn({ err: error, policy }, 'retention: lease unavailable, purging anyway'),
      })
      stops.push(
        startPoller(
          'retention',
          config.RETENTION_SWEEP_MS,
          async () => {
            for (const run of await retention.runDue()) {
              if (run.error || run.deleted) logger.info(run, 'retention: purged')
            }
            return 0
          },
          logger,
        ),
      )
    })
  }
  // token-state invalidations from other nodes are heard before the first request is served
  app.addHook('onReady', async () => {
    await openTokenState(ctx)
  })
  app.addHook('onClose', async () => {
    await Promise.all(stops.map((stop) => stop()))
    await rateLimits?.close()
    await closeTokenState(ctx)
    if (ownsCache) await cache.close()
    if ('close' in storage && typeof storage.close === 'function') storage.close()
  })
  return app
}

import { randomBytes } from 'node:crypto'
import { type AuditLog, auditContext, auditSuspiciousSessions } from '@platform/service-kit/audit'
import type { Cache } from '@platform/service-kit/cache'
import { HttpProblem } from '@platform/service-kit/http'
import type { RateLimitStore } from '@platform/service-kit/ratelimit'
import {
  createSessionStore,
  parseSessionKeys,
  type Session,
  SessionManager,
  type SessionStore,
} from '@platform/service-kit/sessions'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import { type DexMetrics, dexMetrics } from '../metrics.js'
import type { Eip1193Like } from '../wallet/chain-client.js'
import { NonceStore } from './nonces.js'

/** What a signed-in session holds: the wallet, lower-cased as the user id, and its chain. */
export interface WalletSession {
  address: `0x${string}`
  chainId: number
  /** The signed message's Expiration Time (ISO): the session ends there, whatever its own timers say. */
  notAfter?: string
}

export interface AuthDeps {
  config: {
    NODE_ENV: string
    REDIS_URL?: string | undefined
    /** `id:base64key[,id:base64key]`, current first (kit sessions). Required in production. */
    SESSION_KEYS?: string | undefined
    /** Domains SIWE messages may be bound to; empty = the Host the request came in on. */
    SIWE_DOMAINS?: readonly string[] | undefined
  }
  cache: Cache
  /** The kit's audit log: sign-ins, session revocations, account exports and erasures go here. */
  audit: AuditLog
  chain: { chainId: number; rpc: Eip1193Like }
  /** Tests pass their own store; otherwise Redis when REDIS_URL is set, else in memory. */
  sessionStore?: SessionStore
  /** Nonces per client IP and window (default 30 per minute): issuing one writes to Redis, unauthenticated. */
  nonceRateLimit?: { limit: number; windowMs: number }
  /** Sign-in attempts per client IP and window (default 10 per minute): each verifies a signature. */
  verifyRateLimit?: { limit: number; windowMs: number }
  /** Tests pass their own; otherwise Redis when REDIS_URL is set, else in memory. */
  rateLimitStore?: RateLimitStore
  /** Clock for session times and message expiry (tests); default Date.now. */
  now?: () => number
  /** The app's metrics registry (main.ts): session, sign-in and suspicious-signal counters go there. */
  metricsRegistry?: Registry
}

export interface DexAuth {
  sessions: SessionManager<WalletSession>
  audit: AuditLog
  metrics: DexMetrics
  nonces: NonceStore
  chainId: number
  domainsFor(request: FastifyRequest): string[]
  /**
   * The request's session, or a 401 problem (also once the signed message's Expiration Time has
   * passed). Sends a rotated session id back in `x-session-token`.
   */
  require(request: FastifyRequest, reply: FastifyReply): Promise<Session<WalletSession>>
  close(): Promise<void>
}

export const SESSION_HEADER = 'x-session-token'

/** How long a rotated-out session token still works (requests in flight during the rotation). */
export const REPLAY_GRACE_MS = 10_000

/** Route docs for signed-in routes, in words: a `security` requirement would need a scheme the app's OpenAPI lacks. */
export const SIGNED_IN = 'Requires `Authorization: Bearer <token>` from POST /v1/auth/verify.'

// The auth and account plugins are registered separately but must share one session manager and
// nonce store per app: keyed by the deps object both receive.
const instances = new WeakMap<object, DexAuth>()

export function dexAuth(deps: AuthDeps): DexAuth {
  let auth = instances.get(deps)
  if (!auth) {
    auth = createDexAuth(deps)
    instances.set(deps, auth)
  }
  return auth
}

function sessionKeys(config: AuthDeps['config']) {
  if (config.SESSION_KEYS) return parseSessionKeys(config.SESSION_KEYS)
  if (config.NODE_ENV === 'production') {
    throw new Error('SESSION_KEYS is required in production (id:base64key of 32 bytes)')
  }
  // Development: a per-process key; sessions do not survive a restart, which is fine locally.
  return [{ id: 'dev', key: randomBytes(32) }]
}

function createDexAuth(deps: AuthDeps): DexAuth {
  const now = deps.now ?? Date.now
  const sessions = new SessionManager<WalletSession>({
    store:
      deps.sessionStore ?? createSessionStore({ redisUrl: deps.config.REDIS_URL, keyPrefix: 'dex:session:' }),
    keys: sessionKeys(deps.config),
    // A rotated-out token coming back means it was copied: end the session it leads to. Requests
    // sent in parallel with the rotating one carry the old token for a moment and are let through.
    revokeOn: ['replay'],
    replayGraceMs: REPLAY_GRACE_MS,
    // A replayed token (and the other signals) revokes or flags the session: each is audited.
    onSuspicious: auditSuspiciousSessions(deps.audit),
    now,
    registry: deps.metricsRegistry,
  })
  const metrics = dexMetrics(deps.metricsRegistry)
  sessions.activity.on('suspicious', (event) => {
    if (event.revoked) metrics.session('revoked')
  })
  const nonces = new NonceStore(deps.cache)
  const configured = deps.config.SIWE_DOMAINS?.filter(Boolean) ?? []
  // Trusting the Host header lets a phishing site relay a message signed for its own domain.
  if (configured.length === 0 && deps.config.NODE_ENV === 'production') {
    throw new Error('SIWE_DOMAINS is required in production (the domains users sign in on)')
  }
  return {
    sessions,
    audit: deps.audit,
    metrics,
    nonces,
    chainId: deps.chain.chainId,
    domainsFor: (request) => (configured.length > 0 ? [...configured] : [request.host]),
    async require(request, reply) {
      const header = request.headers.authorization
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined
      if (!token) throw unauthorized('sign in with Ethereum first (Authorization: Bearer <session token>)')
      const session = await sessions.get(token, { ip: request.ip, userAgent: request.headers['user-agent'] })
      if (!session) throw unauthorized('the session has ended; sign in again')
      if (session.data.notAfter && now() >= Date.parse(session.data.notAfter)) {
        await sessions.destroy(session.id)
        await deps.audit.record({
          action: 'dex.session.revoked',
          actor: { type: 'system' },
          target: sessionTarget(session.id),
          ...auditContext(request),
          metadata: { wallet: session.userId, reason: 'message_expired' },
        })
        metrics.session('expired')
        throw unauthorized('the signed sign-in message has expired; sign in again')
      }
      if (session.id !== token) reply.header(SESSION_HEADER, session.id)
      return session
    },
    close: () => sessions.close(),
  }
}

/** A session id is a bearer secret: audit entries keep only a prefix to correlate them. */
export const sessionTarget = (id: string) => ({ type: 'session', id: id.slice(0, 8) })

function unauthorized(detail: string): HttpProblem {
  return new HttpProblem(401, 'unauthenticated', detail, { headers: { 'www-authenticate': 'Bearer' } })
}

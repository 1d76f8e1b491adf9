import { auditContext } from '@platform/service-kit/audit'
import type { App } from '@platform/service-kit/http'
import { createRateLimitStore, rateLimit } from '@platform/service-kit/ratelimit'
import type { Session } from '@platform/service-kit/sessions'
import { Type } from '@sinclair/typebox'
import { siweFailure } from '../metrics.js'
import { asProblem } from '../quote/problem.js'
import {
  type AuthDeps,
  dexAuth,
  SESSION_HEADER,
  SIGNED_IN,
  sessionTarget,
  type WalletSession,
} from './context.js'
import { verifySignIn } from './siwe.js'

const SessionReply = Type.Object({
  address: Type.String(),
  chainId: Type.Integer(),
  expiresAt: Type.String({
    description:
      "Idle expiry; every use extends it up to the absolute limit, never past the message's Expiration Time",
  }),
})

/** The earlier of the session's idle expiry and the signed message's Expiration Time. */
function sessionEnd(session: Session<WalletSession>): string {
  const { notAfter } = session.data
  return notAfter && Date.parse(notAfter) < Date.parse(session.expiresAt) ? notAfter : session.expiresAt
}

/**
 * Sign-In with Ethereum (EIP-4361) over kit sessions: GET a nonce, sign the message in the
 * wallet, POST it back for a session token (sent as `Authorization: Bearer`).
 */
export async function authRoutes(app: App, deps: AuthDeps): Promise<void> {
  const auth = dexAuth(deps)
  app.addHook('onClose', async () => auth.close())

  // Registered inside this plugin's scope, so the limit covers the auth routes only.
  const limiter =
    deps.rateLimitStore ??
    createRateLimitStore({ redisUrl: deps.config.REDIS_URL, keyPrefix: 'dex:ratelimit:' })
  app.addHook('onClose', async () => limiter.close())
  await app.register(rateLimit, {
    store: limiter,
    registry: app.metrics?.registry,
    policies: [
      {
        name: 'siwe-nonce',
        limit: deps.nonceRateLimit?.limit ?? 30,
        windowMs: deps.nonceRateLimit?.windowMs ?? 60_000,
        key: (request) => (request.routeOptions.url === '/v1/auth/nonce' ? request.ip : undefined),
      },
      {
        // Each attempt costs a signature recovery (or an EIP-1271 call to the chain).
        name: 'siwe-verify',
        limit: deps.verifyRateLimit?.limit ?? 10,
        windowMs: deps.verifyRateLimit?.windowMs ?? 60_000,
        key: (request) => (request.routeOptions.url === '/v1/auth/verify' ? request.ip : undefined),
      },
    ],
  })

  app.get(
    '/v1/auth/nonce',
    {
      schema: {
        summary: 'A single-use nonce and the fields the SIWE message must carry',
        tags: ['auth'],
        response: {
          200: Type.Object({
            nonce: Type.String(),
            expiresAt: Type.String(),
            domain: Type.String(),
            chainId: Type.Integer(),
            version: Type.Literal('1'),
          }),
        },
      },
    },
    async (request, reply) => {
      const { nonce, expiresAt } = await auth.nonces.issue()
      reply.header('cache-control', 'no-store')
      return {
        nonce,
        expiresAt: expiresAt.toISOString(),
        domain: auth.domainsFor(request)[0]!,
        chainId: auth.chainId,
        version: '1' as const,
      }
    },
  )

  app.post(
    '/v1/auth/verify',
    {
      schema: {
        summary: 'Verify a signed SIWE message and open a session',
        tags: ['auth'],
        body: Type.Object(
          {
            message: Type.String({ minLength: 1, maxLength: 4_000 }),
            signature: Type.String({ pattern: '^0x[0-9a-fA-F]+$', maxLength: 20_000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ token: Type.String(), ...SessionReply.properties }) },
      },
    },
    async (request) =>
      asProblem(async () => {
        const signedIn = await verifySignIn(request.body.message, request.body.signature, {
          domains: auth.domainsFor(request),
          chainId: auth.chainId,
          nonces: auth.nonces,
          rpc: deps.chain.rpc,
        }).catch((error: unknown) => {
          auth.metrics.siwe(siweFailure(error))
          throw error
        })
        const notAfter = signedIn.expiresAt?.toISOString()
        const session = await auth.sessions.create(
          signedIn.address.toLowerCase(),
          { address: signedIn.address, chainId: signedIn.chainId, ...(notAfter ? { notAfter } : {}) },
          { ip: request.ip, userAgent: request.headers['user-agent'] },
        )
        await auth.audit.record({
          action: 'dex.auth.sign_in',
          actor: { type: 'user', id: session.userId },
          target: sessionTarget(session.id),
          ...auditContext(request),
          metadata: { chainId: signedIn.chainId, expiresAt: sessionEnd(session) },
        })
        auth.metrics.siwe('signed_in')
        auth.metrics.session('opened')
        return {
          token: session.id,
          address: signedIn.address,
          chainId: signedIn.chainId,
          expiresAt: sessionEnd(session),
        }
      }),
  )

  app.get(
    '/v1/auth/session',
    {
      schema: {
        summary: 'The signed-in wallet',
        description: SIGNED_IN,
        tags: ['auth'],
        response: { 200: SessionReply },
      },
    },
    async (request, reply) => {
      const session = await auth.require(request, reply)
      return { address: session.data.address, chainId: session.data.chainId, expiresAt: sessionEnd(session) }
    },
  )

  app.post(
    '/v1/auth/logout',
    { schema: { summary: 'End this session', tags: ['auth'], description: SIGNED_IN } },
    async (request, reply) => {
      const session = await auth.require(request, reply)
      await auth.sessions.destroy(session.id)
      await auth.audit.record({
        action: 'dex.session.revoked',
        actor: { type: 'user', id: session.userId },
        target: sessionTarget(session.id),
        ...auditContext(request),
        metadata: { reason: 'logout' },
      })
      auth.metrics.session('signed_out')
      reply.removeHeader(SESSION_HEADER)
      return reply.code(204).send()
    },
  )
}

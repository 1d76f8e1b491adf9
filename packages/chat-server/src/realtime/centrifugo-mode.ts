/**
 * What the API provides when a Centrifugo v5 cluster replaces the built-in gateway
 * (CENTRIFUGO_API_URL set): connection tokens signed with Centrifugo's one shared HMAC secret, and
 * the subscribe proxy Centrifugo calls to authorize `chat:` channels (it has no membership tables).
 */
import { SignJWT } from 'jose'
import { safeEqual } from '../shared/crypto.js'
import { HttpProblem } from '../shared/problems.js'
import type { ChannelAuthorizer } from './auth.js'
import { userChannel } from './channels.js'

/**
 * The header Centrifugo sends on proxy calls (`proxy_static_http_headers` in
 * deploy/centrifugo/config.json, Centrifugo 5.0.2 or later).
 */
export const PROXY_KEY_HEADER = 'x-centrifugo-proxy-key'
export const SUBSCRIBE_PROXY_PATH = '/v1/realtime/subscribe'

/**
 * Centrifugo knows a connection only by `sub`, while the built-in gateway keys it by the signing
 * key's app plus `sub`. The same user id may exist in two apps, so here `sub` carries both, in the
 * order and separator the channel names use (`user:{appId}:{userId}`). App ids never contain `:`.
 */
export const centrifugoUser = (appId: string, userId: string): string => `${appId}:${userId}`

export function parseCentrifugoUser(user: string): { appId: string; userId: string } | null {
  const at = user.indexOf(':')
  if (at <= 0 || at === user.length - 1) return null
  return { appId: user.slice(0, at), userId: user.slice(at + 1) }
}

export interface CentrifugoTokenOptions {
  secret: string
  ttlSeconds: number
}

/**
 * A connection token Centrifugo v5 verifies with `token_hmac_secret_key` (HS256). `channels` makes
 * Centrifugo subscribe the connection to the personal channel on the server side. Revocation is
 * not checked by Centrifugo; it takes effect when the client asks the API for the next token.
 */
export function signCentrifugoConnectionToken(
  options: CentrifugoTokenOptions,
  appId: string,
  userId: string,
): Promise<string> {
  return new SignJWT({ channels: [userChannel(appId, userId)] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(centrifugoUser(appId, userId))
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + options.ttlSeconds)
    .sign(new TextEncoder().encode(options.secret))
}

/** Centrifugo v5 proxy replies: `result` allows, `error` refuses the subscribe with a client error. */
export type SubscribeProxyReply =
  | { result: Record<string, never> }
  | { error: { code: number; message: string } }

const ALLOW: SubscribeProxyReply = { result: {} }
const DENY: SubscribeProxyReply = { error: { code: 103, message: 'permission denied' } }

/**
 * Decides one subscribe proxy request (`{client, transport, protocol, encoding, user, channel, …}`)
 * with the built-in gateway's authorizer, so both modes apply the same access rules. A body that
 * is not a subscribe request is a 400 problem; an unknown user or channel is a 103 reply.
 */
export async function decideSubscribe(
  authorizer: ChannelAuthorizer,
  body: unknown,
): Promise<SubscribeProxyReply> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpProblem(
      400,
      'invalid_proxy_request',
      'body must be a Centrifugo subscribe proxy request object',
    )
  }
  const { user, channel } = body as { user?: unknown; channel?: unknown }
  if (typeof user !== 'string' || user === '') throw fieldProblem('user')
  if (typeof channel !== 'string' || channel === '') throw fieldProblem('channel')
  const who = parseCentrifugoUser(user)
  if (!who) return DENY
  // The authorizer refuses non-`chat:` channels and other apps' channels itself.
  return (await authorizer.canSubscribe(who.appId, who.userId, channel)) ? ALLOW : DENY
}

const fieldProblem = (field: string): HttpProblem =>
  new HttpProblem(400, 'invalid_proxy_request', `${field} must be a non-empty string`, {
    errors: [{ path: `/${field}`, message: 'must be a non-empty string', in: 'body' }],
  })

export interface ProxyRouteHost {
  post(
    path: string,
    handler: (request: { headers: Record<string, unknown>; body: unknown }) => Promise<SubscribeProxyReply>,
  ): unknown
}

/** Serves the subscribe proxy; only a caller presenting the configured key (Centrifugo) is answered. */
export function registerSubscribeProxy(
  app: ProxyRouteHost,
  options: { authorizer: ChannelAuthorizer; proxyKey: string },
): void {
  app.post(SUBSCRIBE_PROXY_PATH, async (request) => {
    const presented = request.headers[PROXY_KEY_HEADER]
    if (typeof presented !== 'string' || !safeEqual(presented, options.proxyKey)) {
      throw new HttpProblem(
        401,
        'invalid_proxy_key',
        `the subscribe proxy needs the ${PROXY_KEY_HEADER} header`,
      )
    }
    return decideSubscribe(options.authorizer, request.body)
  })
}

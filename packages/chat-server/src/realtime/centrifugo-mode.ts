/**
 * What the API provides when a Centrifugo v5 cluster replaces the built-in gateway
 * (CENTRIFUGO_API_URL set): connection tokens signed with Centrifugo's one shared HMAC secret, and
 * the subscribe proxy Centrifugo calls to authorize `chat:` channels (it has no membership tables).
 */
import { SignJWT } from 'jose'
import { safeEqual } from '../shared/crypto.js'
import { HttpProblem } from '../shared/problems.js'
import type { ChannelAuthorizer } from './auth.js'
import { connectionUser, parseConnectionUser, userChannel } from './channels.js'

/**
 * The header Centrifugo sends on proxy calls (`proxy_static_http_headers` in
 * deploy/centrifugo/config.json, Centrifugo 5.0.2 or later).
 */
export const PROXY_KEY_HEADER = 'x-centrifugo-proxy-key'
export const SUBSCRIBE_PROXY_PATH = '/v1/realtime/subscribe'
export const SUB_REFRESH_PROXY_PATH = '/v1/realtime/sub-refresh'

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
    .setSubject(connectionUser(appId, userId))
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + options.ttlSeconds)
    .sign(new TextEncoder().encode(options.secret))
}

/**
 * How long Centrifugo keeps a proxied subscription before asking the sub_refresh proxy again. The
 * server API `unsubscribe` ends a subscription at once when access is lost; this bounds how long
 * one survives if that call was missed (Centrifugo down at that moment, say).
 */
export const SUB_REFRESH_INTERVAL_SECONDS = 120

/**
 * Centrifugo v5 proxy replies. Subscribe: `result` allows (with `expire_at`, so Centrifugo asks
 * the sub_refresh proxy before that time), `error` refuses with a client error. Sub refresh:
 * `result.expire_at` prolongs, `result.expired` ends the subscription.
 */
export type SubscribeProxyReply =
  | { result: { expire_at: number } }
  | { error: { code: number; message: string } }
export type SubRefreshProxyReply = { result: { expire_at: number } } | { result: { expired: true } }

const DENY = { error: { code: 103, message: 'permission denied' } } as const
const nextExpiry = () => ({ expire_at: Math.floor(Date.now() / 1000) + SUB_REFRESH_INTERVAL_SECONDS })

/**
 * Whether the proxy request's user may read its channel. The request is
 * `{client, transport, protocol, encoding, user, channel, …}` for both proxies; a body that is not
 * one is a 400 problem, an unknown user or channel is a refusal.
 */
async function mayRead(authorizer: ChannelAuthorizer, body: unknown): Promise<boolean> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpProblem(400, 'invalid_proxy_request', 'body must be a Centrifugo proxy request object')
  }
  const { user, channel } = body as { user?: unknown; channel?: unknown }
  if (typeof user !== 'string' || user === '') throw fieldProblem('user')
  if (typeof channel !== 'string' || channel === '') throw fieldProblem('channel')
  const who = parseConnectionUser(user)
  // The authorizer refuses non-`chat:` channels and other apps' channels itself.
  return who !== null && authorizer.canSubscribe(who.appId, who.userId, channel)
}

/** The subscribe proxy: the built-in gateway's authorizer decides, so both modes apply the same rules. */
export async function decideSubscribe(
  authorizer: ChannelAuthorizer,
  body: unknown,
): Promise<SubscribeProxyReply> {
  return (await mayRead(authorizer, body)) ? { result: nextExpiry() } : DENY
}

/** The sub_refresh proxy: a subscription whose user lost access expires now, others are prolonged. */
export async function decideSubRefresh(
  authorizer: ChannelAuthorizer,
  body: unknown,
): Promise<SubRefreshProxyReply> {
  return (await mayRead(authorizer, body)) ? { result: nextExpiry() } : { result: { expired: true } }
}

const fieldProblem = (field: string): HttpProblem =>
  new HttpProblem(400, 'invalid_proxy_request', `${field} must be a non-empty string`, {
    errors: [{ path: `/${field}`, message: 'must be a non-empty string', in: 'body' }],
  })

export interface ProxyRouteHost {
  post(
    path: string,
    handler: (request: { headers: Record<string, unknown>; body: unknown }) => Promise<unknown>,
  ): unknown
}

/**
 * Serves the subscribe and sub_refresh proxies; only a caller presenting the configured key
 * (Centrifugo) is answered.
 */
export function registerChannelProxies(
  app: ProxyRouteHost,
  options: { authorizer: ChannelAuthorizer; proxyKey: string },
): void {
  const proxies = [
    [SUBSCRIBE_PROXY_PATH, decideSubscribe],
    [SUB_REFRESH_PROXY_PATH, decideSubRefresh],
  ] as const
  for (const [path, decide] of proxies) {
    app.post(path, async (request) => {
      const presented = request.headers[PROXY_KEY_HEADER]
      if (typeof presented !== 'string' || !safeEqual(presented, options.proxyKey)) {
        throw new HttpProblem(
          401,
          'invalid_proxy_key',
          `the channel proxies need the ${PROXY_KEY_HEADER} header`,
        )
      }
      return decide(options.authorizer, request.body)
    })
  }
}

/**
 * How the gateway learns who a connection is and what it may read. The API issues the tokens and
 * owns membership, so both are interfaces here; `createJwtVerifier` covers Centrifugo-style HMAC
 * JWTs (`sub`, `exp`, app id claim, optional `kid` for per-app keys).
 */
import { decodeJwt, errors, type JWTPayload, jwtVerify } from 'jose'

export interface ConnectionIdentity {
  appId: string
  userId: string
  /** Seconds since the epoch; absent means the connection never expires. */
  exp?: number
  info?: unknown
}

export interface SubscriptionGrant {
  appId: string
  userId: string
  channel: string
  exp?: number
}

/** Thrown by verifiers for a well-formed but expired token: the client is told to refresh (109). */
export class TokenExpiredError extends Error {
  constructor() {
    super('token expired')
  }
}

export interface TokenVerifier {
  verifyConnectionToken(token: string): Promise<ConnectionIdentity>
  /** Subscription tokens (Centrifugo `channel` claim) let a non-member read one channel. */
  verifySubscriptionToken?(token: string, channel: string): Promise<SubscriptionGrant>
}

export interface ChannelAuthorizer {
  /** May this user read `channel` (a `chat:` channel of their app)? Backed by membership tables. */
  canSubscribe(appId: string, userId: string, channel: string): Promise<boolean>
}

export interface JwtVerifierOptions {
  /** The HMAC secret for a token; `kid` comes from the header, `appId` from the claims. */
  resolveSecret(kid: string | undefined, appId: string | undefined): Promise<Uint8Array | string | null>
  /** Claim holding the app id; default `app`. */
  appClaim?: string
}

export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const appClaim = options.appClaim ?? 'app'
  const verify = async (token: string): Promise<JWTPayload> => {
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          // The key is chosen before verification; the claims read here are verified right after.
          const claimed = decodeJwt(token)[appClaim]
          const appId = typeof claimed === 'string' ? claimed : undefined
          const secret = await options.resolveSecret(header.kid, appId)
          if (!secret) throw new Error('unknown signing key')
          return typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
        },
        { algorithms: ['HS256', 'HS384', 'HS512'] },
      )
      return payload
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new TokenExpiredError()
      throw err
    }
  }
  return {
    async verifyConnectionToken(token) {
      const payload = await verify(token)
      const appId = payload[appClaim]
      if (typeof payload.sub !== 'string' || payload.sub === '' || typeof appId !== 'string') {
        throw new Error('token lacks sub or app')
      }
      return { appId, userId: payload.sub, exp: payload.exp, info: payload.info }
    },
    async verifySubscriptionToken(token, channel) {
      const payload = await verify(token)
      const appId = payload[appClaim]
      if (typeof payload.sub !== 'string' || typeof appId !== 'string' || payload.channel !== channel) {
        throw new Error('subscription token does not match channel')
      }
      return { appId, userId: payload.sub, channel, exp: payload.exp }
    },
  }
}

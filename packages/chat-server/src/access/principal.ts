import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ChatContext } from '../shared/context.js'
import { safeEqual } from '../shared/crypto.js'
import { unauthorized } from '../shared/problems.js'
import { authenticateApiKey } from '../tenants/api-keys.js'
import { verifyAccessToken } from '../tokens/tokens.js'
import { touchUser } from '../users/users.js'

/**
 * Who is calling. Admin: the operator (ADMIN_API_KEY). Server: a customer backend (X-API-Key),
 * with full rights inside its app. User: an end user (Bearer access token), scoped to its app.
 */
export type Principal =
  | { kind: 'admin' }
  | { kind: 'server'; appId: string; keyId: string }
  | { kind: 'user'; appId: string; userId: string; sessionId: string }

export type UserPrincipal = Extract<Principal, { kind: 'user' }>
export type AppPrincipal = Exclude<Principal, { kind: 'admin' }>

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
}

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

export interface Guards {
  admin: Guard
  server: Guard
  user: Guard
  /** Either a backend or a user of the app; routes decide what each may do. */
  app: Guard
}

export function createGuards(ctx: ChatContext): Guards {
  const bearer = (request: FastifyRequest) => {
    const header = request.headers.authorization
    return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined
  }
  const server = async (request: FastifyRequest) => {
    const presented = request.headers['x-api-key']
    if (typeof presented !== 'string') return false
    const key = await authenticateApiKey(ctx, presented)
    if (!key) throw unauthorized('invalid_api_key', 'API key is unknown or revoked')
    request.principal = { kind: 'server', ...key }
    return true
  }
  const user = async (request: FastifyRequest) => {
    const token = bearer(request)
    if (!token) return false
    const verified = await verifyAccessToken(ctx, token)
    request.principal = {
      kind: 'user',
      appId: verified.appId,
      userId: verified.userId,
      sessionId: verified.sessionId,
    }
    const touched = touchUser(ctx, verified.appId, verified.userId)
    if (touched) await touched
    return true
  }
  return {
    admin: async (request) => {
      const token = bearer(request)
      if (!token || !safeEqual(token, ctx.config.ADMIN_API_KEY)) {
        throw unauthorized('invalid_admin_key', 'admin API key required (Authorization: Bearer)')
      }
      request.principal = { kind: 'admin' }
    },
    server: async (request) => {
      if (!(await server(request))) throw unauthorized('api_key_required', 'X-API-Key header required')
    },
    user: async (request) => {
      if (!(await user(request)))
        throw unauthorized('token_required', 'Authorization: Bearer <accessToken> required')
    },
    app: async (request) => {
      if (!(await server(request)) && !(await user(request))) {
        throw unauthorized(
          'credentials_required',
          'X-API-Key or Authorization: Bearer <accessToken> required',
        )
      }
    },
  }
}

export function userOf(request: FastifyRequest): UserPrincipal {
  const principal = request.principal
  if (principal?.kind !== 'user') throw unauthorized('token_required', 'user token required')
  return principal
}

export function appOf(request: FastifyRequest): AppPrincipal {
  const principal = request.principal
  if (!principal || principal.kind === 'admin')
    throw unauthorized('credentials_required', 'app credentials required')
  return principal
}

import { Type } from '@sinclair/typebox'
import { decodeJwt } from 'jose'
import { appOf, userOf } from '../access/principal.js'
import type { ChatContext } from '../shared/context.js'
import { errorResponses, Obj, UserIdParams, UuidString } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { mintConnectionToken, mintTokens, refreshTokens, revokeTokens } from './tokens.js'

const TokenSetSchema = Obj(
  {
    accessToken: Type.String({ description: 'Bearer token for user calls (short-lived JWT)' }),
    refreshToken: Type.String({ description: 'Opaque; exchange at /v1/tokens/refresh; rotates on use' }),
    connectionToken: Type.String({
      description: 'Centrifugo-style connection JWT (sub = user id) for the realtime gateway',
    }),
    expiresIn: Type.Integer({ description: 'Access token lifetime in seconds' }),
    sessionId: Type.String(),
  },
  {
    examples: [
      {
        accessToken: 'eyJhbGciOiJIUzI1NiIs…',
        refreshToken: 'rt_01936a3e-….k2…',
        connectionToken: 'eyJhbGciOiJIUzI1NiIs…',
        expiresIn: 900,
        sessionId: '01936a3e-8f2a-7c41-9d1e-2b3c4d5e6f70',
      },
    ],
  },
)

/** Token minting (backend), refresh (anyone holding a refresh token) and revocation. */
export const tokenRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards, audit } = services

  app.post(
    '/users/:userId/tokens',
    {
      preHandler: guards.server,
      schema: {
        tags: ['tokens'],
        summary: 'Mint access, refresh and connection tokens for a user (new session)',
        params: UserIdParams,
        response: { 200: TokenSetSchema, ...errorResponses },
      },
    },
    async (request) => {
      return audit.change(
        request,
        ctx,
        (tx) => mintTokens(tx, appOf(request).appId, request.params.userId),
        (tokens) => ({
          action: 'token.minted',
          target: { type: 'user', id: request.params.userId },
          metadata: { sessionId: tokens.sessionId },
        }),
      )
    },
  )

  app.post(
    '/users/:userId/tokens/revoke',
    {
      preHandler: guards.server,
      schema: {
        tags: ['tokens'],
        summary: 'Revoke one session, or every token of the user when sessionId is omitted',
        params: UserIdParams,
        body: Type.Object(
          { sessionId: Type.Optional(UuidString('Session to revoke')) },
          {
            additionalProperties: false,
            examples: [{}, { sessionId: '01936a3e-8f2a-7c41-9d1e-2b3c4d5e6f70' }],
          },
        ),
        response: { 200: Obj({ revokedSessions: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const { userId } = request.params
      return audit.change(
        request,
        ctx,
        (tx) => revokeTokens(tx, appOf(request).appId, userId, request.body.sessionId),
        (revoked) => ({
          action: 'token.revoked',
          target: { type: 'user', id: userId },
          metadata: { sessionId: request.body.sessionId ?? 'all', ...revoked },
        }),
      )
    },
  )

  app.post(
    '/tokens/refresh',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Exchange a refresh token for a new token set (the old refresh token stops working)',
        body: Type.Object(
          { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: TokenSetSchema, ...errorResponses },
      },
    },
    async (request) => {
      // the session id is the public half of the refresh token; the secret half never reaches the log
      const sessionId = /^rt_([0-9a-f-]{36})\./.exec(request.body.refreshToken)?.[1]
      // A rotated-out refresh token coming back means a copy exists: the session is revoked, and
      // that revocation and its audit entry must commit although the request fails.
      const outcome = await audit.change(
        request,
        ctx,
        async (tx) => {
          try {
            return { tokens: await refreshTokens(tx, request.body.refreshToken) }
          } catch (error) {
            if ((error as { code?: string }).code === 'refresh_token_reused' && sessionId)
              return { reused: error }
            throw error
          }
        },
        async (outcome, tx) => {
          if ('reused' in outcome)
            return {
              action: 'token.refresh_reused',
              actor: { type: 'anonymous' },
              appId: await sessionApp(tx, sessionId!),
              target: { type: 'session', id: sessionId! },
              outcome: 'denied',
              metadata: { sessionRevoked: true },
            }
          const { sub, app: appId } = decodeJwt(outcome.tokens.accessToken) as { sub: string; app?: string }
          return {
            action: 'token.refreshed',
            actor: { type: 'user', id: sub },
            appId,
            target: { type: 'session', id: outcome.tokens.sessionId },
          }
        },
      )
      if ('reused' in outcome) throw outcome.reused
      return outcome.tokens
    },
  )

  app.post(
    '/me/tokens/connection',
    {
      preHandler: guards.user,
      schema: {
        tags: ['tokens'],
        summary: 'A fresh realtime connection token (for the client getToken callback)',
        response: { 200: Obj({ connectionToken: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const who = userOf(request)
      return { connectionToken: await mintConnectionToken(ctx, { ...who, expiresAt: 0 }) }
    },
  )

  app.post(
    '/me/logout',
    {
      preHandler: guards.user,
      schema: {
        tags: ['tokens'],
        summary: 'End the calling session',
        response: { 200: Obj({ revokedSessions: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const who = userOf(request)
      return audit.change(
        request,
        ctx,
        (tx) => revokeTokens(tx, who.appId, who.userId, who.sessionId),
        (revoked) => ({
          action: 'token.revoked',
          target: { type: 'user', id: who.userId },
          metadata: { reason: 'logout', ...revoked },
        }),
      )
    },
  )
}

async function sessionApp(ctx: ChatContext, sessionId: string): Promise<string | undefined> {
  const row = await ctx.db
    .selectFrom('sessions')
    .select('app_id')
    .where('id', '=', sessionId)
    .executeTakeFirst()
  return row?.app_id
}

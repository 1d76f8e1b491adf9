import type { KeyObject } from 'node:crypto'
import type { Cache } from '@platform/service-kit/cache'
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose'
import { sql } from 'kysely'
import { assertNotAppBanned } from '../moderation/app-ban.js'
import type { ChatContext } from '../shared/context.js'
import { randomToken, safeEqual, sha256Hex } from '../shared/crypto.js'
import { isUuid, uuidv7 } from '../shared/ids.js'
import { writeOutbox } from '../shared/outbox.js'
import { notFound, unauthorized } from '../shared/problems.js'
import { disconnectControl } from '../shared/realtime-control.js'
import { afterCommit, transact } from '../shared/transaction.js'
import { activeSigningKey, signingKeyById, signingKeyHere } from '../tenants/signing-keys.js'
import { TokenStateCache } from './token-state.js'
import { type VerifiedClaims, VerifiedTokens } from './verified-tokens.js'

/**
 * User tokens. Access and connection tokens are HS256 JWTs signed with the app's key (kid in the
 * header). Both carry `sid` (the session) and `gen` (the user's token generation), so revoking a
 * session or every token of a user takes effect at the next verification: at once on the node
 * that revoked, within milliseconds elsewhere (pub/sub), at worst TOKEN_STATE_TTL_MS (see
 * token-state.ts). Refresh tokens are opaque `rt_<sessionId>.<secret>`, stored hashed, rotated on
 * every use.
 */
export interface TokenSet {
  accessToken: string
  refreshToken: string
  connectionToken: string
  expiresIn: number
  sessionId: string
}

export interface VerifiedUserToken {
  appId: string
  userId: string
  sessionId: string
  /** Seconds since epoch. */
  expiresAt: number
}

type TokenUse = 'access' | 'connection'

export async function mintTokens(ctx: ChatContext, appId: string, userId: string): Promise<TokenSet> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['token_generation'])
    .where('app_id', '=', appId)
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!user) throw notFound('user')
  const sessionId = uuidv7()
  const secret = randomToken(32)
  await ctx.db
    .insertInto('sessions')
    .values({
      app_id: appId,
      id: sessionId,
      user_id: userId,
      refresh_hash: sha256Hex(secret),
      expires_at: new Date(Date.now() + ctx.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
    })
    .execute()
  // An erased user that was created again under the same id still has "no user" cached (see
  // forgetUserTokens); drop it so the new tokens verify. The database stays the source of truth.
  await afterCommit(ctx, () => ctx.cache.del(generationKey(appId, userId)))
  return issue(ctx, appId, userId, sessionId, user.token_generation, secret)
}

/** Exchanges a refresh token for a new set; the presented one stops working (rotation). */
export async function refreshTokens(ctx: ChatContext, refreshToken: string): Promise<TokenSet> {
  const match = /^rt_([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(refreshToken)
  if (!match || !isUuid(match[1]!)) throw unauthorized('invalid_refresh_token', 'refresh token is malformed')
  const [, sessionId, presented] = match as unknown as [string, string, string]
  const next = randomToken(32)
  const result = await transact(ctx, async (trx) => {
    const session = await trx
      .selectFrom('sessions as s')
      .innerJoin('users as u', (join) =>
        join.onRef('u.app_id', '=', 's.app_id').onRef('u.id', '=', 's.user_id'),
      )
      .select([
        's.app_id',
        's.user_id',
        's.refresh_hash',
        's.previous_refresh_hash',
        's.revoked_at',
        's.expires_at',
        'u.token_generation',
      ])
      .where('s.id', '=', sessionId)
      .forUpdate()
      .executeTakeFirst()
    if (!session || session.revoked_at || new Date(session.expires_at) < new Date()) return undefined
    const presentedHash = sha256Hex(presented)
    if (!safeEqual(session.refresh_hash, presentedHash)) {
      if (session.previous_refresh_hash && safeEqual(session.previous_refresh_hash, presentedHash)) {
        // The refresh token before the last rotation came back: someone kept a copy. End the session.
        await trx
          .updateTable('sessions')
          .set({ revoked_at: sql`now()` })
          .where('id', '=', sessionId)
          .execute()
        return 'reused' as const
      }
      // A wrong secret changes nothing, so knowing a session id does not let anyone end the session.
      return undefined
    }
    await trx
      .updateTable('sessions')
      .set({ refresh_hash: sha256Hex(next), previous_refresh_hash: presentedHash, refreshed_at: sql`now()` })
      .where('app_id', '=', session.app_id)
      .where('id', '=', sessionId)
      .execute()
    return session
  })
  if (result === 'reused') {
    await afterCommit(ctx, () => markSessionRevoked(ctx, sessionId))
    throw unauthorized('refresh_token_reused', 'refresh token was already used; the session is revoked')
  }
  if (!result) throw unauthorized('invalid_refresh_token', 'refresh token is unknown, expired or revoked')
  return issue(ctx, result.app_id, result.user_id, sessionId, result.token_generation, next)
}

/** Revokes one session, or every session and token of the user when sessionId is omitted. */
export async function revokeTokens(
  ctx: ChatContext,
  appId: string,
  userId: string,
  sessionId?: string,
): Promise<{ revokedSessions: number }> {
  // Open sockets do not present their token again until refresh: they are closed (every one of the
  // user's, with a reconnect code; those holding a valid session come back with a new token).
  const closeSockets = (trx: typeof ctx.db) =>
    writeOutbox(trx, [disconnectControl(appId, userId, 'tokens_revoked')])
  if (sessionId) {
    await transact(ctx, async (trx) => {
      const rows = await trx
        .updateTable('sessions')
        .set({ revoked_at: sql`coalesce(revoked_at, now())` })
        .where('app_id', '=', appId)
        .where('user_id', '=', userId)
        .where('id', '=', sessionId)
        .returning('id')
        .execute()
      if (rows.length === 0) throw notFound('session')
      await closeSockets(trx)
    })
    await afterCommit(ctx, () => markSessionRevoked(ctx, sessionId))
    return { revokedSessions: 1 }
  }
  const { rows, gen } = await transact(ctx, async (trx) => {
    const user = await trx
      .updateTable('users')
      .set({ token_generation: sql`token_generation + 1` })
      .where('app_id', '=', appId)
      .where('id', '=', userId)
      .returning('token_generation')
      .executeTakeFirst()
    if (!user) throw notFound('user')
    const rows = await trx
      .updateTable('sessions')
      .set({ revoked_at: sql`now()` })
      .where('app_id', '=', appId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute()
    await closeSockets(trx)
    return { rows, gen: user.token_generation as number }
  })
  await afterCommit(ctx, async () => {
    await ctx.cache.set(generationKey(appId, userId), gen, { ttlMs: 600_000 })
    await tokenState(ctx).invalidate({ kind: 'user', appId, userId })
    for (const row of rows) await markSessionRevoked(ctx, row.id)
  })
  return { revokedSessions: rows.length }
}

/** A fresh connection token for an authenticated user (the realtime client's getToken). */
export async function mintConnectionToken(ctx: ChatContext, auth: VerifiedUserToken): Promise<string> {
  await assertNotAppBanned(ctx, auth.appId, auth.userId)
  if (ctx.connectionTokenSigner) return ctx.connectionTokenSigner(auth.appId, auth.userId)
  const generation = await currentGeneration(ctx, auth.appId, auth.userId)
  return sign(
    ctx,
    auth.appId,
    auth.userId,
    auth.sessionId,
    generation ?? 0,
    'connection',
    ctx.config.CONNECTION_TOKEN_TTL_SECONDS,
  )
}

export function verifyAccessToken(ctx: ChatContext, token: string): Promise<VerifiedUserToken> {
  return verifyUserToken(ctx, token, 'access')
}

/**
 * Verifies a Centrifugo-style connection JWT (`sub` = user id). The key, and with it the app, is
 * found by the header `kid`; when `appId` is given the token must belong to it. Throws a 401
 * problem when the token is invalid, expired or revoked. The realtime gateway calls this.
 */
export function verifyConnectionToken(
  ctx: ChatContext,
  token: string,
  appId?: string,
): Promise<VerifiedUserToken> {
  return verifyUserToken(ctx, token, 'connection', appId)
}

async function verifyUserToken(
  ctx: ChatContext,
  token: string,
  use: TokenUse,
  expectedApp?: string,
): Promise<VerifiedUserToken> {
  let kid: string | undefined
  try {
    kid = decodeProtectedHeader(token).kid
  } catch {
    throw unauthorized('invalid_token', 'token is not a JWT')
  }
  // the usual request finds its key, its claims and its token state in this process's memory:
  // no await (each one is a promise, and with the request context's async hooks, not a free one)
  const key = kid && isUuid(kid) ? (signingKeyHere(ctx, kid) ?? (await signingKeyById(ctx, kid))) : undefined
  if (!key || (expectedApp && key.appId !== expectedApp))
    throw unauthorized('invalid_token', 'token signed by an unknown key')
  const claims =
    knownClaims(ctx, token, key.secret, use) ?? (await checkSignature(ctx, token, key.secret, use))
  const { sub, sid, gen, exp } = claims
  // the generation and the session from this node's memory when it accepted them just now, else
  // from the shared cache (both at once: one round trip with Redis' auto-pipelining)
  const state = tokenState(ctx)
  const generationKnown = state.generationIs(key.appId, sub, gen)
  const sessionKnown = state.sessionLive(sid)
  if (!generationKnown || !sessionKnown) {
    const epoch = state.begin()
    const [generation, revoked] = await Promise.all([
      generationKnown ? gen : currentGeneration(ctx, key.appId, sub),
      sessionKnown ? false : sessionRevoked(ctx, key.appId, sid),
    ])
    if (generation === undefined || generation !== gen || revoked)
      throw unauthorized('token_revoked', 'token was revoked')
    if (!generationKnown) state.rememberGeneration(key.appId, sub, gen, epoch)
    if (!sessionKnown) state.rememberLiveSession(sid, epoch)
  }
  return { appId: key.appId, userId: sub, sessionId: sid, expiresAt: exp }
}

// Per app, keyed by its shared cache: the transaction-bound copies of a context share it too.
const tokenStates = new WeakMap<Cache, TokenStateCache>()

/** This app's token-state near-cache, subscribed to invalidations on first use. */
function tokenState(ctx: ChatContext): TokenStateCache {
  let state = tokenStates.get(ctx.cache)
  if (!state) {
    state = new TokenStateCache(ctx.cache)
    tokenStates.set(ctx.cache, state)
  }
  return state
}

/** Subscribes this context to token-state invalidations (app start-up), so the near-cache works from the first request. */
export async function openTokenState(ctx: ChatContext): Promise<void> {
  await tokenState(ctx).ready()
}

/** Ends the token-state subscription of this context (the app's onClose, before the cache closes). */
export async function closeTokenState(ctx: ChatContext): Promise<void> {
  await tokenStates.get(ctx.cache)?.close()
}

const verifiedTokens = new WeakMap<Cache, VerifiedTokens>()

function memoOf(ctx: ChatContext): VerifiedTokens {
  let memo = verifiedTokens.get(ctx.cache)
  if (!memo) {
    memo = new VerifiedTokens()
    verifiedTokens.set(ctx.cache, memo)
  }
  return memo
}

/** The token's claims from the verified-token memo (expiry and use rechecked); undefined when not there. */
function knownClaims(
  ctx: ChatContext,
  token: string,
  secret: KeyObject,
  use: TokenUse,
): VerifiedClaims | undefined {
  const memo = memoOf(ctx)
  const known = memo.get(token, secret)
  if (!known) return undefined
  // what jwtVerify would say for this token now: same expiry rule (exp <= now is expired)
  if (known.exp <= Math.floor(Date.now() / 1000)) {
    memo.delete(token)
    throw unauthorized('token_expired', 'token has expired')
  }
  if (known.use !== use) throw unauthorized('invalid_token', `not a ${use} token`)
  return known
}

/** The token's claims by checking its signature; remembered in the memo. */
async function checkSignature(
  ctx: ChatContext,
  token: string,
  secret: KeyObject,
  use: TokenUse,
): Promise<VerifiedClaims> {
  const memo = memoOf(ctx)
  let claims: Record<string, unknown>
  try {
    ;({ payload: claims } = await jwtVerify(token, secret, { algorithms: ['HS256'] }))
  } catch (error) {
    const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED'
    throw unauthorized(
      expired ? 'token_expired' : 'invalid_token',
      expired ? 'token has expired' : 'token signature is invalid',
    )
  }
  const { sub, sid, gen, use: claimedUse, exp } = claims
  if (
    claimedUse !== use ||
    typeof sub !== 'string' ||
    typeof sid !== 'string' ||
    typeof gen !== 'number' ||
    typeof exp !== 'number'
  ) {
    throw unauthorized('invalid_token', `not a ${use} token`)
  }
  const verified = { secret, sub, sid, gen, use, exp }
  memo.set(token, verified)
  return verified
}

async function issue(
  ctx: ChatContext,
  appId: string,
  userId: string,
  sessionId: string,
  generation: number,
  refreshSecret: string,
): Promise<TokenSet> {
  const ttl = ctx.config.ACCESS_TOKEN_TTL_SECONDS
  const [accessToken, connectionToken] = await Promise.all([
    sign(ctx, appId, userId, sessionId, generation, 'access', ttl),
    ctx.connectionTokenSigner
      ? ctx.connectionTokenSigner(appId, userId)
      : sign(
          ctx,
          appId,
          userId,
          sessionId,
          generation,
          'connection',
          ctx.config.CONNECTION_TOKEN_TTL_SECONDS,
        ),
  ])
  return {
    accessToken,
    refreshToken: `rt_${sessionId}.${refreshSecret}`,
    connectionToken,
    expiresIn: ttl,
    sessionId,
  }
}

async function sign(
  ctx: ChatContext,
  appId: string,
  userId: string,
  sessionId: string,
  generation: number,
  use: TokenUse,
  ttlSeconds: number,
): Promise<string> {
  const key = await activeSigningKey(ctx, appId)
  return new SignJWT({ app: appId, sid: sessionId, gen: generation, use })
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key.secret)
}

const generationKey = (appId: string, userId: string) => `chat:tokgen:${appId}:${userId}`
const sessionKey = (sessionId: string) => `chat:sessrev:${sessionId}`

/** The user's token generation, or undefined when the user no longer exists. */
async function currentGeneration(
  ctx: ChatContext,
  appId: string,
  userId: string,
): Promise<number | undefined> {
  const cached = await ctx.cache.get<number | null>(generationKey(appId, userId))
  if (cached !== undefined) {
    ctx.metrics.cacheHits.inc({ cache: 'token_generation' })
    return cached ?? undefined
  }
  ctx.metrics.cacheMisses.inc({ cache: 'token_generation' })
  const row = await ctx.db
    .selectFrom('users')
    .select('token_generation')
    .where('app_id', '=', appId)
    .where('id', '=', userId)
    .executeTakeFirst()
  const value = row ? row.token_generation : null
  await ctx.cache.set(generationKey(appId, userId), value, { ttlMs: 600_000 })
  return value ?? undefined
}

async function sessionRevoked(ctx: ChatContext, appId: string, sessionId: string): Promise<boolean> {
  const cached = await ctx.cache.get<boolean>(sessionKey(sessionId))
  if (cached !== undefined) {
    ctx.metrics.cacheHits.inc({ cache: 'session' })
    return cached
  }
  ctx.metrics.cacheMisses.inc({ cache: 'session' })
  if (!isUuid(sessionId)) return true
  const row = await ctx.db
    .selectFrom('sessions')
    .select('revoked_at')
    .where('app_id', '=', appId)
    .where('id', '=', sessionId)
    .executeTakeFirst()
  const revoked = !row || row.revoked_at !== null
  await ctx.cache.set(sessionKey(sessionId), revoked, { ttlMs: 600_000 })
  return revoked
}

async function markSessionRevoked(ctx: ChatContext, sessionId: string): Promise<void> {
  await ctx.cache.set(sessionKey(sessionId), true, { ttlMs: 600_000 })
  await tokenState(ctx).invalidate({ kind: 'session', sessionId })
}

/** Called when a user is deleted, so their cached generation stops validating tokens. */
export async function forgetUserTokens(ctx: ChatContext, appId: string, userId: string): Promise<void> {
  await ctx.cache.set(generationKey(appId, userId), null, { ttlMs: 600_000 })
  await tokenState(ctx).invalidate({ kind: 'user', appId, userId })
}

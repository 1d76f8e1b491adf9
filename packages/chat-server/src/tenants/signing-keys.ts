import { createSecretKey, type KeyObject } from 'node:crypto'
import { sql } from 'kysely'
import { nearCacheFor } from '../access/near-cache.js'
import type { ChatContext } from '../shared/context.js'
import { randomToken } from '../shared/crypto.js'
import { uuidv7 } from '../shared/ids.js'
import { afterCommit, transact } from '../shared/transaction.js'

/**
 * Each app signs its users' tokens (access, connection) with its own HMAC key; the JWT `kid` is the
 * key id, so a verifier finds the key, and therefore the app, from the token alone. Rotation adds
 * a key and retires the old one, which keeps verifying until the tokens it signed have expired.
 */
export interface SigningKey {
  kid: string
  appId: string
  secret: KeyObject
  retired: boolean
}

interface CachedSigningKey {
  appId: string
  secret: string
  retired: boolean
}

const keyObjects = new Map<string, KeyObject>()

/**
 * jose imports a raw secret into a key on every sign/verify; building the KeyObject once per
 * secret takes that off the request path. Secrets are few (one or two per app).
 */
function secretKeyOf(secret: string): KeyObject {
  let key = keyObjects.get(secret)
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'))
    keyObjects.set(secret, key)
  }
  return key
}

const byKid = (kid: string) => `chat:sigkey:${kid}`
const activeOf = (appId: string) => `chat:sigkey-active:${appId}`

export async function createSigningKey(ctx: ChatContext, appId: string): Promise<string> {
  const kid = uuidv7()
  await ctx.db
    .insertInto('signing_keys')
    .values({ app_id: appId, id: kid, secret: randomToken(32) })
    .execute()
  return kid
}

export async function rotateSigningKey(ctx: ChatContext, appId: string): Promise<{ kid: string }> {
  const kid = await transact(ctx, async (trx) => {
    const retired = await trx
      .updateTable('signing_keys')
      .set({ retired_at: sql`now()` })
      .where('app_id', '=', appId)
      .where('retired_at', 'is', null)
      .returning('id')
      .execute()
    const next = uuidv7()
    await trx
      .insertInto('signing_keys')
      .values({ app_id: appId, id: next, secret: randomToken(32) })
      .execute()
    return { next, retired: retired.map((row) => row.id) }
  })
  await afterCommit(ctx, () => forgetSigningKeys(ctx, appId, kid.retired))
  return { kid: kid.next }
}

/**
 * Drops the app's active-key pointer and the given keys from the shared cache and this process's
 * memory (rotation: the retired keys; app deletion: all of them). Other processes drop a key from
 * their memory within its 5 s there.
 */
export async function forgetSigningKeys(ctx: ChatContext, appId: string, kids: string[]): Promise<void> {
  await ctx.cache.del(activeOf(appId))
  for (const kid of kids) {
    keysHere(ctx).delete(kid)
    await ctx.cache.del(byKid(kid))
  }
}

export async function activeSigningKey(ctx: ChatContext, appId: string): Promise<SigningKey> {
  let kid = await ctx.cache.get<string>(activeOf(appId))
  if (!kid) {
    const row = await ctx.db
      .selectFrom('signing_keys')
      .select('id')
      .where('app_id', '=', appId)
      .where('retired_at', 'is', null)
      .orderBy('id', 'desc')
      .executeTakeFirst()
    kid = row ? row.id : await createSigningKey(ctx, appId)
    await ctx.cache.set(activeOf(appId), kid, { ttlMs: 300_000 })
  }
  const key = await signingKeyById(ctx, kid)
  if (!key) throw new Error(`signing key ${kid} vanished`)
  return key
}

/**
 * Keys never change under their kid (rotation adds a new kid; a retired key keeps verifying), so
 * each process also remembers found keys for a few seconds: no shared-cache round trip per request.
 */
const keysHere = nearCacheFor<CachedSigningKey>(5000)

/**
 * The key when this process remembers it, without a promise (the token check on every request
 * takes this path); undefined means "ask signingKeyById", not "no such key".
 */
export function signingKeyHere(ctx: ChatContext, kid: string): SigningKey | undefined {
  const cached = keysHere(ctx).get(kid)
  if (cached === undefined) return undefined
  ctx.metrics.cacheHits.inc({ cache: 'signing_key' })
  return { kid, appId: cached.appId, secret: secretKeyOf(cached.secret), retired: cached.retired }
}

export async function signingKeyById(ctx: ChatContext, kid: string): Promise<SigningKey | undefined> {
  let cached: CachedSigningKey | null | undefined = keysHere(ctx).get(kid)
  if (cached === undefined) {
    cached = await ctx.cache.get<CachedSigningKey | null>(byKid(kid))
    if (cached === undefined) {
      ctx.metrics.cacheMisses.inc({ cache: 'signing_key' })
      const row = await ctx.db.selectFrom('signing_keys').selectAll().where('id', '=', kid).executeTakeFirst()
      cached = row ? { appId: row.app_id, secret: row.secret, retired: row.retired_at !== null } : null
      await ctx.cache.set(byKid(kid), cached, { ttlMs: 300_000 })
    } else {
      ctx.metrics.cacheHits.inc({ cache: 'signing_key' })
    }
    if (cached) keysHere(ctx).set(kid, cached)
  } else {
    ctx.metrics.cacheHits.inc({ cache: 'signing_key' })
  }
  if (!cached) return undefined
  return {
    kid,
    appId: cached.appId,
    secret: secretKeyOf(cached.secret),
    retired: cached.retired,
  }
}

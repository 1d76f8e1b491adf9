import { apiKeyId, generateApiKey, verifyApiKey } from '@platform/service-kit/auth'
import { sql } from 'kysely'
import type { ChatContext } from '../shared/context.js'
import type { Row } from '../shared/database.js'
import { uuidv7 } from '../shared/ids.js'
import { notFound } from '../shared/problems.js'
import { iso, isoOrNull } from '../shared/time.js'
import { afterCommit } from '../shared/transaction.js'

/**
 * Server-side API keys come from the kit (`chat_<43 base62>`). The public lookup id (stored in
 * `prefix`) finds the row; only the SHA-256 of the whole key is stored, compared in constant time.
 */
export interface ApiKeyRecord {
  id: string
  name: string
  prefix: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

interface CachedKey {
  appId: string
  keyId: string
  hash: string
  revoked: boolean
}

const cacheKey = (prefix: string) => `chat:apikey:${prefix}`

export async function createApiKey(
  ctx: ChatContext,
  appId: string,
  name: string,
): Promise<{ key: ApiKeyRecord; apiKey: string }> {
  const generated = generateApiKey('chat')
  const row = await ctx.db
    .insertInto('api_keys')
    .values({ app_id: appId, id: uuidv7(), name, prefix: generated.id, secret_hash: generated.hash })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { key: toRecord(row), apiKey: generated.key }
}

export async function listApiKeys(ctx: ChatContext, appId: string): Promise<ApiKeyRecord[]> {
  const rows = await ctx.db
    .selectFrom('api_keys')
    .selectAll()
    .where('app_id', '=', appId)
    .orderBy('id')
    .execute()
  return rows.map(toRecord)
}

export async function revokeApiKey(ctx: ChatContext, appId: string, keyId: string): Promise<ApiKeyRecord> {
  const row = await ctx.db
    .updateTable('api_keys')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('app_id', '=', appId)
    .where('id', '=', keyId)
    .returningAll()
    .executeTakeFirst()
  if (!row) throw notFound('api_key')
  await afterCommit(ctx, () => ctx.cache.del(cacheKey(row.prefix)))
  return toRecord(row)
}

/** Drops the cached lookups of these keys (app deletion), so they stop authenticating at once. */
export async function forgetApiKeys(ctx: ChatContext, prefixes: string[]): Promise<void> {
  for (const prefix of prefixes) await ctx.cache.del(cacheKey(prefix))
}

/** Resolves a presented key to its app, or undefined when unknown, malformed or revoked. */
export async function authenticateApiKey(
  ctx: ChatContext,
  presented: string,
): Promise<{ appId: string; keyId: string } | undefined> {
  const prefix = apiKeyId(presented)
  if (!prefix?.startsWith('chat_')) return undefined
  let cached = await ctx.cache.get<CachedKey | null>(cacheKey(prefix))
  if (cached === undefined) {
    ctx.metrics.cacheMisses.inc({ cache: 'api_key' })
    const row = await ctx.db
      .selectFrom('api_keys')
      .selectAll()
      .where('prefix', '=', prefix)
      .executeTakeFirst()
    cached = row
      ? { appId: row.app_id, keyId: row.id, hash: row.secret_hash, revoked: row.revoked_at !== null }
      : null
    await ctx.cache.set(cacheKey(prefix), cached, { ttlMs: 60_000 })
  } else {
    ctx.metrics.cacheHits.inc({ cache: 'api_key' })
  }
  if (!cached || cached.revoked || !verifyApiKey(presented, cached.hash)) return undefined
  return { appId: cached.appId, keyId: cached.keyId }
}

function toRecord(row: Row<'api_keys'>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: iso(row.created_at),
    lastUsedAt: isoOrNull(row.last_used_at),
    revokedAt: isoOrNull(row.revoked_at),
  }
}

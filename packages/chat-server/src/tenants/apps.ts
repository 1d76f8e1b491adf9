import { sql } from 'kysely'
import { nearCacheFor } from '../access/near-cache.js'
import type { ChatContext } from '../shared/context.js'
import type { Row } from '../shared/database.js'
import { uuidv7 } from '../shared/ids.js'
import { notFound } from '../shared/problems.js'
import { iso } from '../shared/time.js'
import { afterCommit, transact } from '../shared/transaction.js'
import { createApiKey, forgetApiKeys } from './api-keys.js'
import { createSigningKey, forgetSigningKeys } from './signing-keys.js'

/** Per-app behaviour the customer controls. */
export interface AppSettings {
  /** Profanity filter: off, mask matched words with *, or reject the message. */
  profanity?: 'off' | 'mask' | 'reject'
  /** Messages older than this many days are purged by the retention job; unset keeps forever. */
  retentionDays?: number
}

export interface ChatApp {
  id: string
  name: string
  settings: AppSettings & Record<string, unknown>
  createdAt: string
}

export async function createChatApp(
  ctx: ChatContext,
  name: string,
): Promise<{ app: ChatApp; apiKey: string }> {
  const id = uuidv7()
  return transact(ctx, async (trx) => {
    const row = await trx.insertInto('apps').values({ id, name }).returningAll().executeTakeFirstOrThrow()
    const { apiKey } = await createApiKey({ ...ctx, db: trx }, id, 'default')
    await createSigningKey({ ...ctx, db: trx }, id)
    return { app: toApp(row), apiKey }
  })
}

export async function getChatApp(ctx: ChatContext, appId: string): Promise<ChatApp> {
  const row = await ctx.db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst()
  if (!row) throw notFound('app')
  return toApp(row)
}

export async function listChatApps(ctx: ChatContext): Promise<ChatApp[]> {
  const rows = await ctx.db.selectFrom('apps').selectAll().orderBy('id').execute()
  return rows.map(toApp)
}

/**
 * Deletes the app and all its rows, then the cached lookups of its keys: its API keys and user
 * tokens stop authenticating at once on this process, and within 5 s on the others (their
 * in-memory signing keys).
 */
export async function deleteChatApp(ctx: ChatContext, appId: string): Promise<void> {
  const removed = await transact(ctx, async (trx) => {
    const kids = await trx.selectFrom('signing_keys').select('id').where('app_id', '=', appId).execute()
    const keys = await trx.selectFrom('api_keys').select('prefix').where('app_id', '=', appId).execute()
    const result = await trx.deleteFrom('apps').where('id', '=', appId).executeTakeFirst()
    if (result.numDeletedRows === 0n) throw notFound('app')
    return { kids: kids.map((row) => row.id), prefixes: keys.map((row) => row.prefix) }
  })
  await afterCommit(ctx, async () => {
    await forgetSettings(ctx, appId)
    await forgetSigningKeys(ctx, appId, removed.kids)
    await forgetApiKeys(ctx, removed.prefixes)
  })
}

export async function updateAppSettings(
  ctx: ChatContext,
  appId: string,
  patch: AppSettings,
): Promise<ChatApp> {
  const row = await ctx.db
    .updateTable('apps')
    .set({ settings: sql`settings || ${JSON.stringify(patch)}::jsonb`, updated_at: sql`now()` })
    .where('id', '=', appId)
    .returningAll()
    .executeTakeFirst()
  if (!row) throw notFound('app')
  await afterCommit(ctx, () => forgetSettings(ctx, appId))
  return toApp(row)
}

async function forgetSettings(ctx: ChatContext, appId: string): Promise<void> {
  settingsHere(ctx).delete(appId)
  await ctx.cache.del(settingsKey(appId))
}

const settingsKey = (appId: string) => `chat:app-settings:${appId}`

/**
 * Per process, settings are remembered for a second on top of the shared cache: a change made
 * through this process applies at once, one made through another process within a second. Saves a
 * Redis round trip per message send.
 */
const settingsHere = nearCacheFor<AppSettings>(1000)

/** Settings read on the send path, cached briefly. */
export async function appSettings(ctx: ChatContext, appId: string): Promise<AppSettings> {
  const local = settingsHere(ctx).get(appId)
  if (local) {
    ctx.metrics.cacheHits.inc({ cache: 'app_settings' })
    return local
  }
  const cached = await ctx.cache.get<AppSettings>(settingsKey(appId))
  if (cached) {
    ctx.metrics.cacheHits.inc({ cache: 'app_settings' })
    settingsHere(ctx).set(appId, cached)
    return cached
  }
  ctx.metrics.cacheMisses.inc({ cache: 'app_settings' })
  const app = await getChatApp(ctx, appId)
  await ctx.cache.set(settingsKey(appId), app.settings, { ttlMs: 30_000 })
  settingsHere(ctx).set(appId, app.settings)
  return app.settings
}

function toApp(row: Row<'apps'>): ChatApp {
  return {
    id: row.id,
    name: row.name,
    settings: typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings,
    createdAt: iso(row.created_at),
  }
}

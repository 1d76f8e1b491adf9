import { sql } from 'kysely'
import { nearCacheFor } from '../access/near-cache.js'
import type { ChatContext } from '../shared/context.js'
import type { Row } from '../shared/database.js'
import { notFound } from '../shared/problems.js'
import { iso, isoOrNull } from '../shared/time.js'

export interface UserInput {
  name: string
  image?: string | null | undefined
  custom?: Record<string, unknown> | undefined
  role?: 'user' | 'admin' | undefined
}

export interface ChatUser {
  id: string
  name: string
  image: string | null
  custom: Record<string, unknown>
  role: string
  lastActiveAt: string | null
  createdAt: string
  updatedAt: string
}

/** Inserts or updates one user; `created` tells the route whether to answer 201 or 200. */
export async function upsertUser(
  ctx: ChatContext,
  appId: string,
  userId: string,
  input: UserInput,
): Promise<{ user: ChatUser; created: boolean }> {
  const [result] = await upsertUsers(ctx, appId, [{ id: userId, ...input }])
  return result!
}

export async function upsertUsers(
  ctx: ChatContext,
  appId: string,
  users: (UserInput & { id: string })[],
): Promise<{ user: ChatUser; created: boolean }[]> {
  if (users.length === 0) return []
  // one statement cannot update the same row twice, so a repeated id keeps its last entry
  users = [...new Map(users.map((user) => [user.id, user])).values()]
  const rows = await ctx.db
    .insertInto('users')
    .values(
      users.map((user) => ({
        app_id: appId,
        id: user.id,
        name: user.name,
        image: user.image ?? null,
        custom: JSON.stringify(user.custom ?? {}),
        role: user.role ?? 'user',
      })),
    )
    .onConflict((oc) =>
      oc.columns(['app_id', 'id']).doUpdateSet({
        name: sql`excluded.name`,
        image: sql`excluded.image`,
        custom: sql`excluded.custom`,
        role: sql`excluded.role`,
        updated_at: sql`now()`,
      }),
    )
    // xmax = 0 only for a freshly inserted row version
    .returningAll()
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .execute()
  return rows.map((row) => ({ user: toUser(row), created: Boolean(row.inserted) }))
}

export async function getUser(ctx: ChatContext, appId: string, userId: string): Promise<ChatUser> {
  const row = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where('app_id', '=', appId)
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!row) throw notFound('user')
  return toUser(row)
}

/** The ids among `userIds` that are not users of the app (in the order given). */
export async function missingUsers(ctx: ChatContext, appId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return []
  const rows = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('app_id', '=', appId)
    .where('id', 'in', userIds)
    .execute()
  const known = new Set(rows.map((row) => row.id))
  return userIds.filter((id) => !known.has(id))
}

const touchedHere = nearCacheFor<true>(60_000)

/**
 * Records activity at most once a minute per user (feeds the active-users gauges). Each process
 * also remembers whom it touched, so a busy user costs one shared-cache call a minute, not one a
 * request, and no promise at all (undefined) when there is nothing to record.
 */
export function touchUser(ctx: ChatContext, appId: string, userId: string): Promise<void> | undefined {
  const local = touchedHere(ctx)
  const key = `${appId}:${userId}`
  if (local.get(key)) return undefined
  local.set(key, true)
  return recordActivity(ctx, appId, userId)
}

async function recordActivity(ctx: ChatContext, appId: string, userId: string): Promise<void> {
  const fresh = await ctx.cache.set(`chat:active:${appId}:${userId}`, 1, { ttlMs: 60_000, ifAbsent: true })
  if (!fresh) return
  await ctx.db
    .updateTable('users')
    .set({ last_active_at: sql`now()` })
    .where('app_id', '=', appId)
    .where('id', '=', userId)
    .execute()
}

export async function countActiveUsers(ctx: ChatContext, windowSeconds: number): Promise<number> {
  const row = await sql<{ n: string }>`
    select count(*)::text as n from users where last_active_at > now() - make_interval(secs => ${windowSeconds})`.execute(
    ctx.db,
  )
  return Number(row.rows[0]?.n ?? 0)
}

export function toUser(row: Row<'users'>): ChatUser {
  return {
    id: row.id,
    name: row.name,
    image: row.image,
    custom: typeof row.custom === 'string' ? JSON.parse(row.custom) : row.custom,
    role: row.role,
    lastActiveAt: isoOrNull(row.last_active_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}

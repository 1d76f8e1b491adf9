import { sql } from 'kysely'
import type { AppPrincipal } from '../access/principal.js'
import { assertModerate, canModerate, channelAccess } from '../channels/access.js'
import { deleteMessage, messageWithAccess } from '../messages/messages.js'
import type { ChatContext } from '../shared/context.js'
import type { Row } from '../shared/database.js'
import { isUuid, uuidv7 } from '../shared/ids.js'
import { writeOutbox } from '../shared/outbox.js'
import { badRequest, conflict, forbidden, notFound } from '../shared/problems.js'
import { disconnectControl, unsubscribeControl } from '../shared/realtime-control.js'
import { chatChannelName, userChannelName } from '../shared/realtime-names.js'
import { iso, isoOrNull } from '../shared/time.js'
import { transact } from '../shared/transaction.js'

/** App-wide moderation is for backends and app-level admin users. */
async function assertAppModerator(ctx: ChatContext, who: AppPrincipal) {
  if (who.kind === 'server') return
  const user = await ctx.db
    .selectFrom('users')
    .select('role')
    .where('app_id', '=', who.appId)
    .where('id', '=', who.userId)
    .executeTakeFirst()
  if (user?.role !== 'admin') throw forbidden('app_admin_required', 'only an app admin may moderate app-wide')
}

async function assertUserExists(ctx: ChatContext, appId: string, userId: string) {
  const row = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('app_id', '=', appId)
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!row) throw notFound('user')
}

// ---- blocks ----------------------------------------------------------------------------------

export async function blockUser(ctx: ChatContext, who: AppPrincipal & { kind: 'user' }, userId: string) {
  if (userId === who.userId) throw badRequest('cannot_block_self', 'you cannot block yourself')
  await assertUserExists(ctx, who.appId, userId)
  await ctx.db
    .insertInto('blocks')
    .values({ app_id: who.appId, blocker_id: who.userId, blocked_id: userId })
    .onConflict((oc) => oc.doNothing())
    .execute()
  return listBlocks(ctx, who)
}

export async function unblockUser(ctx: ChatContext, who: AppPrincipal & { kind: 'user' }, userId: string) {
  const result = await ctx.db
    .deleteFrom('blocks')
    .where('app_id', '=', who.appId)
    .where('blocker_id', '=', who.userId)
    .where('blocked_id', '=', userId)
    .executeTakeFirst()
  if (result.numDeletedRows === 0n) throw notFound('block')
}

export async function listBlocks(ctx: ChatContext, who: AppPrincipal & { kind: 'user' }) {
  const rows = await ctx.db
    .selectFrom('blocks')
    .selectAll()
    .where('app_id', '=', who.appId)
    .where('blocker_id', '=', who.userId)
    .orderBy('created_at')
    .execute()
  return rows.map((row) => ({ userId: row.blocked_id, createdAt: iso(row.created_at) }))
}

// ---- bans and mutes ---------------------------------------------------------------------------

export interface BanInput {
  userId: string
  channelId?: string | undefined
  kind?: 'ban' | 'mute' | undefined
  reason?: string | undefined
  /** Omitted = until lifted. */
  durationSeconds?: number | undefined
}

export interface Ban {
  userId: string
  channelId: string | null
  kind: 'ban' | 'mute'
  reason: string | null
  createdBy: string | null
  expiresAt: string | null
  createdAt: string
}

/** Bans or mutes a user app-wide (app admins, backends) or in one channel (its moderators). */
export async function banUser(ctx: ChatContext, who: AppPrincipal, input: BanInput): Promise<Ban> {
  if (input.channelId) assertModerate(await channelAccess(ctx, who, input.channelId))
  else await assertAppModerator(ctx, who)
  await assertUserExists(ctx, who.appId, input.userId)
  if (who.kind === 'user' && who.userId === input.userId)
    throw badRequest('cannot_ban_self', 'you cannot ban yourself')
  const kind = input.kind ?? 'ban'
  const expiresAt = input.durationSeconds ? new Date(Date.now() + input.durationSeconds * 1000) : null
  return transact(ctx, async (trx) => {
    const row = await trx
      .insertInto('bans')
      .values({
        app_id: who.appId,
        user_id: input.userId,
        channel_id: input.channelId ?? '',
        kind,
        reason: input.reason ?? null,
        created_by: who.kind === 'user' ? who.userId : null,
        expires_at: expiresAt,
      })
      .onConflict((oc) =>
        oc.columns(['app_id', 'user_id', 'channel_id', 'kind']).doUpdateSet({
          reason: sql`excluded.reason`,
          created_by: sql`excluded.created_by`,
          expires_at: sql`excluded.expires_at`,
          created_at: sql`now()`,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow()
    const ban = toBan(row)
    await writeOutbox(trx, [
      {
        appId: who.appId,
        channel: input.channelId
          ? chatChannelName(who.appId, input.channelId)
          : userChannelName(who.appId, input.userId),
        type: kind === 'ban' ? 'user.banned' : 'user.muted',
        payload: { ban },
      },
      // A ban takes reading away too: the banned user's live sessions lose the channel, or the app.
      ...(kind !== 'ban'
        ? []
        : input.channelId
          ? [unsubscribeControl(who.appId, input.userId, input.channelId)]
          : [disconnectControl(who.appId, input.userId, 'banned')]),
    ])
    return ban
  })
}

export async function unbanUser(
  ctx: ChatContext,
  who: AppPrincipal,
  input: { userId: string; channelId?: string | undefined; kind?: 'ban' | 'mute' | undefined },
) {
  if (input.channelId) assertModerate(await channelAccess(ctx, who, input.channelId))
  else await assertAppModerator(ctx, who)
  const kind = input.kind ?? 'ban'
  await transact(ctx, async (trx) => {
    const result = await trx
      .deleteFrom('bans')
      .where('app_id', '=', who.appId)
      .where('user_id', '=', input.userId)
      .where('channel_id', '=', input.channelId ?? '')
      .where('kind', '=', kind)
      .executeTakeFirst()
    if (result.numDeletedRows === 0n) throw notFound('ban')
    await writeOutbox(trx, [
      {
        appId: who.appId,
        channel: input.channelId
          ? chatChannelName(who.appId, input.channelId)
          : userChannelName(who.appId, input.userId),
        type: kind === 'ban' ? 'user.unbanned' : 'user.unmuted',
        payload: { userId: input.userId, channelId: input.channelId ?? null },
      },
    ])
  })
}

export async function listBans(ctx: ChatContext, who: AppPrincipal, channelId?: string): Promise<Ban[]> {
  if (channelId) assertModerate(await channelAccess(ctx, who, channelId))
  else await assertAppModerator(ctx, who)
  const { rows } = await sql<Row<'bans'>>`
    select * from bans where app_id = ${who.appId}
      and (${channelId ?? null}::text is null or channel_id = ${channelId ?? null})
      and (expires_at is null or expires_at > now())
    order by created_at desc limit 500`.execute(ctx.db)
  return rows.map(toBan)
}

function toBan(row: Row<'bans'>): Ban {
  return {
    userId: row.user_id,
    channelId: row.channel_id === '' ? null : row.channel_id,
    kind: row.kind,
    reason: row.reason,
    createdBy: row.created_by,
    expiresAt: isoOrNull(row.expires_at),
    createdAt: iso(row.created_at),
  }
}

// ---- flags and the review queue ---------------------------------------------------------------

export interface Flag {
  id: string
  messageId: string
  channelId: string
  reporterId: string | null
  reason: string | null
  status: 'open' | 'resolved' | 'dismissed'
  action: string | null
  reviewedBy: string | null
  reviewedAt: string | null
  createdAt: string
}

/** Anyone who can read a message may report it once. */
export async function flagMessage(
  ctx: ChatContext,
  who: AppPrincipal,
  messageId: string,
  reason?: string,
): Promise<Flag> {
  const { row } = await messageWithAccess(ctx, who, messageId)
  try {
    const flag = await ctx.db
      .insertInto('flags')
      .values({
        app_id: who.appId,
        id: uuidv7(),
        message_id: messageId,
        channel_id: row.channel_id,
        reporter_id: who.kind === 'user' ? who.userId : null,
        reason: reason ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toFlag(flag)
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw conflict('already_flagged', 'you already reported this message')
    throw error
  }
}

/** The review queue: app moderators see everything, channel moderators their channels. */
export async function listFlags(
  ctx: ChatContext,
  who: AppPrincipal,
  status: Flag['status'],
  limit: number,
): Promise<Flag[]> {
  let appWide = who.kind === 'server'
  if (who.kind === 'user') {
    const user = await ctx.db
      .selectFrom('users')
      .select('role')
      .where('app_id', '=', who.appId)
      .where('id', '=', who.userId)
      .executeTakeFirst()
    appWide = user?.role === 'admin'
  }
  const viewer = who.kind === 'user' ? who.userId : null
  const { rows } = await sql<Row<'flags'>>`
    select f.* from flags f where f.app_id = ${who.appId} and f.status = ${status}
      and (${appWide} or exists (select 1 from members m where m.app_id = f.app_id and m.channel_id = f.channel_id
                                 and m.user_id = ${viewer} and m.role in ('owner', 'moderator')))
    order by f.created_at limit ${limit}`.execute(ctx.db)
  return rows.map(toFlag)
}

export type ReviewAction = 'dismiss' | 'resolve' | 'delete_message' | 'ban_user'

/** Applies a review decision; delete_message hard-deletes, ban_user bans the author in the channel. */
export async function reviewFlag(
  ctx: ChatContext,
  who: AppPrincipal,
  flagId: string,
  input: { action: ReviewAction; banDurationSeconds?: number | undefined; reason?: string | undefined },
): Promise<Flag> {
  if (!isUuid(flagId)) throw notFound('flag')
  const flag = await ctx.db
    .selectFrom('flags')
    .selectAll()
    .where('app_id', '=', who.appId)
    .where('id', '=', flagId)
    .executeTakeFirst()
  if (!flag) throw notFound('flag')
  const access = await channelAccess(ctx, who, flag.channel_id)
  if (!canModerate(access)) throw notFound('flag')
  if (input.action === 'ban_user' || input.action === 'delete_message') {
    const message = await ctx.db
      .selectFrom('messages')
      .select(['user_id'])
      .where('app_id', '=', who.appId)
      .where('id', '=', flag.message_id)
      .executeTakeFirst()
    if (input.action === 'ban_user') {
      if (!message?.user_id) throw conflict('author_unknown', 'the message has no author to ban')
      await banUser(ctx, who, {
        userId: message.user_id,
        channelId: flag.channel_id,
        reason: input.reason ?? flag.reason ?? undefined,
        durationSeconds: input.banDurationSeconds,
      })
    } else if (message) {
      await deleteMessage(ctx, who, flag.message_id, true)
    }
  }
  const updated = await ctx.db
    .updateTable('flags')
    .set({
      status: input.action === 'dismiss' ? 'dismissed' : 'resolved',
      action: input.action,
      reviewed_by: who.kind === 'user' ? who.userId : null,
      reviewed_at: sql`now()`,
    })
    .where('app_id', '=', who.appId)
    .where(
      input.action === 'delete_message' ? 'message_id' : 'id',
      '=',
      input.action === 'delete_message' ? flag.message_id : flagId,
    )
    .returningAll()
    .execute()
  return toFlag(updated.find((row) => row.id === flagId) ?? flag)
}

function toFlag(row: Row<'flags'>): Flag {
  return {
    id: row.id,
    messageId: row.message_id,
    channelId: row.channel_id,
    reporterId: row.reporter_id,
    reason: row.reason,
    status: row.status,
    action: row.action,
    reviewedBy: row.reviewed_by,
    reviewedAt: isoOrNull(row.reviewed_at),
    createdAt: iso(row.created_at),
  }
}

import { type Kysely, sql } from 'kysely'
import type { AppPrincipal } from '../access/principal.js'
import { assertNotAppBanned } from '../moderation/app-ban.js'
import { assertNoneBlocked } from '../moderation/blockers.js'
import { unreadCountOfMember } from '../reads/unread-count.js'
import type { ChatContext } from '../shared/context.js'
import type { ChatDatabase, Row } from '../shared/database.js'
import { uuidv7 } from '../shared/ids.js'
import { type OutboxEvent, writeOutbox } from '../shared/outbox.js'
import { badRequest, conflict, forbidden, notFound } from '../shared/problems.js'
import { historyRemoveControl, unsubscribeControl } from '../shared/realtime-control.js'
import { chatChannelName, userChannelName } from '../shared/realtime-names.js'
import { iso, isoOrNull } from '../shared/time.js'
import { transact } from '../shared/transaction.js'
import { missingUsers } from '../users/users.js'
import {
  assertModerate,
  assertNotArchived,
  assertOwner,
  assertRead,
  type ChannelType,
  channelAccess,
  isPublic,
  type MemberRole,
} from './access.js'

export interface Channel {
  id: string
  type: ChannelType
  name: string | null
  image: string | null
  custom: Record<string, unknown>
  createdBy: string | null
  lastSeq: number
  slowModeSeconds: number
  archivedAt: string | null
  lastMessageAt: string | null
  createdAt: string
  updatedAt: string
  realtimeChannel: string
}

export interface Member {
  userId: string
  role: MemberRole
  muted: boolean
  lastReadSeq: number
  joinedAt: string
}

export interface CreateChannelInput {
  type: ChannelType
  id?: string | undefined
  name?: string | undefined
  image?: string | undefined
  custom?: Record<string, unknown> | undefined
  members: string[]
  /** Owner when a backend creates the channel. */
  createdBy?: string | undefined
}

export async function createChannel(
  ctx: ChatContext,
  who: AppPrincipal,
  input: CreateChannelInput,
): Promise<{ channel: Channel; members: Member[]; created: boolean }> {
  const appId = who.appId
  const creator = who.kind === 'user' ? who.userId : (input.createdBy ?? input.members[0])
  if (!creator)
    throw badRequest('members_required', 'a channel created by a backend needs createdBy or members')
  const memberIds = [...new Set([creator, ...input.members])]
  const missing = await missingUsers(ctx, appId, memberIds)
  if (missing.length > 0) throw badRequest('unknown_users', `unknown users: ${missing.join(', ')}`)
  await assertNotBanned(ctx, appId, creator, who)
  // A user cannot pull someone who blocked them into any private conversation (a backend can).
  if (who.kind === 'user' && !isPublic(input.type)) await assertNoneBlocked(ctx, appId, creator, memberIds)

  let directKey: string | null = null
  if (input.type === 'direct') {
    if (memberIds.length !== 2)
      throw badRequest('direct_needs_two', 'a direct channel has exactly two members')
    directKey = [...memberIds].sort().join('|')
    const [a, b] = memberIds as [string, string]
    const blocked = await ctx.db
      .selectFrom('blocks')
      .select('blocker_id')
      .where('app_id', '=', appId)
      .where((eb) =>
        eb.or([
          eb.and([eb('blocker_id', '=', a), eb('blocked_id', '=', b)]),
          eb.and([eb('blocker_id', '=', b), eb('blocked_id', '=', a)]),
        ]),
      )
      .execute()
    if (blocked.some((row) => row.blocker_id !== creator))
      throw forbidden('blocked', 'this user does not accept your messages')
    const existing = await ctx.db
      .selectFrom('channels')
      .select('id')
      .where('app_id', '=', appId)
      .where('direct_key', '=', directKey)
      .executeTakeFirst()
    if (existing) return { ...(await readChannel(ctx, appId, existing.id as string)), created: false }
  }

  const channelId = input.id ?? uuidv7()
  try {
    await transact(ctx, async (trx) => {
      await trx
        .insertInto('channels')
        .values({
          app_id: appId,
          id: channelId,
          type: input.type,
          name: input.name ?? null,
          image: input.image ?? null,
          custom: JSON.stringify(input.custom ?? {}),
          created_by: creator,
          direct_key: directKey,
        })
        .execute()
      await trx
        .insertInto('members')
        .values(
          memberIds.map((userId) => ({
            app_id: appId,
            channel_id: channelId,
            user_id: userId,
            role: userId === creator && input.type !== 'direct' ? 'owner' : 'member',
          })),
        )
        .execute()
      await writeOutbox(trx, memberEvents(appId, channelId, 'member.added', memberIds, creator))
    })
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      if (directKey) {
        // Two creators raced on the same pair: the other one won, answer with its channel.
        const existing = await ctx.db
          .selectFrom('channels')
          .select('id')
          .where('app_id', '=', appId)
          .where('direct_key', '=', directKey)
          .executeTakeFirstOrThrow()
        return { ...(await readChannel(ctx, appId, existing.id as string)), created: false }
      }
      throw conflict('channel_exists', `channel ${channelId} already exists`)
    }
    throw error
  }
  return { ...(await readChannel(ctx, appId, channelId)), created: true }
}

async function assertNotBanned(ctx: ChatContext, appId: string, userId: string, who: AppPrincipal) {
  if (who.kind === 'server') return
  await assertNotAppBanned(ctx, appId, userId)
}

export async function getChannel(
  ctx: ChatContext,
  who: AppPrincipal,
  channelId: string,
): Promise<{ channel: Channel; members: Member[] }> {
  assertRead(await channelAccess(ctx, who, channelId))
  return readChannel(ctx, who.appId, channelId)
}

async function readChannel(ctx: ChatContext, appId: string, channelId: string) {
  const row = await ctx.db
    .selectFrom('channels')
    .selectAll()
    .where('app_id', '=', appId)
    .where('id', '=', channelId)
    .executeTakeFirst()
  if (!row) throw notFound('channel')
  const members = await ctx.db
    .selectFrom('members')
    .selectAll()
    .where('app_id', '=', appId)
    .where('channel_id', '=', channelId)
    .orderBy('joined_at')
    .orderBy('user_id')
    .execute()
  return { channel: toChannel(row), members: members.map(toMember) }
}

export interface ChannelListItem extends Channel {
  unreadCount: number
  role: MemberRole | null
}

/** The caller's channels (a backend: every channel), newest activity first, keyset-paged by id. */
export async function listChannels(
  ctx: ChatContext,
  who: AppPrincipal,
  options: { type?: ChannelType | undefined; limit: number; includePublic?: boolean | undefined },
): Promise<ChannelListItem[]> {
  const userId = who.kind === 'user' ? who.userId : null
  const { rows } = await sql<Row<'channels'> & { member_role: MemberRole | null; unread_count: number }>`
    select c.*, m.role as member_role,
      case when m.user_id is null then 0 else ${unreadCountOfMember} end as unread_count
    from channels c
    left join members m on m.app_id = c.app_id and m.channel_id = c.id and m.user_id = ${userId}
    where c.app_id = ${who.appId}
      and (${userId}::text is null or m.user_id is not null
           or (${options.includePublic ?? false} and c.type in ('team', 'livestream')))
      and (${options.type ?? null}::text is null or c.type = ${options.type ?? null})
    order by coalesce(c.last_message_at, c.created_at) desc, c.id
    limit ${options.limit}`.execute(ctx.db)
  return rows.map((row) => ({ ...toChannel(row), unreadCount: row.unread_count, role: row.member_role }))
}

export interface UpdateChannelInput {
  name?: string | null | undefined
  image?: string | null | undefined
  custom?: Record<string, unknown> | undefined
  slowModeSeconds?: number | undefined
}

export async function updateChannel(
  ctx: ChatContext,
  who: AppPrincipal,
  channelId: string,
  input: UpdateChannelInput,
): Promise<Channel> {
  const access = await channelAccess(ctx, who, channelId)
  // slow mode is a moderation tool; name, image and custom data belong to the owner
  if (input.name !== undefined || input.image !== undefined || input.custom !== undefined) assertOwner(access)
  else assertModerate(access)
  const set: Record<string, unknown> = { updated_at: sql`now()` }
  if (input.name !== undefined) set.name = input.name
  if (input.image !== undefined) set.image = input.image
  if (input.custom !== undefined) set.custom = JSON.stringify(input.custom)
  if (input.slowModeSeconds !== undefined) set.slow_mode_seconds = input.slowModeSeconds
  return changeChannel(ctx, who.appId, channelId, set)
}

export async function setArchived(ctx: ChatContext, who: AppPrincipal, channelId: string, archived: boolean) {
  assertOwner(await channelAccess(ctx, who, channelId))
  return changeChannel(ctx, who.appId, channelId, {
    archived_at: archived ? sql`now()` : null,
    updated_at: sql`now()`,
  })
}

async function changeChannel(
  ctx: ChatContext,
  appId: string,
  channelId: string,
  set: Record<string, unknown>,
) {
  return transact(ctx, async (trx) => {
    const row = await trx
      .updateTable('channels')
      .set(set)
      .where('app_id', '=', appId)
      .where('id', '=', channelId)
      .returningAll()
      .executeTakeFirstOrThrow()
    const channel = toChannel(row)
    await writeOutbox(trx, [
      { appId, channel: chatChannelName(appId, channelId), type: 'channel.updated', payload: { channel } },
    ])
    return channel
  })
}

export async function deleteChannel(ctx: ChatContext, who: AppPrincipal, channelId: string): Promise<void> {
  assertOwner(await channelAccess(ctx, who, channelId))
  await transact(ctx, async (trx) => {
    const members = await trx
      .selectFrom('members')
      .select('user_id')
      .where('app_id', '=', who.appId)
      .where('channel_id', '=', channelId)
      .execute()
    await trx.deleteFrom('channels').where('app_id', '=', who.appId).where('id', '=', channelId).execute()
    await writeOutbox(trx, [
      {
        appId: who.appId,
        channel: chatChannelName(who.appId, channelId),
        type: 'channel.deleted',
        payload: { channelId },
      },
      ...members.map((row) => ({
        appId: who.appId,
        channel: userChannelName(who.appId, row.user_id),
        type: 'channel.deleted',
        payload: { channelId },
      })),
      ...members.map((row) => unsubscribeControl(who.appId, row.user_id, channelId)),
      historyRemoveControl(who.appId, chatChannelName(who.appId, channelId)),
    ])
  })
}

/** Invite: owners and moderators; in group DMs any member. Server backends always. */
export async function addMembers(
  ctx: ChatContext,
  who: AppPrincipal,
  channelId: string,
  userIds: string[],
  role: MemberRole = 'member',
): Promise<Member[]> {
  const access = await channelAccess(ctx, who, channelId)
  if (access.type === 'direct') throw badRequest('direct_is_fixed', 'direct channels keep their two members')
  if (access.type === 'group' && access.isMember && role === 'member') assertRead(access)
  else assertModerate(access)
  if (role === 'owner' && !access.isServer) assertOwner(access)
  assertNotArchived(access)
  const ids = [...new Set(userIds)]
  const known = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('app_id', '=', who.appId)
    .where('id', 'in', ids)
    .execute()
  const missing = ids.filter((id) => !known.some((row) => row.id === id))
  if (missing.length > 0) throw badRequest('unknown_users', `unknown users: ${missing.join(', ')}`)
  if (who.kind === 'user') await assertNoneBlocked(ctx, who.appId, who.userId, ids)
  return insertMembers(ctx, who.appId, channelId, ids, role, access.userId)
}

/** Join a public channel (team, livestream) yourself. */
export async function joinChannel(ctx: ChatContext, who: AppPrincipal & { kind: 'user' }, channelId: string) {
  const access = await channelAccess(ctx, who, channelId)
  if (!isPublic(access.type)) throw notFound('channel')
  if (access.banned) throw forbidden('user_banned', 'you are banned from this channel')
  assertNotArchived(access)
  return insertMembers(ctx, who.appId, channelId, [who.userId], 'member', who.userId)
}

async function insertMembers(
  ctx: ChatContext,
  appId: string,
  channelId: string,
  userIds: string[],
  role: MemberRole,
  by: string | null,
): Promise<Member[]> {
  return transact(ctx, async (trx) => {
    const rows = await trx
      .insertInto('members')
      .values(userIds.map((userId) => ({ app_id: appId, channel_id: channelId, user_id: userId, role })))
      .onConflict((oc) => oc.columns(['app_id', 'channel_id', 'user_id']).doNothing())
      .returningAll()
      .execute()
    await writeOutbox(
      trx,
      memberEvents(
        appId,
        channelId,
        'member.added',
        rows.map((row) => row.user_id),
        by,
      ),
    )
    return rows.map(toMember)
  })
}

/** Remove a member (moderators) or leave (yourself). */
export async function removeMember(ctx: ChatContext, who: AppPrincipal, channelId: string, userId: string) {
  const access = await channelAccess(ctx, who, channelId)
  const self = who.kind === 'user' && who.userId === userId
  if (self) {
    if (!access.isMember) throw notFound('member')
  } else {
    assertModerate(access)
  }
  await transact(ctx, async (trx) => {
    const removed = await trx
      .deleteFrom('members')
      .where('app_id', '=', who.appId)
      .where('channel_id', '=', channelId)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst()
    if (!removed) throw notFound('member')
    if (removed.role === 'owner' && !self && !access.isServer && !access.isAppAdmin) {
      throw forbidden('owner_required', 'a moderator cannot remove the owner')
    }
    await writeOutbox(trx, [
      ...memberEvents(who.appId, channelId, 'member.removed', [userId], access.userId),
      // Anyone reads a public channel; from any other, the removed user's live sessions go too.
      ...(isPublic(access.type) ? [] : [unsubscribeControl(who.appId, userId, channelId)]),
    ])
  })
}

export async function setMemberRole(
  ctx: ChatContext,
  who: AppPrincipal,
  channelId: string,
  userId: string,
  role: MemberRole,
): Promise<Member> {
  assertOwner(await channelAccess(ctx, who, channelId))
  return transact(ctx, async (trx) => {
    const row = await trx
      .updateTable('members')
      .set({ role })
      .where('app_id', '=', who.appId)
      .where('channel_id', '=', channelId)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst()
    if (!row) throw notFound('member')
    const member = toMember(row)
    await writeOutbox(trx, [
      {
        appId: who.appId,
        channel: chatChannelName(who.appId, channelId),
        type: 'member.updated',
        payload: { channelId, member },
      },
    ])
    return member
  })
}

/** Mute the channel for yourself (no notifications); the flag is yours alone. */
export async function setChannelMuted(
  ctx: ChatContext,
  who: AppPrincipal & { kind: 'user' },
  channelId: string,
  muted: boolean,
) {
  const row = await ctx.db
    .updateTable('members')
    .set({ muted })
    .where('app_id', '=', who.appId)
    .where('channel_id', '=', channelId)
    .where('user_id', '=', who.userId)
    .returningAll()
    .executeTakeFirst()
  if (!row) throw notFound('channel')
  return toMember(row)
}

function memberEvents(
  appId: string,
  channelId: string,
  type: string,
  userIds: string[],
  by: string | null,
): OutboxEvent[] {
  return userIds.flatMap((userId) => [
    { appId, channel: chatChannelName(appId, channelId), type, payload: { channelId, userId, by } },
    { appId, channel: userChannelName(appId, userId), type, payload: { channelId, userId, by } },
  ])
}

export async function memberIds(
  db: Kysely<ChatDatabase>,
  appId: string,
  channelId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('members')
    .select('user_id')
    .where('app_id', '=', appId)
    .where('channel_id', '=', channelId)
    .execute()
  return rows.map((row) => row.user_id)
}

export function toChannel(row: Row<'channels'>): Channel {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    image: row.image,
    custom: typeof row.custom === 'string' ? JSON.parse(row.custom) : row.custom,
    createdBy: row.created_by,
    lastSeq: Number(row.last_seq),
    slowModeSeconds: row.slow_mode_seconds,
    archivedAt: isoOrNull(row.archived_at),
    lastMessageAt: isoOrNull(row.last_message_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    realtimeChannel: chatChannelName(row.app_id, row.id),
  }
}

export function toMember(row: Row<'members'>): Member {
  return {
    userId: row.user_id,
    role: row.role,
    muted: row.muted,
    lastReadSeq: Number(row.last_read_seq),
    joinedAt: iso(row.joined_at),
  }
}

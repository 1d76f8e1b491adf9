import type { AppPrincipal } from '../access/principal.js'
import { assertWrite, channelAccess } from '../channels/access.js'
import type { ChatContext } from '../shared/context.js'
import { writeOutbox } from '../shared/outbox.js'
import { chatChannelName } from '../shared/realtime-names.js'

/**
 * Typing and presence are ephemeral for clients, but the API still records them as outbox events
 * (the gateway delivers them and may drop them under pressure). Typing is throttled per user and
 * channel so a chatty client cannot flood the outbox.
 */
export async function typing(
  ctx: ChatContext,
  who: AppPrincipal & { kind: 'user' },
  channelId: string,
  state: 'start' | 'stop',
  parentId?: string,
): Promise<{ emitted: boolean }> {
  assertWrite(await channelAccess(ctx, who, channelId))
  if (state === 'start') {
    const fresh = await ctx.cache.set(`chat:typing:${who.appId}:${channelId}:${who.userId}`, 1, {
      ttlMs: 2000,
      ifAbsent: true,
    })
    if (!fresh) return { emitted: false }
  }
  await writeOutbox(ctx.db, [
    {
      appId: who.appId,
      channel: chatChannelName(who.appId, channelId),
      type: state === 'start' ? 'typing.start' : 'typing.stop',
      payload: { channelId, userId: who.userId, ...(parentId ? { parentId } : {}) },
    },
  ])
  return { emitted: true }
}

/** Announces the caller's presence to every channel they belong to (at most 500). */
export async function setPresence(
  ctx: ChatContext,
  who: AppPrincipal & { kind: 'user' },
  status: 'online' | 'away' | 'offline',
): Promise<{ channels: number }> {
  const rows = await ctx.db
    .selectFrom('members')
    .select('channel_id')
    .where('app_id', '=', who.appId)
    .where('user_id', '=', who.userId)
    .orderBy('channel_id')
    .limit(500)
    .execute()
  const at = new Date().toISOString()
  await writeOutbox(
    ctx.db,
    rows.map((row) => ({
      appId: who.appId,
      channel: chatChannelName(who.appId, row.channel_id),
      type: 'presence.changed',
      payload: { userId: who.userId, status, at },
    })),
  )
  return { channels: rows.length }
}

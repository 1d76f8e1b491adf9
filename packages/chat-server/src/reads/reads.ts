import { sql } from 'kysely'
import type { AppPrincipal } from '../access/principal.js'
import { channelAccess } from '../channels/access.js'
import { messageWithAccess } from '../messages/messages.js'
import type { ChatContext } from '../shared/context.js'
import type { Row } from '../shared/database.js'
import { writeOutbox } from '../shared/outbox.js'
import { notFound } from '../shared/problems.js'
import { chatChannelName, userChannelName } from '../shared/realtime-names.js'
import { iso, isoOrNull } from '../shared/time.js'
import { transact } from '../shared/transaction.js'
import { unreadCountOfMember } from './unread-count.js'

/** Moves the caller's read marker forward to `seq` (default: the latest); never backwards. */
export async function markRead(
  ctx: ChatContext,
  who: AppPrincipal & { kind: 'user' },
  channelId: string,
  seq?: number,
): Promise<{ channelId: string; lastReadSeq: number; lastReadAt: string | null }> {
  const access = await channelAccess(ctx, who, channelId)
  if (!access.isMember) throw notFound('channel')
  return transact(ctx, async (trx) => {
    const { rows } = await sql<Pick<Row<'members'>, 'last_read_seq' | 'last_read_at'>>`
      update members m set
        last_read_seq = greatest(m.last_read_seq, least(coalesce(${seq ?? null}::bigint, c.last_seq), c.last_seq)),
        last_read_at = now()
      from channels c
      where m.app_id = ${who.appId} and m.channel_id = ${channelId} and m.user_id = ${who.userId}
        and c.app_id = m.app_id and c.id = m.channel_id
      returning m.last_read_seq, m.last_read_at`.execute(trx)
    const row = rows[0]
    if (!row) throw notFound('channel')
    const result = {
      channelId,
      lastReadSeq: Number(row.last_read_seq),
      lastReadAt: isoOrNull(row.last_read_at),
    }
    const payload = { ...result, userId: who.userId }
    await writeOutbox(trx, [
      { appId: who.appId, channel: chatChannelName(who.appId, channelId), type: 'read.updated', payload },
      { appId: who.appId, channel: userChannelName(who.appId, who.userId), type: 'read.updated', payload },
    ])
    return result
  })
}

/** Unread messages per channel (see unreadCountOfMember) and in total. */
export async function unreadCounts(ctx: ChatContext, who: AppPrincipal & { kind: 'user' }) {
  const { rows } = await sql<{ channel_id: string; last_read_seq: string; n: number }>`
    select m.channel_id, m.last_read_seq, ${unreadCountOfMember} as n
    from members m where m.app_id = ${who.appId} and m.user_id = ${who.userId}
    order by m.channel_id`.execute(ctx.db)
  const channels = rows.map((r) => ({
    channelId: r.channel_id,
    unreadCount: r.n,
    lastReadSeq: Number(r.last_read_seq),
  }))
  return { totalUnreadCount: channels.reduce((sum, c) => sum + c.unreadCount, 0), channels }
}

/** Read receipts: members whose read marker has reached the message. */
export async function seenBy(ctx: ChatContext, who: AppPrincipal, messageId: string) {
  const { row } = await messageWithAccess(ctx, who, messageId)
  const readers = await ctx.db
    .selectFrom('members')
    .select(['user_id', 'last_read_at'])
    .where('app_id', '=', who.appId)
    .where('channel_id', '=', row.channel_id)
    .where('last_read_seq', '>=', row.seq)
    .where('user_id', 'is distinct from', row.user_id)
    .orderBy('last_read_at')
    .execute()
  return {
    messageId,
    seq: Number(row.seq),
    users: readers.map((r) => ({
      userId: r.user_id as string,
      readAt: r.last_read_at ? iso(r.last_read_at) : null,
    })),
  }
}

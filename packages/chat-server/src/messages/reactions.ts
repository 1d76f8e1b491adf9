import { sql } from 'kysely'
import type { AppPrincipal } from '../access/principal.js'
import { assertNotArchived, assertWrite } from '../channels/access.js'
import type { ChatContext } from '../shared/context.js'
import { writeOutbox } from '../shared/outbox.js'
import { badRequest, notFound } from '../shared/problems.js'
import { chatChannelName } from '../shared/realtime-names.js'
import { transact } from '../shared/transaction.js'
import { messageWithAccess } from './messages.js'

export interface ReactionResult {
  messageId: string
  type: string
  reactionCounts: Record<string, number>
}

/** Adds the caller's reaction (idempotent per user, message and type) and returns the new counts. */
export async function addReaction(
  ctx: ChatContext,
  who: AppPrincipal & { kind: 'user' },
  messageId: string,
  type: string,
) {
  return changeReaction(ctx, who, messageId, type, true)
}

export async function removeReaction(
  ctx: ChatContext,
  who: AppPrincipal & { kind: 'user' },
  messageId: string,
  type: string,
) {
  return changeReaction(ctx, who, messageId, type, false)
}

async function changeReaction(
  ctx: ChatContext,
  who: AppPrincipal & { kind: 'user' },
  messageId: string,
  type: string,
  add: boolean,
): Promise<ReactionResult> {
  const { row, access } = await messageWithAccess(ctx, who, messageId)
  assertWrite(access)
  assertNotArchived(access)
  if (row.deleted_at) throw badRequest('message_deleted', 'a deleted message takes no reactions')
  return transact(ctx, async (trx) => {
    const changed = add
      ? await trx
          .insertInto('reactions')
          .values({ app_id: who.appId, message_id: messageId, user_id: who.userId, type })
          .onConflict((oc) => oc.doNothing())
          .returning('type')
          .execute()
      : await trx
          .deleteFrom('reactions')
          .where('app_id', '=', who.appId)
          .where('message_id', '=', messageId)
          .where('user_id', '=', who.userId)
          .where('type', '=', type)
          .returning('type')
          .execute()
    if (!add && changed.length === 0) throw notFound('reaction')
    const { rows } = await sql<{ type: string; n: number }>`
      select type, count(*)::int as n from reactions where app_id = ${who.appId} and message_id = ${messageId}
      group by type`.execute(trx)
    const reactionCounts = Object.fromEntries(rows.map((r) => [r.type, r.n]))
    if (changed.length > 0) {
      await writeOutbox(trx, [
        {
          appId: who.appId,
          channel: chatChannelName(who.appId, row.channel_id),
          type: add ? 'reaction.new' : 'reaction.deleted',
          payload: { messageId, channelId: row.channel_id, userId: who.userId, type, reactionCounts },
        },
      ])
    }
    return { messageId, type, reactionCounts }
  })
}

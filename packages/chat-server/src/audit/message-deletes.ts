import type { FastifyRequest } from 'fastify'
import { appOf } from '../access/principal.js'
import { deleteMessage } from '../messages/messages.js'
import type { ChatContext } from '../shared/context.js'
import { isUuid } from '../shared/ids.js'
import type { ChatAudit } from './audit.js'

/**
 * Deletes a message, auditing deletions of other people's messages (a moderator, an app admin or
 * the backend) and every hard delete in the same transaction. The author and channel are read
 * before the delete (a hard delete removes the row). An author soft-deleting their own message is
 * ordinary use, not audited.
 */
export async function deleteMessageAudited(
  audit: ChatAudit,
  request: FastifyRequest,
  ctx: ChatContext,
  messageId: string,
  hard: boolean,
): Promise<void> {
  const who = appOf(request)
  await audit.change(
    request,
    ctx,
    async (tx) => {
      // an id that is no uuid is deleteMessage's 404 to answer; as a uuid parameter it would abort the transaction
      const before = isUuid(messageId)
        ? await tx.db
            .selectFrom('messages')
            .select(['user_id', 'channel_id'])
            .where('app_id', '=', who.appId)
            .where('id', '=', messageId)
            .executeTakeFirst()
        : undefined
      await deleteMessage(tx, who, messageId, hard)
      return before
    },
    (message) => {
      if (!message) return null
      const byAuthor = who.kind === 'user' && who.userId === message.user_id
      if (byAuthor && !hard) return null
      return {
        action: 'message.deleted',
        target: { type: 'message', id: messageId },
        metadata: {
          channelId: message.channel_id,
          authorId: message.user_id,
          hard,
          as: who.kind === 'server' ? 'backend' : byAuthor ? 'author' : 'moderator',
        },
      }
    },
  )
}

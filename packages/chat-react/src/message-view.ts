import type { Message, PendingMessage } from '@chatsdk/client'
import type { MessageView } from './types.js'

/** A server message as the components render it. */
export function toMessageView(message: Message): MessageView {
  return { ...message, delivery: 'sent' }
}

/**
 * A send still in the client's offline queue, shaped as a message so lists render it in place:
 * a local id, no seq yet, and its delivery state.
 */
export function pendingView(pending: PendingMessage): MessageView {
  return {
    id: `local:${pending.clientMessageId}`,
    channelId: pending.channelId,
    seq: 0,
    userId: pending.userId,
    text: pending.text,
    type: pending.parentId ? 'reply' : 'regular',
    parentId: pending.parentId,
    quotedMessageId: null,
    mentions: pending.body.mentions ?? [],
    attachments: [],
    custom: pending.body.custom ?? {},
    clientMessageId: pending.clientMessageId,
    replyCount: 0,
    threadParticipants: [],
    pinnedAt: null,
    pinnedBy: null,
    editedAt: null,
    deletedAt: null,
    createdAt: pending.createdAt,
    updatedAt: pending.createdAt,
    reactionCounts: {},
    ownReactions: [],
    delivery: pending.status === 'failed' ? 'failed' : 'pending',
  }
}

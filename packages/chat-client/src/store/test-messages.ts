import type { ChannelListItem, Message } from '../types.js'

/** A message as the API shows it, with what a test cares about overridden. */
export function message(fields: Partial<Message> & { id: string; seq: number }): Message {
  return {
    channelId: 'general',
    userId: 'bob',
    text: `message ${fields.seq}`,
    type: 'regular',
    parentId: null,
    quotedMessageId: null,
    mentions: [],
    attachments: [],
    custom: {},
    clientMessageId: null,
    replyCount: 0,
    threadParticipants: [],
    pinnedAt: null,
    pinnedBy: null,
    editedAt: null,
    deletedAt: null,
    createdAt: `2026-01-01T00:00:${String(fields.seq % 60).padStart(2, '0')}.000Z`,
    updatedAt: '2026-01-01T00:00:00.000Z',
    reactionCounts: {},
    ownReactions: [],
    ...fields,
  }
}

export function channel(fields: Partial<ChannelListItem> & { id: string }): ChannelListItem {
  return {
    type: 'messaging',
    name: fields.id,
    image: null,
    custom: {},
    createdBy: 'alice',
    lastSeq: 0,
    slowModeSeconds: 0,
    archivedAt: null,
    lastMessageAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    realtimeChannel: `chat:app:${fields.id}`,
    unreadCount: 0,
    role: 'member',
    ...fields,
  }
}

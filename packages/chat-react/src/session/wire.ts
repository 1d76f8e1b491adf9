/** The server's JSON shapes this layer reads (chat-server's OpenAPI: MessageSchema, ChannelSchema, …). */
import type { Attachment } from '../types.js'

export interface Message {
  id: string
  channelId: string
  seq: number
  userId: string | null
  text: string
  type: string
  parentId: string | null
  quotedMessageId: string | null
  mentions: string[]
  attachments: Attachment[]
  custom: Record<string, unknown>
  clientMessageId: string | null
  replyCount: number
  threadParticipants: string[]
  editedAt: string | null
  deletedAt: string | null
  createdAt: string
  updatedAt: string
  reactionCounts: Record<string, number>
  ownReactions: string[]
}

export interface Channel {
  id: string
  type: string
  name: string | null
  lastSeq: number
  lastMessageAt: string | null
  realtimeChannel: string
}

export interface Member {
  userId: string
  role: string
  muted: boolean
  lastReadSeq: number
}

export interface Poll {
  id: string
  messageId: string
  channelId: string
  question: string
  multiple: boolean
  createdBy: string | null
  closedAt: string | null
  options: { id: string; text: string; voteCount: number }[]
  voterCount: number
  ownVotes: string[]
}

/** What the gateway publishes for an outbox event (chat-server realtime/outbox-relay.ts). */
export interface RealtimeEvent {
  id: string
  type: string
  seq?: number
  payload: Record<string, any>
  createdAt: string
}

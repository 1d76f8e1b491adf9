import type { Row } from '../shared/database.js'
import { iso, isoOrNull } from '../shared/time.js'

export interface Attachment {
  type: 'image' | 'video' | 'audio' | 'file' | 'link'
  uploadId?: string
  url?: string
  thumbUrl?: string
  name?: string
  mimeType?: string
  size?: number
  width?: number
  height?: number
  custom?: Record<string, unknown>
}

export interface Message {
  id: string
  channelId: string
  seq: number
  userId: string | null
  text: string
  type: 'regular' | 'reply' | 'deleted' | 'system'
  parentId: string | null
  quotedMessageId: string | null
  mentions: string[]
  attachments: Attachment[]
  custom: Record<string, unknown>
  clientMessageId: string | null
  replyCount: number
  threadParticipants: string[]
  pinnedAt: string | null
  pinnedBy: string | null
  editedAt: string | null
  deletedAt: string | null
  createdAt: string
  updatedAt: string
  reactionCounts: Record<string, number>
  ownReactions: string[]
}

/** A message row as the API reads it (every column but the search vector). */
export type MessageRow = Omit<Row<'messages'>, 'search'>

export function toMessage(row: MessageRow): Message {
  const deleted = row.deleted_at != null
  return {
    id: row.id,
    channelId: row.channel_id,
    seq: Number(row.seq),
    userId: row.user_id,
    text: deleted ? '' : row.text,
    type: deleted ? 'deleted' : row.type,
    parentId: row.parent_id,
    quotedMessageId: row.quoted_id,
    mentions: row.mentions ?? [],
    attachments: deleted ? [] : row.attachments,
    custom: deleted ? {} : row.custom,
    clientMessageId: row.client_message_id,
    replyCount: row.reply_count,
    threadParticipants: row.thread_participants ?? [],
    pinnedAt: isoOrNull(row.pinned_at),
    pinnedBy: row.pinned_by,
    editedAt: isoOrNull(row.edited_at),
    deletedAt: isoOrNull(row.deleted_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    reactionCounts: {},
    ownReactions: [],
  }
}

/**
 * The shapes the components render. They are the server's (and so @chatsdk/client's) JSON shapes;
 * a message also carries its local delivery state from the client's offline queue.
 */
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
}

export type DeliveryState = 'sent' | 'pending' | 'failed'

export interface MessageView {
  id: string
  channelId: string
  seq: number
  userId: string | null
  text: string
  type: string
  parentId: string | null
  mentions: string[]
  attachments: Attachment[]
  custom: Record<string, unknown>
  clientMessageId: string | null
  replyCount: number
  editedAt: string | null
  deletedAt: string | null
  createdAt: string
  reactionCounts: Record<string, number>
  ownReactions: string[]
  /** 'pending' while queued or in flight, 'failed' when the server refused it. */
  delivery: DeliveryState
}
